package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// orderTimer is the one timer an Order run's long waits share (runs under
// orderQuietChange). workflow.AwaitWithTimeout starts a timer per wait and,
// with this SDK, leaves it running when a signal ends the wait: an order
// woken five times while awaiting distribution had five one-hour timers,
// each firing later into a workflow task for nothing, and a new one per
// wake. Here a wait a signal ends leaves its timer for the next wait of the
// same purpose, which so fires when the first one would have; a wait of
// another purpose cancels it and starts its own.
type orderTimer struct {
	purpose string
	future  workflow.Future
	cancel  workflow.CancelFunc
}

// Purposes of the order's shared timer.
const (
	// timerBackstop: the Heartland backstop of an order awaiting
	// distribution or invoices; one look an hour, however often the
	// HeartlandSweep woke the order in between.
	timerBackstop = "backstop"
	// timerWatch: the end of a finished order's watch of the store.
	timerWatch = "watch"
)

// awaitOrTimer waits for cond, or for the run's timer of purpose, started
// for d when none of that purpose is running. ok is false when the timer
// fired. A timer that fired while the run was busy (it looked meanwhile)
// is spent, and a fresh one is started. Runs before orderQuietChange wait
// with workflow.AwaitWithTimeout as they always did.
func (o *order) awaitOrTimer(ctx workflow.Context, purpose string, d time.Duration, cond func() bool) (ok bool, err error) {
	if !o.quiet {
		return workflow.AwaitWithTimeout(ctx, d, cond)
	}
	if cond() {
		return true, nil
	}
	t := &o.timer
	if t.future != nil && (t.purpose != purpose || t.future.IsReady()) {
		// Cancelling a timer that fired already writes nothing.
		t.cancel()
		t.future = nil
	}
	if t.future == nil {
		tctx, cancel := workflow.WithCancel(ctx)
		t.purpose, t.future, t.cancel = purpose, workflow.NewTimer(tctx, d), cancel
	}
	fired := t.future
	if err := workflow.Await(ctx, func() bool { return cond() || fired.IsReady() }); err != nil {
		return false, err
	}
	if cond() {
		return true, nil
	}
	t.future = nil
	return false, nil
}
