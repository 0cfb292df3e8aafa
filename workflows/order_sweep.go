package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// sweepPageSize caps orders per activity call; a full page is followed at
// once by the next.
const sweepPageSize = 50

// orderSweepLongPollChange versions the sweep that waits between rounds
// inside one long-running activity (WaitModifiedOrders) instead of on a
// timer. Runs begun before it keep the timer.
const orderSweepLongPollChange = "order-sweep-long-poll"

// sweepSurvivesErrorsChange versions the sweep that outlives a failed
// round: runs begun before it ended (failed) on the first error that
// Temporal's retries could not clear, such as a 401.
const sweepSurvivesErrorsChange = "order-sweep-survives-errors"

// sweepMaxBackoff caps the wait between failed rounds.
const sweepMaxBackoff = 15 * time.Minute

// OrderSweep lists BigCommerce orders modified since its watermark every
// sweep interval and hands each to its Order workflow, so that a missed
// webhook delays an order and never loses it. A round that fails for good
// (a revoked token, say) does not end it: it shows HrbcAttention with the
// reason, tries again after a growing pause from the same watermark, and
// clears the attention by itself once a round succeeds.
func OrderSweep(ctx workflow.Context, in OrderSweepInput) error {
	s := in
	settingsCh := workflow.GetSignalChannel(ctx, SweepSettingsSignal)
	nowCh := workflow.GetSignalChannel(ctx, SweepNowSignal)
	if err := workflow.SetQueryHandler(ctx, SweepStatusQuery, func() (SweepStatus, error) {
		return SweepStatus{Watermark: s.Watermark, Swept: s.Swept, Rounds: s.Rounds, Attention: s.Attention, Failures: s.Failures}, nil
	}); err != nil {
		return err
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, ConnectionAttr.ValueSet(s.ConnectionID), StageAttr.ValueSet("sweeping")); err != nil {
		return err
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
	})
	// pending is a page a long poll brought, known the orders at the
	// watermark already handed over (what the long poll does not report).
	var pending *activities.ModifiedOrdersResult
	var known []activities.ModifiedOrder
	for {
		var full bool
		var err error
		if pending != nil {
			full, err = applyPage(ctx, &s, *pending, &known)
			pending = nil
		} else {
			full, err = sweepPage(ctx, actx, &s, &known)
		}
		if err == nil {
			s.Rounds++
		}
		if err == nil && full {
			continue
		}
		if err != nil && (temporal.IsCanceledError(err) || workflow.GetVersion(ctx, sweepSurvivesErrorsChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion) {
			return err
		}
		health := sweepHealth{failures: &s.Failures, attention: &s.Attention, name: "order sweep", connectionID: s.ConnectionID}
		var interval time.Duration
		var aerr error
		if err == nil && s.HooksNote != "" {
			s.Failures, interval = 0, s.Settings.orderSweepInterval()
			aerr = showHooksNote(ctx, &s)
		} else {
			interval, aerr = health.afterRound(ctx, err, s.Settings.orderSweepInterval())
		}
		if aerr != nil {
			return aerr
		}
		autoWas := s.Settings.AutoDistributeLocationID
		var stop bool
		if s.Failures == 0 && s.HooksNote == "" && workflow.GetVersion(ctx, orderSweepLongPollChange, workflow.DefaultVersion, 1) >= 1 {
			wait := activities.ModifiedOrdersWait{
				Request:  activities.ModifiedOrdersRequest{ConnectionID: s.ConnectionID, Since: s.Watermark, Limit: sweepPageSize, CheckHooks: true},
				Known:    known,
				Interval: interval,
				MaxWait:  longPollIdle,
			}
			var page activities.ModifiedOrdersResult
			var got bool
			stop, got = waitForWork(ctx, settingsCh, nowCh, &s.Settings, longPollIdle, orderActivities.WaitModifiedOrders, wait, &page)
			if got {
				pending = &page
			}
		} else {
			stop = waitForRound(ctx, settingsCh, nowCh, &s.Settings, interval)
		}
		if stop {
			workflow.GetLogger(ctx).Info("Order sync turned off; sweep ends", "ConnectionID", s.ConnectionID)
			return nil
		}
		if loc := s.Settings.AutoDistributeLocationID; loc != 0 && loc != autoWas {
			if err := distributeWaiting(ctx, actx, s.ConnectionID, s.Settings); err != nil {
				return err
			}
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			takeQueued(settingsCh, nowCh, &s.Settings)
			return workflow.NewContinueAsNewError(ctx, OrderSweep, s)
		}
	}
}

// sweepPage reads one page of orders modified since the watermark and
// hands each over, then moves the watermark. It reports whether the page
// was full and moved the watermark, so the next should follow at once. On
// an error the watermark stays, so the next round reads the page again
// (orders handed over already are not woken twice: they know the state).
func sweepPage(ctx, actx workflow.Context, s *OrderSweepInput, known *[]activities.ModifiedOrder) (full bool, err error) {
	var page activities.ModifiedOrdersResult
	if err := workflow.ExecuteActivity(actx, orderActivities.ListModifiedOrders, activities.ModifiedOrdersRequest{
		ConnectionID: s.ConnectionID, Since: s.Watermark, Limit: sweepPageSize, CheckHooks: true}).Get(ctx, &page); err != nil {
		return false, err
	}
	return applyPage(ctx, s, page, known)
}

