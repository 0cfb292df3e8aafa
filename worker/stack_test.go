package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// testWebhookSecret is the webhook secret of the test stack's connection.
const testWebhookSecret = workertest.WebhookSecret

// stack is workertest's full stack with the test it serves, so scenario
// helpers can fail the test themselves.
type stack struct {
	*workertest.Stack
	t *testing.T
}

// newStack starts the full stack on the task queue the committed histories
// were recorded on.
func newStack(t *testing.T, opts workertest.Options) *stack {
	t.Helper()
	if opts.TaskQueue == "" {
		opts.TaskQueue = "stack"
	}
	return &stack{Stack: workertest.Start(t, opts), t: t}
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
	s := newStack(t, workertest.Options{Settings: &settings})
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

// waitFor is workertest.WaitFor, named as the scenarios have always called it.
var waitFor = workertest.WaitFor
