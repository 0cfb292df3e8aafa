package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// HeartlandSweep is OrderSweep's twin on the Heartland side: every sweep
// interval it lists the web orders whose sales order or invoices changed in
// Heartland since its watermark (store staff distributing, invoicing,
// cancelling in Heartland's own screens, or hrbc itself) and signals their
// Order workflows heartlandChanged. Heartland sends no webhook for orders or
// invoices, so this is how an invoice made there reaches BigCommerce within
// seconds, at a few calls per round for the whole connection however many
// orders are open. A round that fails does not end it: it shows
// HrbcAttention with the reason, backs off and tries again from the same
// watermark; the watermark and the records seen at it are carried by
// continue-as-new.
func HeartlandSweep(ctx workflow.Context, in HeartlandSweepInput) error {
	s := in
	settingsCh := workflow.GetSignalChannel(ctx, HeartlandSweepSettingsSignal)
	nowCh := workflow.GetSignalChannel(ctx, HeartlandSweepNowSignal)
	if err := workflow.SetQueryHandler(ctx, HeartlandSweepStatusQuery, func() (HeartlandSweepStatus, error) {
		return HeartlandSweepStatus{Watermark: s.Watermark, Signalled: s.Signalled, Known: s.Known, Attention: s.Attention, Failures: s.Failures}, nil
	}); err != nil {
		return err
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, ConnectionAttr.ValueSet(s.ConnectionID), StageAttr.ValueSet("sweeping")); err != nil {
		return err
	}
	if s.Watermark == "" {
		s.Watermark = workflow.Now(ctx).UTC().Add(-heartlandSweepLookback).Format(time.RFC3339)
	}
	// A few quick tries, then the round counts as failed and the sweep's
	// own back-off takes over, visibly.
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 3},
	})
	fast := workflow.GetVersion(ctx, heartlandFastInvoicesChange, workflow.DefaultVersion, 1) >= 1
	if fast && s.InvoiceWatermark == "" {
		s.InvoiceWatermark, s.InvoiceSeen = s.Watermark, s.Seen
	}
	// pending is what a long poll brought, in place of the next round.
	var pending *activities.HeartlandChangesWaitResult
	for {
		var err error
		interval := s.Settings.heartlandSweepInterval()
		switch {
		case pending != nil:
			s.applyWait(ctx, *pending)
			pending = nil
			interval = invoiceInterval(interval)
		case fast:
			err = s.fastRound(ctx, actx)
			interval = invoiceInterval(interval)
		default:
			err = s.round(ctx, actx)
		}
		if temporal.IsCanceledError(err) {
			return err
		}
		health := sweepHealth{failures: &s.Failures, attention: &s.Attention, name: "Heartland sweep", connectionID: s.ConnectionID}
		interval, aerr := health.afterRound(ctx, err, interval)
		if aerr != nil {
			return aerr
		}
		var stop bool
		if fast && s.Failures == 0 && workflow.GetVersion(ctx, heartlandLongPollChange, workflow.DefaultVersion, 1) >= 1 {
			wait := activities.HeartlandChangesWait{
				ConnectionID: s.ConnectionID,
				Orders:       activities.HeartlandChangesRequest{Watermark: s.Watermark, Seen: s.Seen},
				Invoices:     activities.HeartlandChangesRequest{Watermark: s.InvoiceWatermark, Seen: s.InvoiceSeen},
				Ticks:        s.Ticks, OrdersEvery: heartlandOrdersEvery,
				Interval: interval, MaxWait: longPollIdle,
			}
			var res activities.HeartlandChangesWaitResult
			var got bool
			stop, got = waitForWork(ctx, settingsCh, nowCh, &s.Settings, longPollIdle, orderActivities.WaitHeartlandChanges, wait, &res)
			if got {
				pending = &res
			}
		} else {
			stop = waitForRound(ctx, settingsCh, nowCh, &s.Settings, interval)
		}
		if stop {
			workflow.GetLogger(ctx).Info("Order sync turned off; Heartland sweep ends", "ConnectionID", s.ConnectionID)
			return nil
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			takeQueued(settingsCh, nowCh, &s.Settings)
			return workflow.NewContinueAsNewError(ctx, HeartlandSweep, s)
		}
	}
}

// round lists what changed since the watermark, tells each order, then
// moves the watermark. On an error the watermark stays and the next round
// reads the same changes again.
func (s *HeartlandSweepInput) round(ctx, actx workflow.Context) error {
	res, err := s.list(ctx, actx, activities.HeartlandChangesRequest{ConnectionID: s.ConnectionID, Watermark: s.Watermark, Seen: s.Seen})
	if err != nil {
		return err
	}
	s.Watermark, s.Seen = res.Watermark, res.Seen
	return nil
}

