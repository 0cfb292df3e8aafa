package workflows

import (
	"errors"

	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// afterProcess decides how a run under orderRescueChange ends once the
// order's process returned: a resolved order ends at once, an order the
// store does not have is recorded as such, and a closed or cancelled one
// keeps watching the store (watchFinished).
func (o *order) afterProcess(ctx workflow.Context, err error) error {
	switch {
	case errors.Is(err, errResolved):
		return nil
	case isOrderNotFound(err):
		workflow.GetLogger(ctx).Warn("BigCommerce has no such order; nothing was written for it", "OrderID", o.OrderID, "Reason", failureReason(err))
		return o.setStage(ctx, OrderStageNotInStore, "")
	case err != nil:
		return err
	case o.Stage == OrderStageClosed || o.Stage == OrderStageCancelled:
		if err := o.watchFinished(ctx); err != nil && !errors.Is(err, errResolved) {
			return err
		}
	}
	return nil
}

// watchFinished keeps a finished order's run open for FinishedWatch. Late
// and replayed webhooks (hrbc's own status changes cause some) reach this
// run instead of starting another, so the order stays one row; and the one
// change hrbc acts on after the end, BigCommerce cancelling or refunding an
// order that has shipped, asks a person with the amounts. Waiting costs
// nothing: no timer fires and no call is made until the store says
// something changed.
func (o *order) watchFinished(ctx workflow.Context) error {
	deadline := workflow.Now(ctx).Add(o.options.FinishedWatch)
	for {
		seen := o.bcChanged
		left := deadline.Sub(workflow.Now(ctx))
		if left <= 0 {
			return nil
		}
		o.settled()
		changed, err := o.awaitOrTimer(ctx, timerWatch, left, func() bool { return o.bcChanged > seen })
		if err != nil || !changed {
			return err
		}
		o.consumeWakeups()
		if o.Stage != OrderStageClosed || len(o.Invoices) == 0 && !o.fullyShipped() {
			// A cancelled order has nothing left to undo.
			continue
		}
		if err := o.checkAfterClose(ctx); err != nil {
			return err
		}
	}
}

// checkAfterClose reads the status of a closed order that changed in
// BigCommerce: cancelled, declined or refunded (in part or in full) after
// its goods left asks a person until it is resolved or BigCommerce shows it
// shipped again. An order the store no longer has (deleted or archived
// after it closed) has nothing left to watch.
func (o *order) checkAfterClose(ctx workflow.Context) error {
	for {
		var st activities.OrderStatusSnapshot
		err := workflow.ExecuteActivity(o.activityContext(ctx), orderActivities.ReadOrderStatus,
			activities.OrderRequest{ConnectionID: o.ConnectionID, OrderID: o.OrderID}).Get(ctx, &st)
		switch {
		case isOrderNotFound(err):
			workflow.GetLogger(ctx).Info("Closed order no longer in BigCommerce", "OrderID", o.OrderID)
			return nil
		case err != nil:
			// The watch is a courtesy: an outage now is not worth a person;
			// the next change reads again.
			workflow.GetLogger(ctx).Warn("Could not read a closed order's status", "OrderID", o.OrderID, "Error", err)
			return nil
		}
		o.recordRead(ctx, st.StatusID, st.PaymentStatus, st.DateModified)
		switch st.StatusID {
		case bcCancelled, bcDeclined, bcRefunded, bcPartiallyRefunded:
		default:
			if o.Stage == OrderStageAttention {
				return o.setStage(ctx, OrderStageClosed, "")
			}
			return nil
		}
		if err := o.needAttention(ctx, o.afterShipmentReason(st.Status)); err != nil {
			return err
		}
		// A retry or a further change: read again.
		o.consumeWakeups()
	}
}
