package worker

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"go.temporal.io/sdk/client"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"golang.org/x/sync/errgroup"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/devserver"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/worker/metrics"
	"github.com/hrbc/hrbc/worker/sandbox"
	"github.com/hrbc/hrbc/worker/statedir"
)

// Process is what cmd/worker runs: optionally the embedded Temporal server
// and the sandbox fakes, a client, the worker and the HTTP intake.
type Process struct {
	cfg    config.Config
	logger *slog.Logger
	zap    *zap.Logger
	banner io.Writer
	devLog zap.AtomicLevel

	// Set by Run as the parts start.
	dev  *devserver.Server
	keys *codec.KeyRing
	// codecToken authorizes the codec server; "" serves none.
	codecToken string
	client     client.Client
	sandbox    *sandbox.Sandbox
	http       *http.Server
	intake     *intake.Intake
	// metrics is nil unless HRBC_METRICS_ADDR is set.
	metrics *metrics.Metrics
}

// NewProcess prepares a process; Run starts it. banner receives the
// human-readable "what is running where" text in embedded mode.
func NewProcess(cfg config.Config, logger *slog.Logger, zl *zap.Logger, banner io.Writer) *Process {
	return &Process{cfg: cfg, logger: logger, zap: zl, banner: banner, devLog: zap.NewAtomicLevelAt(zapcore.WarnLevel)}
}

// Run starts everything and blocks until ctx is cancelled or a part fails,
// then stops the HTTP intake, the worker and last the embedded server, in
// that order, so no task is cut off by its server disappearing first. The
// parts start in the opposite order, each deferring its own stop.
func (p *Process) Run(ctx context.Context) error {
	if p.cfg.Embedded() {
		// Before anything writes there: the folder holds customer data.
		if err := statedir.Harden(sandbox.StateDir(p.cfg.DevDatabase)); err != nil {
			return err
		}
		release, err := lockStateFolder(p.cfg.DevDatabase)
		if err != nil {
			return err
		}
		defer release()
	}
	if err := p.loadPayloadKeys(); err != nil {
		return err
	}
	if err := p.loadCodecToken(); err != nil {
		return err
	}
	if err := p.newMetrics(); err != nil {
		return err
	}
	if err := p.startTemporal(ctx); err != nil {
		return err
	}
	defer p.stopTemporal()

	conns := p.cfg.Connections
	if p.cfg.Embedded() && len(conns) == 0 {
		if err := p.startSandbox(); err != nil {
			return err
		}
		defer p.sandbox.Close()
		if !p.cfg.SandboxInstall {
			conns = []config.ConnectionConfig{p.sandbox.Connection}
		}
	}
	// Every worker of the task queue paces each connection's Heartland
	// calls at its share of the account's rate; the fleet counts them.
	fleet, identity := NewFleet(), workerIdentity(p.cfg.TaskQueue)
	registry, err := NewConnections(conns, p.logger, WithMetrics(p.metrics), WithPeers(fleet.Size))
	if err != nil {
		return err
	}
	fatal := make(chan error, 1)
	w := newWorker(p.client, p.cfg, Dependencies{Connections: registry, Logger: p.logger, WebhookBaseURL: p.cfg.WebhookBaseURL(), Metrics: p.metrics,
		Identity: identity, Peers: fleet.Size, DataConverter: codec.DataConverter(p.keys)},
		func(err error) { fatal <- err })
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker on task queue %q: %w", p.cfg.TaskQueue, err)
	}
	defer w.Stop()

	// The intake reads connection settings from memos, which the codec
	// encrypts.
	st := starter.New(p.client, p.cfg.TaskQueue, starter.WithDataConverter(codec.DataConverter(p.keys)))
	p.metrics.WatchWorkflows(st, 0)
	metricsLn, err := p.listenMetrics()
	if err != nil {
		return err
	}
	ln, err := p.listenIntake(st, conns, registry)
	if err != nil {
		if metricsLn != nil {
			metricsLn.Close()
		}
		return err
	}
	p.logger.Info("worker started", "taskQueue", p.cfg.TaskQueue, "namespace", p.cfg.Namespace, "intake", ln.Addr().String(),
		"metrics", metricsURL(metricsLn))

	// One group runs the parts that serve; the first to fail (or ctx)
	// stops the others. The intake stops inside the group, the worker and
	// the server after it by the defers above.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return p.serveIntake(ln) })
	g.Go(func() error { return p.stopIntakeWhenDone(gctx) })
	if metricsLn != nil {
		g.Go(func() error { return p.serveMetrics(gctx, metricsLn) })
	}
	g.Go(func() error {
		fleet.Watch(gctx, FleetWatch{Client: p.client, TaskQueue: p.cfg.TaskQueue, Self: identity, Logger: p.logger, Metrics: p.metrics})
		return nil
	})
	g.Go(func() error {
		select {
		case err := <-fatal:
			return fmt.Errorf("worker on task queue %q stopped: %w", p.cfg.TaskQueue, err)
		case <-gctx.Done():
			return nil
		}
	})
	g.Go(func() error {
		if p.sandbox != nil && !p.cfg.SandboxInstall {
			if err := p.setUpDemo(gctx, st, registry); err != nil {
				return err
			}
		} else if p.sandbox == nil {
			p.refreshWebhooks(gctx, conns, registry)
		}
		if p.cfg.Embedded() {
			p.printBanner(ln.Addr().String(), metricsURL(metricsLn))
		}
		return nil
	})
	return g.Wait()
}
