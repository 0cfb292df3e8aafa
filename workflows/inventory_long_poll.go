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
// reconciliation is due, or longPollIdle passes; a signal that asks for a
// round, a full sync or new settings cancels it (the round that follows is
// what the signal asked for, so the webhook path is as fast as before). A
// signal that names items cancels it too in runs begun before
// inventoryTellAlongsideChange; since, the items are written alongside
// (awaitLongPoll). done is false when it was cancelled or failed: the
// caller then runs a regular round.
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
	var interrupted bool
	if r.tellsAlongside(ctx) {
		interrupted, err = r.awaitLongPoll(ctx, longPollOptions(maxWait), in, &res)
	} else {
		interrupted, err = r.execute(ctx, longPollOptions(maxWait), inventoryActivities.WaitInventoryChanges, in, &res,
			func() bool { return r.wake || r.Dirty || r.stop })
	}
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

// awaitLongPoll runs the long poll as execute does, and while it waits
// writes the items changed signals name (writeTold) instead of cancelling
// it. Items still unwritten when it ends, and items its last round may
// have overwritten, go to the next round (endAlongside).
func (r *inventoryRun) awaitLongPoll(ctx workflow.Context, opts workflow.ActivityOptions, in activities.InventoryWaitInput, res *activities.InventoryWaitResult) (interrupted bool, err error) {
	actCtx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	f := workflow.ExecuteActivity(workflow.WithActivityOptions(actCtx, opts), inventoryActivities.WaitInventoryChanges, in)
	r.along = alongside{on: true, until: workflow.Now(ctx).Add(in.MaxWait)}
	var completed *activities.InventoryChangesResult // set when the long poll returned its round
	defer func() { r.endAlongside(completed) }()
	// Items rounds count as rounds: a long poll through a busy store's
	// hour of orders would otherwise grow the history past the server's
	// limit, as the loop hands over to a new run only between rounds.
	cut := func() bool {
		return r.wake || r.Dirty || r.stop || r.rounds >= r.opts.RunRounds || workflow.GetInfo(ctx).GetContinueAsNewSuggested()
	}
	for {
		if err := workflow.Await(ctx, func() bool { return f.IsReady() || cut() || len(r.along.told) > 0 }); err != nil {
			return false, err
		}
		if f.IsReady() || cut() {
			break
		}
		r.rounds++
		if err := r.writeTold(ctx); err != nil {
			return false, err
		}
	}
	if !f.IsReady() {
		cancel()
		_ = f.Get(ctx, nil)
		return true, nil
	}
	if err := f.Get(ctx, res); err != nil {
		return false, err
	}
	completed = &res.InventoryChangesResult
	return false, nil
}