// fastRound lists the invoices changed since their watermark, and every
// heartlandOrdersEvery-th round the sales orders since theirs: an invoice
// (goods handed over, a shipment to make) is found twice as fast as a
// change of the order alone, for about one call more a minute than
// listing both every round.
func (s *HeartlandSweepInput) fastRound(ctx, actx workflow.Context) error {
	if s.Ticks%heartlandOrdersEvery == 0 {
		res, err := s.list(ctx, actx, activities.HeartlandChangesRequest{ConnectionID: s.ConnectionID,
			Watermark: s.Watermark, Seen: s.Seen, Only: activities.ChangesOfOrders})
		if err != nil {
			return err
		}
		s.Watermark, s.Seen = res.Watermark, res.Seen
	}
	res, err := s.list(ctx, actx, activities.HeartlandChangesRequest{ConnectionID: s.ConnectionID,
		Watermark: s.InvoiceWatermark, Seen: s.InvoiceSeen, Only: activities.ChangesOfInvoices})
	if err != nil {
		return err
	}
	s.InvoiceWatermark, s.InvoiceSeen = res.Watermark, res.Seen
	s.Ticks++
	return nil
}

// applyWait takes what a long poll brought as its rounds' outcome: both
// watermarks move and each order it names is told.
func (s *HeartlandSweepInput) applyWait(ctx workflow.Context, res activities.HeartlandChangesWaitResult) {
	s.Watermark, s.Seen = res.Orders.Watermark, res.Orders.Seen
	s.InvoiceWatermark, s.InvoiceSeen = res.Invoices.Watermark, res.Invoices.Seen
	s.Ticks = res.Ticks
	s.Known += res.Orders.Known + res.Invoices.Known
	s.tell(ctx, append(res.Orders.Orders, res.Invoices.Orders...))
}

// list runs one ListHeartlandChanges and tells each order it names.
func (s *HeartlandSweepInput) list(ctx, actx workflow.Context, req activities.HeartlandChangesRequest) (activities.HeartlandChangesResult, error) {
	var res activities.HeartlandChangesResult
	if err := workflow.ExecuteActivity(actx, orderActivities.ListHeartlandChanges, req).Get(ctx, &res); err != nil {
		return res, err
	}
	s.Known += res.Known
	s.tell(ctx, res.Orders)
	return res, nil
}

// tell signals each changed order's workflow heartlandChanged.
func (s *HeartlandSweepInput) tell(ctx workflow.Context, orders []activities.HeartlandOrderChange) {
	res := struct {
		Orders []activities.HeartlandOrderChange
	}{orders}
	signals := make([]workflow.Future, len(res.Orders))
	for i, o := range res.Orders {
		signals[i] = workflow.SignalExternalWorkflow(ctx, OrderWorkflowID(s.ConnectionID, o.OrderID), "", OrderHeartlandChangedSignal,
			HeartlandChange{Status: o.Status, InvoiceIDs: o.InvoiceIDs})
	}
	for i, f := range signals {
		if err := f.Get(ctx, nil); err != nil {
			// The order's workflow has ended (closed, cancelled) or never
			// ran here: nothing is waiting for this change.
			workflow.GetLogger(ctx).Debug("Order not signalled", "OrderID", res.Orders[i].OrderID, "Error", err)
			continue
		}
		s.Signalled++
	}
}

// heartlandLongPollChange versions the sweep that waits between rounds
// inside one long-running activity (WaitHeartlandChanges), which runs the
// rounds itself until one finds a changed web order. Runs begun before it
// keep the timer and a workflow round each time.
const heartlandLongPollChange = "heartland-sweep-long-poll"

// heartlandFastInvoicesChange versions the sweep that lists invoices every
// half interval and sales orders every heartlandOrdersEvery rounds, each
// with its own watermark. Runs begun before it list both every interval.
const heartlandFastInvoicesChange = "heartland-sweep-fast-invoices"

// heartlandOrdersEvery is how many invoice rounds pass per orders round:
// at the default interval, invoices every 2 s and orders every 8 s.
const heartlandOrdersEvery = 4

// invoiceInterval is the pause between invoice rounds: half the sweep
// interval, at least half a second.
func invoiceInterval(interval time.Duration) time.Duration {
	return max(interval/2, 500*time.Millisecond)
}
