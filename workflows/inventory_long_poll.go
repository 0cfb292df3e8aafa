package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// inventoryLongPollChange versions the inventory sync that waits for
// Heartland's changes inside one long-running activity
// (WaitInventoryChanges) instead of a timer and an activity every poll
// interval. Runs begun before it keep the timer.
const inventoryLongPollChange = "inventory-long-poll"

// canLongPoll reports whether the wait before the next round may be a long
// poll: the steady state (a watermark, no pass pending or held, the last
// round fine) with the next reconciliation further off than a poll.
func (r *inventoryRun) canLongPoll(now time.Time, wait time.Duration) bool {
	return !r.Progress.Watermark.IsZero() && r.Hold == nil && !r.Progress.FullSyncPending &&
		r.Progress.LastError == "" && wait >= r.opts.PollInterval &&
		r.Progress.NextReconcileAt.Sub(now) > r.opts.PollInterval
}

// longPoll runs WaitInventoryChanges until it finds a movement, the next
// reconciliation is due, or longPollIdle passes; a signal that names items,
// asks for a round, a full sync or new settings cancels it (the round that
// follows is what the signal asked for, so the webhook path is as fast as
// before). done is false when it was cancelled or failed: the caller then
// runs a regular round.
func (r *inventoryRun) longPoll(ctx workflow.Context) (done bool, err error) {
	maxWait := min(longPollIdle, r.Progress.NextReconcileAt.Sub(workflow.Now(ctx)))
	in := activities.InventoryWaitInput{
		Changes: activities.InventoryChangesInput{
			ConnectionID: r.connectionID, Scope: r.scope(),
			Since: r.Progress.Watermark, SeenIDs: r.SeenIDs, AfterID: r.AfterID,
		},
		Interval: r.opts.PollInterval,
		MaxWait:  maxWait,
	}
	var res activities.InventoryWaitResult
	interrupted, err := r.execute(ctx, longPollOptions(maxWait), inventoryActivities.WaitInventoryChanges, in, &res,
		func() bool { return r.wake || r.Dirty || r.stop })
	switch {
	case interrupted:
		return false, nil
	case err != nil && ctx.Err() != nil:
		return false, err
	case err != nil:
		workflow.GetLogger(ctx).Warn("Inventory long poll failed; polling once", "Error", err)
		return false, nil
	}
	return true, r.applyRound(ctx, res.InventoryChangesResult, res.Rounds)
}
