package worker

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/server/temporaltest"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// testWebhookSecret is the webhook secret of the test stack's connection.
const testWebhookSecret = "stack-webhook-secret-0123"

// stack is the whole of hrbc on one test: a real Temporal server, the real
// worker, both fake APIs and the HTTP intake, with one connection between
// the fakes. Scenarios drive it through the public entry points (starter,
// intake, the fakes' POS and store helpers) and assert the fakes' state.
type stack struct {
	t            *testing.T
	ConnectionID string
	BC           *bigcommercetest.Server
	HL           *heartlandtest.Server
	Temporal     client.Client
	Starter      *starter.Client
	// Intake serves starter.Intake; its URL is where webhooks go.
	Intake *httptest.Server
}

// stackOptions change what newStack builds.
type stackOptions struct {
	// BigCommerce and Heartland are extra options for the fakes.
	BigCommerce []bigcommercetest.Option
	Heartland   []heartlandtest.Option
	// Settings, when non-nil, create the connection with them; a nil value
	// leaves creating it to the test.
	Settings *workflows.Settings
	// Worker changes the worker's configuration.
	Worker func(*Config)
}

func newStack(t *testing.T, opts stackOptions) *stack {
	t.Helper()
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	c := ts.GetDefaultClient()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := EnsureSearchAttributes(ctx, c, ts.GetDefaultNamespace()); err != nil {
		t.Fatal(err)
	}

	// The fakes answer without a rate limit unless a test asks for one, so
	// scenarios run at the speed of the machine.
	bcOpts := append([]bigcommercetest.Option{bigcommercetest.WithoutRateLimit()}, opts.BigCommerce...)
	bc := bigcommercetest.NewServer(bcOpts...)
	t.Cleanup(bc.Close)
	hl := heartlandtest.NewServer(opts.Heartland...)
	t.Cleanup(hl.Close)

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	bcCfg := bc.ClientConfig()
	bcClient, err := bigcommerce.New(bcCfg)
	if err != nil {
		t.Fatal(err)
	}
	hlClient, err := heartland.New(heartland.Config{BaseURL: hl.URL, Token: heartland.Secret(hl.Token), RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	const connectionID = "shop"
	conns := activities.NewConnections()
	conns.Add(connectionID, activities.Clients{BigCommerce: bcClient, Heartland: hlClient, WebhookSecret: testWebhookSecret})

	cfg, err := LoadConfig([]string{"HRBC_TASK_QUEUE=stack"})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Worker != nil {
		opts.Worker(&cfg)
	}
	st := starter.New(c, cfg.TaskQueue)
	intake := httptest.NewServer(starter.NewIntake(st, logger, func(id string) (string, bool) {
		return testWebhookSecret, id == connectionID
	}))
	t.Cleanup(intake.Close)

	w := New(c, cfg, Dependencies{Connections: conns, Logger: logger, WebhookBaseURL: intake.URL})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)

	s := &stack{t: t, ConnectionID: connectionID, BC: bc, HL: hl, Temporal: c, Starter: st, Intake: intake}
	if opts.Settings != nil {
		if _, err := st.CreateConnection(ctx, connectionID, *opts.Settings); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// ctx returns a context bounded generously: a scenario that needs longer
// is broken, not slow.
func (s *stack) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	s.t.Cleanup(cancel)
	return ctx
}

func TestStackStartsWithConnection(t *testing.T) {
	settings := workflows.DefaultSettings()
	s := newStack(t, stackOptions{Settings: &settings})
	status, err := s.Starter.ConnectionStatus(s.ctx(), s.ConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	if status.Stage != workflows.StageConfigured {
		t.Fatalf("status = %+v", status)
	}
}

// dec parses a decimal literal of a test.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
