package worker

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker/devserver"
	"github.com/hrbc/hrbc/workflows"
)

// startTemporal starts the embedded server when no TEMPORAL_ADDRESS is
// set, and dials the frontend either way. On error nothing is left running.
func (p *Process) startTemporal(ctx context.Context) error {
	address := p.cfg.TemporalAddress
	if p.cfg.Embedded() {
		dev, err := devserver.Start(devserver.Options{
			DatabaseFile:     p.cfg.DevDatabase,
			IP:               p.cfg.DevIP,
			FrontendPort:     p.cfg.DevFrontendPort,
			UIPort:           p.cfg.DevUIPort,
			Namespace:        p.cfg.Namespace,
			SearchAttributes: workflows.SearchAttributes(),
			CodecEndpoint:    p.uiCodecEndpoint(),
			// The server logs a great deal at info; only its problems are ours.
			Logger: p.zap.WithOptions(zap.IncreaseLevel(p.devLog)),
		})
		if err != nil {
			return fmt.Errorf("embedded temporal server: %w", err)
		}
		p.dev = dev
		address = dev.FrontendAddress()
		p.logger.Info("embedded temporal server started", "frontend", address, "ui", dev.UIAddress(), "database", p.cfg.DevDatabase)
	}

	c, err := client.Dial(codec.ClientOptions(p.keys, client.Options{
		HostPort:  address,
		Namespace: p.cfg.Namespace,
		Logger:    sdklog.NewStructuredLogger(p.logger),
		// nil without HRBC_METRICS_ADDR: the SDK records nothing.
		MetricsHandler: p.metrics.SDKHandler(),
	}))
	if err != nil {
		p.stopDevServer()
		return fmt.Errorf("connect to temporal at %s: %w", address, err)
	}
	p.client = c
	if !p.cfg.Embedded() {
		if err := EnsureSearchAttributes(ctx, c, p.cfg.Namespace); err != nil {
			// A restricted cluster account may not add attributes; an operator
			// can register them once by hand (see README), so carry on.
			p.logger.Warn("could not register search attributes", "error", err)
		}
	}
	return nil
}

// stopTemporal closes the client and then stops the embedded server.
func (p *Process) stopTemporal() {
	p.client.Close()
	p.stopDevServer()
}

func (p *Process) stopDevServer() {
	if p.dev == nil {
		return
	}
	// Stopping makes the server's internal clients complain about the
	// connections it is closing itself; those warnings mean nothing here.
	p.devLog.SetLevel(zapcore.ErrorLevel)
	if err := p.dev.Stop(); err != nil {
		p.logger.Warn("embedded temporal server stopped with an error", "error", err)
	}
}
