// Command worker runs hrbc: the Temporal worker, its HTTP intake and, when no
// TEMPORAL_ADDRESS is set, an embedded Temporal server with its Web UI.
// Configuration is read from environment variables; see README.md. It is
// only the wiring: it imports worker, worker/config and worker/logging.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/logging"
)

func main() {
	cfg, err := config.LoadConfig(os.Environ())
	if err != nil {
		fmt.Fprintf(os.Stderr, "hrbc worker: invalid configuration: %v\n", err)
		os.Exit(2)
	}
	logger, zl, err := logging.NewLogger(os.Stderr, cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		fmt.Fprintf(os.Stderr, "hrbc worker: %v\n", err)
		os.Exit(2)
	}
	defer func() { _ = zl.Sync() }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := worker.NewProcess(cfg, logger, zl, os.Stdout).Run(ctx); err != nil {
		logger.Error("hrbc worker failed", "error", err)
		// A setting found unusable only at start (the payload keys) is
		// still a configuration error.
		if _, ok := errors.AsType[*config.ConfigError](err); ok {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
