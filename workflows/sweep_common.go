package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// The two sweeps (OrderSweep, HeartlandSweep) share their rhythm: a round,
// then a wait that settings or sweepNow may cut short, with failed rounds
// shown as attention and backed off.

// sweepHealth is where a sweep keeps its failed rounds and its attention.
type sweepHealth struct {
	failures     *int
	attention    *string
	name         string
	connectionID string
}

// afterRound records a round's outcome and returns the wait before the
// next: a failure is counted, backs off from interval and shows why; a
// success after failures clears that.
func (h sweepHealth) afterRound(ctx workflow.Context, err error, interval time.Duration) (time.Duration, error) {
	if err != nil {
		*h.failures++
		interval = sweepBackoff(interval, *h.failures)
		reason := fmt.Sprintf("%s failed %d time(s) in a row, next try in %s: %s", h.name, *h.failures, interval, failureReason(err))
		return interval, showSweepAttention(ctx, h.attention, h.name, h.connectionID, reason)
	}
	if *h.failures > 0 || *h.attention != "" {
		*h.failures = 0
		return interval, showSweepAttention(ctx, h.attention, h.name, h.connectionID, "")
	}
	return interval, nil
}

// waitForRound waits out interval, or for new settings or sweepNow; it
// reports whether the settings turned order sync off.
func waitForRound(ctx workflow.Context, settingsCh, nowCh workflow.ReceiveChannel, settings *Settings, interval time.Duration) (stop bool) {
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(settingsCh, func(c workflow.ReceiveChannel, _ bool) {
		c.Receive(ctx, settings)
		stop = !settings.OrderSync
	})
	sel.AddReceive(nowCh, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
	sel.AddFuture(workflow.NewTimer(ctx, interval), func(workflow.Future) {})
	sel.Select(ctx)
	return stop
}

// takeQueued receives the signals still queued before a continue-as-new,
// which would otherwise be lost with the run: the newest settings win.
func takeQueued(settingsCh, nowCh workflow.ReceiveChannel, settings *Settings) {
	for settingsCh.ReceiveAsync(settings) {
	}
	for nowCh.ReceiveAsync(nil) {
	}
}

// showSweepAttention sets a sweep's attention to reason (empty: it needs
// no person) in its state and in HrbcAttention, where `starter errors`
// looks, logging the change.
func showSweepAttention(ctx workflow.Context, attention *string, sweep, connectionID, reason string) error {
	if *attention == reason {
		return nil
	}
	*attention = reason
	if reason != "" {
		workflow.GetLogger(ctx).Warn("Sweep needs attention", "Sweep", sweep, "ConnectionID", connectionID, "Reason", reason)
	} else {
		workflow.GetLogger(ctx).Info("Sweep recovered", "Sweep", sweep, "ConnectionID", connectionID)
	}
	return workflow.UpsertTypedSearchAttributes(ctx, AttentionAttr.ValueSet(reason))
}

// Long polls (the inventory sync's, the sweeps'): an activity polls the
// API inside itself and returns only when it found work or after
// longPollIdle, so an idle connection writes a few events an hour instead
// of a timer and an activity every poll interval.
const (
	// longPollIdle is how long a long poll runs without finding anything.
	longPollIdle = time.Hour
	// longPollSlack is added to a long poll's start-to-close timeout for
	// its last round.
	longPollSlack = 5 * time.Minute
	// LongPollHeartbeatTimeout is how soon a long poll lost with a killed
	// worker is retried elsewhere. Each heartbeat is a billable action on
	// Temporal Cloud and a write of the workflow's state on any cluster, and
	// the SDK sends one per 80 % of this timeout (the worker lifts the SDK's
	// 60 s cap to match, worker.MaxHeartbeatThrottleInterval): 2 minutes is
	// 900 a day per long poll, where 30 s was 3,600. Only a worker that dies
	// leaves a long poll to this timeout (one that stops ends its long polls
	// at once), and a signal (webhook) does not wait for it: it cancels the
	// lost poll and runs a round at once.
	LongPollHeartbeatTimeout = 2 * time.Minute
)

// LongPollsPerConnection is how many long polls an idle connection keeps
// running (inventory sync, order sweep, Heartland sweep), each holding an
// activity slot of some worker: workers add as many slots per connection.
const LongPollsPerConnection = 3

// waitForWork is waitForRound with a long poll in place of the timer: the
// activity fn(in) runs until it finds work (its result is then in out and
// got is true) or new settings or sweepNow cancel it. A failed long poll
// returns got false: the next round is a regular one.
func waitForWork(ctx workflow.Context, settingsCh, nowCh workflow.ReceiveChannel, settings *Settings, maxWait time.Duration, fn, in, out any) (stop, got bool) {
	actx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	f := workflow.ExecuteActivity(workflow.WithActivityOptions(actx, longPollOptions(maxWait)), fn, in)
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(settingsCh, func(c workflow.ReceiveChannel, _ bool) {
		c.Receive(ctx, settings)
		stop = !settings.OrderSync
	})
	sel.AddReceive(nowCh, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
	sel.AddFuture(f, func(f workflow.Future) {
		if err := f.Get(ctx, out); err != nil {
			workflow.GetLogger(ctx).Warn("Long poll failed; a regular round follows", "Error", err)
			return
		}
		got = true
	})
	sel.Select(ctx)
	return stop, got
}

// longPollOptions are the options of a long poll that returns by itself
// after maxWait: a few quick retries, each resuming from the heartbeat;
// past them the workflow runs a regular round, which has its own.
func longPollOptions(maxWait time.Duration) workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout: maxWait + longPollSlack,
		HeartbeatTimeout:    LongPollHeartbeatTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    10 * time.Second,
			MaximumAttempts:    5,
		},
	}
}
