package workflows

import (
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// sweepPageSize caps orders per activity call; a full page is followed at
// once by the next.
const sweepPageSize = 50

// OrderSweep lists BigCommerce orders modified since its watermark every
// sweep interval and hands each to its Order workflow, so that a missed
// webhook delays an order and never loses it.
func OrderSweep(ctx workflow.Context, in OrderSweepInput) error {
	s := in
	settingsCh := workflow.GetSignalChannel(ctx, SweepSettingsSignal)
	nowCh := workflow.GetSignalChannel(ctx, SweepNowSignal)
	if err := workflow.SetQueryHandler(ctx, SweepStatusQuery, func() (SweepStatus, error) {
		return SweepStatus{Watermark: s.Watermark, Swept: s.Swept}, nil
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
	for {
		var page activities.ModifiedOrdersResult
		if err := workflow.ExecuteActivity(actx, orderActivities.ListModifiedOrders, activities.ModifiedOrdersRequest{
			ConnectionID: s.ConnectionID, Since: s.Watermark, Limit: sweepPageSize}).Get(ctx, &page); err != nil {
			return err
		}
		for _, o := range page.Orders {
			if o.StatusID == 0 {
				// Incomplete checkouts are not orders yet.
				continue
			}
			if err := handOver(ctx, s.ConnectionID, o, s.Settings); err != nil {
				return err
			}
			s.Swept++
		}
		moved := page.Watermark != s.Watermark
		s.Watermark = page.Watermark
		if len(page.Orders) == sweepPageSize && moved {
			continue
		}

		interval := s.Settings.orderSweepInterval()
		stop := false
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(settingsCh, func(c workflow.ReceiveChannel, _ bool) {
			c.Receive(ctx, &s.Settings)
			stop = !s.Settings.OrderSync
		})
		sel.AddReceive(nowCh, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
		sel.AddFuture(workflow.NewTimer(ctx, interval), func(workflow.Future) {})
		sel.Select(ctx)
		if stop {
			workflow.GetLogger(ctx).Info("Order sync turned off; sweep ends", "ConnectionID", s.ConnectionID)
			return nil
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			// Signals still queued would be lost with this run; take them along.
			for settingsCh.ReceiveAsync(&s.Settings) {
			}
			for nowCh.ReceiveAsync(nil) {
			}
			return workflow.NewContinueAsNewError(ctx, OrderSweep, s)
		}
	}
}

// handOver starts the order's workflow, or tells the running one that the
// order changed, with what the listing says of it: an order that has read
// that state already is not woken. The child is abandoned: it outlives the
// sweep's run.
func handOver(ctx workflow.Context, connectionID string, mo activities.ModifiedOrder, settings Settings) error {
	orderID := mo.OrderID
	id := OrderWorkflowID(connectionID, orderID)
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:        id,
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			ConnectionAttr.ValueSet(connectionID), StageAttr.ValueSet(OrderStageImporting)),
	})
	f := workflow.ExecuteChildWorkflow(cctx, Order, OrderInput{ConnectionID: connectionID, OrderID: orderID, Settings: settings})
	err := f.GetChildWorkflowExecution().Get(ctx, nil)
	if err == nil {
		return nil
	}
	if !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		return err
	}
	change := OrderChange{DateModified: mo.DateModified, StatusID: mo.StatusID}
	return workflow.SignalExternalWorkflow(ctx, id, "", OrderBigCommerceChangedSignal, change).Get(ctx, nil)
}
