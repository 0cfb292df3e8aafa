package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// localOnce sets ctx up to run a local activity once, for at most timeout,
// waits included. Callers that use it keep a regular activity as their
// fallback: a local activity holds its workflow task open, and with it
// every signal and update the workflow receives meanwhile, so one that
// fails or takes long is better retried on its own than in place.
func localOnce(ctx workflow.Context, timeout time.Duration) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		ScheduleToCloseTimeout: timeout,
		RetryPolicy:            &temporal.RetryPolicy{MaximumAttempts: 1},
	})
}