// applyPage hands over each order of a page (listed by a round or a long
// poll) and moves the watermark; known becomes the page's orders at the
// new watermark, those handed over and those whose workflow had read them.
func applyPage(ctx workflow.Context, s *OrderSweepInput, page activities.ModifiedOrdersResult, known *[]activities.ModifiedOrder) (full bool, err error) {
	if len(page.HooksReenabled) > 0 {
		s.HooksNote = fmt.Sprintf("BigCommerce had turned off webhook(s) %s after failed deliveries; hrbc turned them back on at %s and found the orders meanwhile by sweeping — check that the store can reach the intake (HRBC_PUBLIC_URL)",
			strings.Join(page.HooksReenabled, ", "), workflow.Now(ctx).UTC().Format(time.RFC3339))
		s.HooksNoteUntil = workflow.Now(ctx).Add(hooksNoteFor)
		workflow.GetLogger(ctx).Warn("BigCommerce webhooks were deactivated; re-enabled", "ConnectionID", s.ConnectionID, "Scopes", page.HooksReenabled)
	}
	var orders []activities.ModifiedOrder
	for _, o := range page.Orders {
		// Incomplete checkouts (status 0) are not orders yet.
		if o.StatusID != 0 {
			orders = append(orders, o)
		}
	}
	if len(orders) > 0 && workflow.GetVersion(ctx, sweepHandsOverAtOnceChange, workflow.DefaultVersion, 1) >= 1 {
		if err := handOverAll(ctx, s.ConnectionID, orders, s.Settings); err != nil {
			return false, err
		}
		s.Swept += len(orders)
	} else {
		for _, o := range orders {
			if err := handOver(ctx, s.ConnectionID, o, s.Settings); err != nil {
				return false, fmt.Errorf("hand order %d to its workflow: %w", o.OrderID, err)
			}
			s.Swept++
		}
	}
	moved := page.Watermark != s.Watermark
	s.Watermark = page.Watermark
	if moved {
		*known = nil
	}
	for _, o := range slices.Concat(page.Orders, page.Read) {
		if o.DateModified == s.Watermark && !slices.Contains(*known, o) {
			*known = append(*known, o)
		}
	}
	return page.Listed() >= sweepPageSize && moved, nil
}

// sweepBackoff is the pause after the n-th failed round in a row: the
// sweep interval doubled per failure, at most sweepMaxBackoff (or the
// interval, when that is longer).
func sweepBackoff(interval time.Duration, failures int) time.Duration {
	wait := interval
	for i := 1; i < failures && wait < sweepMaxBackoff; i++ {
		wait *= 2
	}
	return min(wait, max(sweepMaxBackoff, interval))
}

// handOver starts the order's workflow, or tells the running one that the
// order changed, with what the listing says of it: an order that has read
// that state already is not woken. The child is abandoned: it outlives the
// sweep's run.
func handOver(ctx workflow.Context, connectionID string, mo activities.ModifiedOrder, settings Settings) error {
	id := OrderWorkflowID(connectionID, mo.OrderID)
	err := startOrderChild(ctx, connectionID, mo.OrderID, settings).GetChildWorkflowExecution().Get(ctx, nil)
	if err == nil {
		return nil
	}
	if !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		return err
	}
	change := OrderChange{DateModified: mo.DateModified, StatusID: mo.StatusID}
	err = workflow.SignalExternalWorkflow(ctx, id, "", OrderBigCommerceChangedSignal, change).Get(ctx, nil)
	var finished *temporal.UnknownExternalWorkflowExecutionError
	if errors.As(err, &finished) && workflow.GetVersion(ctx, sweepSkipsFinishedChange, workflow.DefaultVersion, 1) >= 1 {
		// Not running and not started again: the order is finished.
		return nil
	}
	return err
}

// sweepSkipsFinishedChange versions the sweep passing over an order whose
// run has finished, instead of failing its round on the signal.
const sweepSkipsFinishedChange = "sweep-skips-finished"

// hooksNoteFor is how long the sweep shows that it re-enabled deactivated
// webhooks: long enough for an operator to see it in `starter errors`.
const hooksNoteFor = time.Hour

// showHooksNote shows, after a successful round, that the sweep re-enabled
// webhooks BigCommerce had deactivated, for hooksNoteFor; then clears it.
// It is driven by the recorded answer of ListModifiedOrders, so histories
// from before hooks were checked replay without it.
func showHooksNote(ctx workflow.Context, s *OrderSweepInput) error {
	if s.HooksNote == "" {
		return nil
	}
	if workflow.Now(ctx).Before(s.HooksNoteUntil) {
		return showSweepAttention(ctx, &s.Attention, "order sweep", s.ConnectionID, s.HooksNote)
	}
	s.HooksNote = ""
	return showSweepAttention(ctx, &s.Attention, "order sweep", s.ConnectionID, "")
}
