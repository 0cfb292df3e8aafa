package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// localReadTimeout bounds a read run as a local activity, pacing waits
// included. The workflow task stays open while it runs, and with it every
// signal and update the order receives meanwhile (an operator's
// distribute) waits: a read that takes longer is Heartland or BigCommerce
// pacing hrbc or failing, and is better left to an activity of its own.
const localReadTimeout = 5 * time.Second

// callRead runs one of the order's reads (of the BigCommerce order, of the
// Heartland order, of its invoices) as call does. A run under
// orderQuietChange first tries it once as a local activity, inside the
// workflow task that asked for it: its outcome is one marker event where a
// regular activity took three events and a second workflow task (a
// quarter of a new order's history, and a round trip through the server's
// matching before the import could start). Reads are short and safe to run
// again. One that fails or does not answer within localReadTimeout (an
// API throttling or down) runs again as a regular activity, with the
// order's retry policy and its attention when it fails for good. Writes
// run in place only under orderWritesInPlaceVersion (callWrite), behind
// the worker's write margin.
func (o *order) callRead(ctx workflow.Context, activity any, result any, args ...any) error {
	if !o.quiet {
		return o.call(ctx, activity, result, args...)
	}
	err := o.runLocalOnce(ctx, localReadTimeout, "Read failed as a local activity; running it as an activity", activity, result, args...)
	if err == nil || ctx.Err() != nil {
		return err
	}
	return o.call(ctx, activity, result, args...)
}

// runLocalOnce runs activity once as a local activity for at most timeout
// (localOnce), the way callRead and tryInPlace try a call in place before
// they fall back to its activity; a failure while the run goes on is
// logged as failed. Its error is the local activity's.
func (o *order) runLocalOnce(ctx workflow.Context, timeout time.Duration, failed string, activity any, result any, args ...any) error {
	err := workflow.ExecuteLocalActivity(localOnce(ctx, timeout), activity, args...).Get(ctx, result)
	if err != nil && ctx.Err() == nil {
		workflow.GetLogger(ctx).Info(failed, "OrderID", o.OrderID, "Error", err)
	}
	return err
}
