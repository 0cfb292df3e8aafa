package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// localCall marks a context whose activities run as local activities.
type localCall struct{}

// readTimeout is the start-to-close timeout of an order's reads.
const readTimeout = 2 * time.Minute

// callRead runs one of the order's reads (of the BigCommerce order, of the
// Heartland order, of its invoices) as call does. A run under
// orderQuietChange runs it as a local activity, inside the workflow task
// that asked for it: the read's outcome is one marker event where a
// regular activity took three events and a second workflow task (a
// quarter of a new order's history, and a round trip through the server's
// matching before the import could start). Reads are short, and safe to
// run again if the worker dies under them. Writes stay regular activities,
// each recorded by the server as it happens.
func (o *order) callRead(ctx workflow.Context, activity any, result any, args ...any) error {
	if !o.quiet {
		return o.call(ctx, activity, result, args...)
	}
	opts := o.activityOptions(readTimeout, 0)
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: opts.StartToCloseTimeout, RetryPolicy: opts.RetryPolicy})
	return o.callWith(workflow.WithValue(lctx, localCall{}, true), activity, result, args...)
}

// execute starts an activity of the order: a local one when callRead set
// ctx up for it.
func execute(ctx workflow.Context, activity any, args ...any) workflow.Future {
	if local, _ := ctx.Value(localCall{}).(bool); local {
		return workflow.ExecuteLocalActivity(ctx, activity, args...)
	}
	return workflow.ExecuteActivity(ctx, activity, args...)
}
