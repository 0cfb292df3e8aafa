// Package workertest runs the whole of hrbc in one process for tests and
// the bench, in the spirit of net/http/httptest: Start(t, opts) gives a
// real Temporal server, the real worker, both fake APIs with a connection
// between them and the HTTP intake, all stopped by t.Cleanup. StartWorker
// is the part above the server, for callers that bring their own Temporal
// (cmd/bench). It may import worker and everything below it; only tests
// and cmd/bench import it.
package workertest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/intake"
)

// WorkerOptions say what StartWorker runs on an existing Temporal.
type WorkerOptions struct {
	// Client reaches the Temporal server; StartWorker does not close it.
	Client client.Client
	// TaskQueue is the queue the worker polls and starter starts on.
	TaskQueue string
	// Connections are the connections' API clients; each one's webhook
	// secrets (BigCommerceSecret, HeartlandSecret) are what the intake asks
	// each platform's webhooks to carry.
	Connections *activities.Connections
	// Logger receives the worker's and the intake's logs (nil: none).
	Logger *slog.Logger
	// Config changes the worker's configuration after the defaults.
	Config func(*config.Config)
	// KeyRing is the payload key ring Client encrypts with (nil:
	// TestKeyRing). The activities and the intake decode workflow memos
	// with it: with another ring the order sweeps cannot read what an order
	// knows and tell every listed order, and the intake asks by query.
	KeyRing *codec.KeyRing
}

// Worker is the real worker and the HTTP intake on one Temporal.
type Worker struct {
	// Config is the worker's configuration.
	Config config.Config
	// Starter drives the workflows on Config.TaskQueue.
	Starter *starter.Client
	// Worker is the running Temporal worker.
	Worker sdkworker.Worker
	// Intake serves worker/intake; its URL is where webhooks go and the
	// base the worker registers webhooks under.
	Intake  *httptest.Server
	handler *intake.Intake
}

// StartWorker starts the intake and the worker, the intake first so the
// worker can register webhooks that reach it.
func StartWorker(opts WorkerOptions) (*Worker, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := config.LoadConfig([]string{"HRBC_TASK_QUEUE=" + opts.TaskQueue})
	if err != nil {
		return nil, fmt.Errorf("worker configuration: %w", err)
	}
	if opts.Config != nil {
		opts.Config(&cfg)
	}
	ring := opts.KeyRing
	if ring == nil {
		ring = TestKeyRing()
	}
	dc := codec.DataConverter(ring)
	st := starter.New(opts.Client, cfg.TaskQueue, starter.WithDataConverter(dc))
	in := intake.New(st, logger, secretsOf(opts.Connections))
	// The intake's own limits, so tests and the bench see what cmd/worker serves.
	srv := httptest.NewUnstartedServer(in)
	srv.Config = intake.NewServer(in)
	srv.Listener = intake.Limit(srv.Listener)
	srv.Start()
	w := worker.New(opts.Client, cfg, worker.Dependencies{Connections: opts.Connections, Logger: logger, WebhookBaseURL: srv.URL, DataConverter: dc})
	if err := w.Start(); err != nil {
		srv.Close()
		return nil, fmt.Errorf("start worker on task queue %q: %w", cfg.TaskQueue, err)
	}
	return &Worker{Config: cfg, Starter: st, Worker: w, Intake: srv, handler: in}, nil
}

// Close stops the intake (waiting for the nudges it started) and then the
// worker, as cmd/worker does.
func (w *Worker) Close() {
	w.Intake.Close()
	_ = w.handler.Shutdown(context.Background())
	w.Worker.Stop()
}

// secretsOf answers the intake's secret question from the connections'
// clients, so a test states each secret once.
func secretsOf(conns *activities.Connections) intake.WebhookSecrets {
	return func(id string, platform intake.Platform) ([]string, bool) {
		c, err := conns.Get(id)
		if err != nil {
			return nil, false
		}
		if platform == intake.Heartland {
			return []string{c.HeartlandWebhookSecret}, true
		}
		return []string{c.BigCommerceWebhookSecret}, true
	}
}
