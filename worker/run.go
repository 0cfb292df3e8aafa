package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/devserver"
	"github.com/hrbc/hrbc/workflows"
)

// DemoConnectionID is the connection the embedded default creates.
const DemoConnectionID = "demo"

// Process is what cmd/worker runs: optionally the embedded Temporal server,
// a client, the worker and the HTTP intake.
type Process struct {
	cfg    Config
	logger *slog.Logger
	zap    *zap.Logger
	banner io.Writer
	dev    *devserver.Server
	devLog zap.AtomicLevel
	client client.Client
	http   *http.Server
}

// NewProcess prepares a process; Run starts it. banner receives the
// human-readable "what is running where" text in embedded mode.
func NewProcess(cfg Config, logger *slog.Logger, zl *zap.Logger, banner io.Writer) *Process {
	return &Process{cfg: cfg, logger: logger, zap: zl, banner: banner, devLog: zap.NewAtomicLevelAt(zapcore.WarnLevel)}
}

// Run starts everything and blocks until ctx is cancelled, then stops the
// HTTP intake, the worker and last the embedded server, in that order, so
// no task is cut off by its server disappearing first.
func (p *Process) Run(ctx context.Context) error {
	address := p.cfg.TemporalAddress
	if p.cfg.Embedded() {
		dev, err := devserver.Start(devserver.Options{
			DatabaseFile:     p.cfg.DevDatabase,
			IP:               p.cfg.DevIP,
			FrontendPort:     p.cfg.DevFrontendPort,
			UIPort:           p.cfg.DevUIPort,
			Namespace:        p.cfg.Namespace,
			SearchAttributes: workflows.SearchAttributes(),
			// The server logs a great deal at info; only its problems are ours.
			Logger: p.zap.WithOptions(zap.IncreaseLevel(p.devLog)),
		})
		if err != nil {
			return fmt.Errorf("embedded temporal server: %w", err)
		}
		p.dev = dev
		defer p.stopDevServer()
		address = dev.FrontendAddress()
		p.logger.Info("embedded temporal server started", "frontend", address, "ui", dev.UIAddress(), "database", p.cfg.DevDatabase)
	}

	c, err := client.Dial(client.Options{
		HostPort:  address,
		Namespace: p.cfg.Namespace,
		Logger:    sdklog.NewStructuredLogger(p.logger),
	})
	if err != nil {
		return fmt.Errorf("connect to temporal at %s: %w", address, err)
	}
	p.client = c
	defer c.Close()
	if !p.cfg.Embedded() {
		if err := EnsureSearchAttributes(ctx, c, p.cfg.Namespace); err != nil {
			// A restricted cluster account may not add attributes; an operator
			// can register them once by hand (see README), so carry on.
			p.logger.Warn("could not register search attributes", "error", err)
		}
	}

	var sandbox *Sandbox
	if p.cfg.Embedded() && len(p.cfg.Connections) == 0 {
		sb, err := StartSandbox(p.cfg.DevIP, p.cfg.SandboxBigCommercePort, p.cfg.SandboxHeartlandPort,
			SandboxStateDir(p.cfg.DevDatabase), p.logger)
		if err != nil {
			return err
		}
		defer sb.Close()
		sandbox = sb
		p.cfg.Connections = []ConnectionConfig{sb.Connection}
		p.logger.Info("sandbox fakes started", "bigcommerce", sb.BigCommerce.URL, "heartland", sb.Heartland.RootURL)
	}
	conns, err := NewConnections(p.cfg.Connections, p.logger)
	if err != nil {
		return err
	}
	w := New(c, p.cfg, Dependencies{Connections: conns, Logger: p.logger, WebhookBaseURL: p.cfg.WebhookBaseURL()})
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker on task queue %q: %w", p.cfg.TaskQueue, err)
	}
	defer w.Stop()

	st := starter.New(c, p.cfg.TaskQueue)
	ln, err := net.Listen("tcp", p.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP intake on %s (HRBC_HTTP_ADDR): %w", p.cfg.HTTPAddr, err)
	}
	p.http = &http.Server{Handler: starter.NewIntake(st, p.logger, webhookSecrets(p.cfg.Connections)), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := p.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			p.logger.Error("HTTP intake stopped", "error", err)
		}
	}()
	defer p.stopHTTP()
	p.logger.Info("worker started", "taskQueue", p.cfg.TaskQueue, "namespace", p.cfg.Namespace, "intake", ln.Addr().String())

	if sandbox != nil {
		if err := p.ensureDemoConnection(ctx, st, sandbox.DemoSettings()); err != nil {
			return err
		}
		if err := sandbox.RegisterWebhooks(ctx, conns, p.cfg.WebhookBaseURL()); err != nil {
			p.logger.Warn("sandbox webhooks not registered; the order sweep still finds orders", "error", err)
		}
	}
	if p.cfg.Embedded() {
		p.printBanner(ln.Addr().String(), sandbox)
	}

	<-ctx.Done()
	p.logger.Info("shutting down")
	return nil
}

// ensureDemoConnection creates the demo connection unless it exists, so a
// restart keeps whatever the user changed.
func (p *Process) ensureDemoConnection(ctx context.Context, st *starter.Client, settings workflows.Settings) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := st.CreateConnection(ctx, DemoConnectionID, settings)
	switch {
	case errors.Is(err, starter.ErrConnectionExists):
		p.logger.Info("demo connection already exists", "connection", DemoConnectionID)
		return nil
	case err != nil:
		return fmt.Errorf("create demo connection: %w", err)
	}
	p.logger.Info("demo connection created", "connection", DemoConnectionID)
	return nil
}

func (p *Process) printBanner(intake string, sandbox *Sandbox) {
	if p.banner == nil {
		return
	}
	fmt.Fprintf(p.banner, `
hrbc is running on the embedded Temporal server.

  Temporal Web UI   http://%s/namespaces/%s/workflows
  Temporal frontend %s
  HTTP intake       http://%s
  Database          %s
`, p.dev.UIAddress(), p.cfg.Namespace, p.dev.FrontendAddress(), intake, p.cfg.DevDatabase)
	if sandbox != nil {
		fmt.Fprintf(p.banner, `  Sandbox store     %s (fake BigCommerce, token %s)
  Sandbox POS       %s (fake Heartland, token %s)
`, sandbox.BigCommerce.BaseURL(), sandbox.BigCommerce.Token, sandbox.Heartland.URL, sandboxHeartlandToken)
		if dir := SandboxStateDir(p.cfg.DevDatabase); dir != "" {
			fmt.Fprintf(p.banner, "  Sandbox state     %s\n", filepath.Join(dir, "sandbox-*.json"))
		}
	}
	fmt.Fprintf(p.banner, `
Try, in another terminal:
  go run ./cmd/starter connection show %[1]s
  go run ./cmd/starter sandbox order --sku HR-MUG-01 --qty 2
  go run ./cmd/starter orders list
  go run ./cmd/starter errors

Press Ctrl-C to stop.
`, DemoConnectionID)
}

func (p *Process) stopHTTP() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = p.http.Shutdown(ctx)
}

func (p *Process) stopDevServer() {
	// Stopping makes the server's internal clients complain about the
	// connections it is closing itself; those warnings mean nothing here.
	p.devLog.SetLevel(zapcore.ErrorLevel)
	if err := p.dev.Stop(); err != nil {
		p.logger.Warn("embedded temporal server stopped with an error", "error", err)
	}
}
