package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"go.temporal.io/server/temporaltest"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/workflows"
)

// startCLIStack runs a Temporal server, the worker and both fakes, seeds the
// fakes with seed, creates the connection "shop" with settings, and points
// the CLI's environment at the server, so a test drives the CLI exactly as
// an operator would.
func startCLIStack(t *testing.T, settings workflows.Settings, seed func(*bigcommercetest.Server, *heartlandtest.Server)) (*bigcommercetest.Server, *heartlandtest.Server) {
	t.Helper()
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	c := ts.GetDefaultClient()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := worker.EnsureSearchAttributes(ctx, c, ts.GetDefaultNamespace()); err != nil {
		t.Fatal(err)
	}
	bc := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit())
	t.Cleanup(bc.Close)
	hl := heartlandtest.NewServer()
	t.Cleanup(hl.Close)
	if seed != nil {
		seed(bc, hl)
	}
	bcClient, err := bigcommerce.New(bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	hlClient, err := heartland.New(heartland.Config{BaseURL: hl.URL, Token: heartland.Secret(hl.Token), RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	conns := activities.NewConnections()
	conns.Add("shop", activities.Clients{BigCommerce: bcClient, Heartland: hlClient})
	cfg, err := worker.LoadConfig([]string{"HRBC_TASK_QUEUE=cli"})
	if err != nil {
		t.Fatal(err)
	}
	w := worker.New(c, cfg, worker.Dependencies{Connections: conns, Logger: slog.New(slog.DiscardHandler)})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	if _, err := starter.New(c, cfg.TaskQueue).CreateConnection(ctx, "shop", settings); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEMPORAL_ADDRESS", ts.GetFrontendHostPort())
	t.Setenv("TEMPORAL_NAMESPACE", ts.GetDefaultNamespace())
	t.Setenv("HRBC_TASK_QUEUE", cfg.TaskQueue)
	return bc, hl
}

// runCLI runs the starter CLI in-process and returns stdout and stderr.
func runCLI(args ...string) (string, string, error) {
	var out, errOut bytes.Buffer
	cmd := newRootCommand(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}
