// Package logging builds hrbc's process logger: log/slog as the API, zap
// underneath so the embedded Temporal server shares its output. It imports
// no hrbc package, so config can validate levels against it.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	slogzap "github.com/samber/slog-zap/v2"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// NewLogger builds the process logger: zap does the encoding and writing,
// log/slog is the API every package uses. It returns the zap logger too so
// the embedded Temporal server can log through the same core.
func NewLogger(w io.Writer, level, format string) (*slog.Logger, *zap.Logger, error) {
	lvl, err := ParseLevel(level)
	if err != nil {
		return nil, nil, err
	}
	encCfg := zap.NewProductionEncoderConfig()
	encCfg.EncodeTime = zapcore.ISO8601TimeEncoder
	var enc zapcore.Encoder
	if format == "json" {
		enc = zapcore.NewJSONEncoder(encCfg)
	} else {
		encCfg.EncodeLevel = zapcore.CapitalColorLevelEncoder
		enc = zapcore.NewConsoleEncoder(encCfg)
	}
	zl := zap.New(zapcore.NewCore(enc, zapcore.Lock(zapcore.AddSync(w)), zapLevel(lvl)))
	// slog-zap rewrites attributes named in ErrorKeys into {error, kind,
	// stack} structures before ReplaceAttr sees them; hrbc logs errors as
	// their message instead, which is what an operator reads.
	slogzap.ErrorKeys = nil
	sl := slog.New(slogzap.Option{Level: lvl, Logger: zl, ReplaceAttr: errorsAsText}.NewZapHandler())
	return sl, zl, nil
}

// ParseLevel reads a level name as HRBC_LOG_LEVEL spells it, in any case.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("%q is not debug, info, warn or error", s)
}

func zapLevel(l slog.Level) zapcore.Level {
	switch {
	case l <= slog.LevelDebug:
		return zapcore.DebugLevel
	case l <= slog.LevelInfo:
		return zapcore.InfoLevel
	case l <= slog.LevelWarn:
		return zapcore.WarnLevel
	}
	return zapcore.ErrorLevel
}

// errorsAsText logs any error value as its message.
func errorsAsText(_ []string, a slog.Attr) slog.Attr {
	if err, ok := a.Value.Any().(error); ok {
		return slog.String(a.Key, err.Error())
	}
	return a
}
