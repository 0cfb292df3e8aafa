package workertest

import (
	"cmp"
	"context"
	"log/slog"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/server/temporaltest"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/workflows"
)

// ConnectionID is the connection between the fakes that Start configures.
const ConnectionID = "shop"

// WebhookSecret is the webhook secret of that connection.
const WebhookSecret = "stack-webhook-secret-0123"

// PayloadKeys is the key ring (HRBC_PAYLOAD_KEYS form) the stack's
// clients encrypt with. It is fixed, so histories a test records with
// HRBC_UPDATE_HISTORIES replay later; it protects nothing real.
const PayloadKeys = "test1=aHJiYy10ZXN0LXBheWxvYWQta2V5LTMyLWJ5dGVzISE="

// Options change what Start builds.
type Options struct {
	// TaskQueue is the worker's queue; empty is "hrbc-test".
	TaskQueue string
	// NoFakes starts neither fake and configures no connection: a worker
	// with nothing to call, for tests of the workflows' own behaviour.
	NoFakes bool
	// BigCommerce and Heartland are extra options for the fakes, which
	// answer without a rate limit unless a test asks for one.
	BigCommerce []bigcommercetest.Option
	Heartland   []heartlandtest.Option
	// Seed fills the fakes before the worker first calls them.
	Seed func(*bigcommercetest.Server, *heartlandtest.Server)
	// Settings, when non-nil, create the connection with them; nil leaves
	// creating it to the test.
	Settings *workflows.Settings
	// Worker changes the worker's configuration.
	Worker func(*config.Config)
	// Logger receives the worker's logs (nil: none).
	Logger *slog.Logger
}

// Stack is the whole of hrbc on one test. Tests drive it through the
// public entry points (Starter, the Intake's URL, the fakes' store and
// POS helpers) and assert the fakes' state.
type Stack struct {
	*Worker
	// Temporal is a client of the test server.
	Temporal client.Client
	// Namespace and FrontendAddress reach the server from outside, as
	// the CLI does.
	Namespace, FrontendAddress string
	// ConnectionID names the connection between BC and HL ("" with NoFakes).
	ConnectionID string
	// BC and HL are the fakes (nil with NoFakes).
	BC *bigcommercetest.Server
	HL *heartlandtest.Server
}

// Start runs a Temporal test server with hrbc's search attributes, the
// fakes, the worker and the intake; t.Cleanup stops them, intake first.
func Start(t *testing.T, opts Options) *Stack {
	t.Helper()
	// The CLI run in the same test finds the keys where an operator's
	// shell has them.
	t.Setenv(codec.KeyEnv, PayloadKeys)
	ts := temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseClientOptions(codec.ClientOptions(TestKeyRing(), client.Options{})))
	s := &Stack{Temporal: ts.GetDefaultClient(), Namespace: ts.GetDefaultNamespace(), FrontendAddress: ts.GetFrontendHostPort()}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := worker.EnsureSearchAttributes(ctx, s.Temporal, s.Namespace); err != nil {
		t.Fatal(err)
	}
	conns := activities.NewConnections()
	if !opts.NoFakes {
		s.startFakes(t, opts)
		conns.Add(ConnectionID, fakeClients(t, s.BC, s.HL))
		s.ConnectionID = ConnectionID
	}
	w, err := StartWorker(WorkerOptions{
		Client: s.Temporal, TaskQueue: cmp.Or(opts.TaskQueue, "hrbc-test"), Connections: conns, Logger: opts.Logger, Config: opts.Worker,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	s.Worker = w
	if opts.Settings != nil {
		if _, err := s.Starter.CreateConnection(ctx, s.ConnectionID, *opts.Settings); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// startFakes serves both fakes, seeded as the test asks.
func (s *Stack) startFakes(t *testing.T, opts Options) {
	s.BC = bigcommercetest.NewServer(append([]bigcommercetest.Option{bigcommercetest.WithoutRateLimit()}, opts.BigCommerce...)...)
	t.Cleanup(s.BC.Close)
	s.HL = heartlandtest.NewServer(opts.Heartland...)
	t.Cleanup(s.HL.Close)
	if opts.Seed != nil {
		opts.Seed(s.BC, s.HL)
	}
}

// fakeClients are the API clients of a connection between the fakes.
// Heartland is called without pacing, so scenarios run at the speed of the
// machine.
func fakeClients(t *testing.T, bc *bigcommercetest.Server, hl *heartlandtest.Server) activities.Clients {
	t.Helper()
	bcClient, err := bigcommerce.New(bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	hlClient, err := heartland.New(hl.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	return activities.Clients{BigCommerce: bcClient, Heartland: hlClient, BigCommerceWebhookSecret: WebhookSecret, HeartlandWebhookSecret: WebhookSecret}
}

// TestKeyRing is PayloadKeys parsed, for replayers and raw readers of the
// stack's histories.
func TestKeyRing() *codec.KeyRing {
	r, err := codec.ParseKeyRing(PayloadKeys)
	if err != nil {
		panic("workertest.PayloadKeys: " + err.Error())
	}
	return r
}
