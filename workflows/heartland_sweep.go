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
		return HeartlandSweepStatus{Watermark: s.Watermark, Signalled: s.Signalled, Attention: s.Attention, Failures: s.Failures}, nil
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
	for {
		err := s.round(ctx, actx)
		if temporal.IsCanceledError(err) {
			return err
		}
		health := sweepHealth{failures: &s.Failures, attention: &s.Attention, name: "Heartland sweep", connectionID: s.ConnectionID}
		interval, aerr := health.afterRound(ctx, err, s.Settings.heartlandSweepInterval())
		if aerr != nil {
			return aerr
		}
		if waitForRound(ctx, settingsCh, nowCh, &s.Settings, interval) {
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
	var res activities.HeartlandChangesResult
	if err := workflow.ExecuteActivity(actx, orderActivities.ListHeartlandChanges, activities.HeartlandChangesRequest{
		ConnectionID: s.ConnectionID, Watermark: s.Watermark, Seen: s.Seen}).Get(ctx, &res); err != nil {
		return err
	}
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
	s.Watermark, s.Seen = res.Watermark, res.Seen
	return nil
}
