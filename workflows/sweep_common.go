package workflows

import (
	"fmt"
	"time"

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
