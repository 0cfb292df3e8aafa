package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// localWriteTimeout bounds a write run in place, its reads, Heartland's
// pacing and its writes included. The writes of an order's fulfillment
// take two to five calls; one that takes longer is an API pacing hrbc or
// failing, and is better retried as an activity of its own than with the
// workflow task (and every signal and update the order receives) held.
const localWriteTimeout = 5 * time.Second

// callWrite runs one of the order's writes (capture, shipment, payment,
// status, distribution) as call does. A run under
// orderWritesInPlaceVersion first tries it once in place (tryInPlace).
func (o *order) callWrite(ctx workflow.Context, activity any, result any, args ...any) error {
	if o.tryInPlace(ctx, activity, result, args...) {
		return nil
	}
	return o.call(ctx, activity, result, args...)
}

// tryInPlace tries a write (or the read of locations an admin's
// distribute waits on) once as a local activity, in the workflow task that
// asked for it, for runs under orderWritesInPlaceVersion; it reports
// whether it succeeded, result then holding its outcome.
//
// A closed order's history was mostly its writes: each activity three
// events and a workflow task of its own (six events, and one billable
// action on Temporal Cloud), nine of them after distribution for an order
// shipped from two stores. In place, a write is one marker, and the writes
// one workflow task makes in a row (an invoice's capture, shipment and
// payment; the close's settle and two statuses) share one action.
//
// Every write looks up before it writes, so the activity that takes over
// from a failed attempt finds what it wrote. The worker refuses a local
// activity's writes in their last two seconds
// (activities.NewInPlaceWritesInterceptor), so that no write cut off by
// its deadline lands after the activity looked. Any failure, a refusal
// included, leaves the write to the caller's activity, with its retries
// and its attention.
func (o *order) tryInPlace(ctx workflow.Context, activity any, result any, args ...any) bool {
	return o.writesInPlace &&
		o.runLocalOnce(ctx, localWriteTimeout, "Write failed in place; running it as an activity", activity, result, args...) == nil
}
