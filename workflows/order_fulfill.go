package workflows

import (
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// fulfill turns Heartland invoices into BigCommerce shipments until every
// line has shipped, then closes both sides. It looks for invoices when told
// (heartlandChanged) and otherwise on a backing-off poll.
func (o *order) fulfill(ctx workflow.Context) error {
	if o.settings.OutsideFulfillment {
		return o.fulfillOutside(ctx)
	}
	if err := o.setStage(ctx, OrderStageFulfilling, ""); err != nil {
		return err
	}
	wait := o.options.InvoicePollInterval
	for {
		o.consumeWakeups()
		look := true
		if o.screens {
			var known string
			known, look = o.takeNews()
			// Before any shipment: never ship against a cancelled order.
			if ended, err := o.syncHeartland(ctx, known); err != nil || ended {
				return err
			}
		}
		progressed, err := o.collectInvoicesIf(ctx, look)
		if err != nil || o.Stage == OrderStageCancelled {
			return err
		}
		if o.fullyShipped() {
			return o.close(ctx)
		}
		if progressed {
			wait = o.options.InvoicePollInterval
		} else if wait *= 2; wait > o.options.MaxInvoicePollInterval {
			wait = o.options.MaxInvoicePollInterval
		}
		if o.screens {
			// The HeartlandSweep says when to look; this is the backstop.
			wait = o.options.HeartlandBackstop
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return o.continueAsNew(ctx)
		}
		o.settled()
		if err := o.awaitFulfillment(ctx, wait); err != nil {
			return err
		}
		if o.bcChanged > o.seenBC {
			o.consumeWakeups()
			cancelled, err := o.checkCancelled(ctx)
			if err != nil || cancelled {
				return err
			}
		}
	}
}

// awaitFulfillment waits for word from Heartland or BigCommerce, a retry,
// or for wait to pass (the Heartland backstop under
// heartlandScreensChange, which every run with a shared timer has).
func (o *order) awaitFulfillment(ctx workflow.Context, wait time.Duration) error {
	woken, err := o.awaitOrTimer(ctx, timerBackstop, wait, func() bool {
		return o.hlChanged > o.seenHL || o.bcChanged > o.seenBC || o.retries > o.seenRetry
	})
	if !woken {
		// The backstop is there to read what the sweep may not see.
		o.news.sinceRead = false
	}
	return err
}

// continueAsNew hands the order to a fresh run once the history grows long
// (an order can wait weeks for its last invoice).
func (o *order) continueAsNew(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	state := o.OrderState
	return workflow.NewContinueAsNewError(ctx, Order, OrderInput{
		ConnectionID: o.ConnectionID, OrderID: o.OrderID, Settings: o.settings, Options: o.options, Resume: &state,
	})
}

// collectInvoices carries every completed invoice not seen before over to
// BigCommerce: capture (before the first shipment), shipment, payment.
func (o *order) collectInvoices(ctx workflow.Context) (bool, error) {
	var invoices []activities.InvoiceSummary
	if err := o.callRead(ctx, orderActivities.ListInvoices, &invoices, activities.InvoicesRequest{
		ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID}); err != nil {
		return false, err
	}
	slices.SortFunc(invoices, func(a, b activities.InvoiceSummary) int { return int(a.ID - b.ID) })
	progressed := false
	for _, inv := range invoices {
		if !inv.Completed || o.hasInvoice(inv.ID) {
			continue
		}
		if err := o.shipInvoice(ctx, inv); err != nil || o.Stage == OrderStageCancelled {
			return progressed, err
		}
		progressed = true
	}
	return progressed, nil
}

func (o *order) hasInvoice(id int64) bool {
	return slices.ContainsFunc(o.Invoices, func(i InvoiceState) bool { return i.InvoiceID == id })
}

// shipInvoice records one invoice. Each step is idempotent on its own, so
// a crash in between repeats nothing on a rerun.
func (o *order) shipInvoice(ctx workflow.Context, inv activities.InvoiceSummary) error {
	var items []activities.ShipmentItem
	shipped := make([]int, len(o.Lines))
	for _, il := range inv.Lines {
		i := slices.IndexFunc(o.Lines, func(l OrderLineState) bool { return l.LineID == il.OrderLineID })
		if i < 0 || il.Quantity <= 0 {
			continue
		}
		items = append(items, activities.ShipmentItem{OrderProductID: o.Lines[i].OrderProductID, Quantity: il.Quantity})
		shipped[i] += il.Quantity
	}
	if o.money {
		// Before every invoice: a refund may have come since the last.
		o.invoicing = true
		ok, err := o.paymentGate(ctx)
		o.invoicing = false
		if err != nil || !ok {
			return err
		}
	} else if !o.Captured {
		var res activities.CaptureResult
		if err := o.callWrite(ctx, orderActivities.CapturePayment, &res, activities.OrderRequest{ConnectionID: o.ConnectionID, OrderID: o.OrderID}); err != nil {
			return err
		}
		o.Captured, o.PaymentStatus = true, res.PaymentStatus
		if res.Captured {
			workflow.GetLogger(ctx).Info("Payment captured", "OrderID", o.OrderID)
		}
	}
	state := InvoiceState{InvoiceID: inv.ID, LocationID: inv.LocationID, Total: inv.Total}
	if len(items) > 0 {
		var res activities.ShipmentResult
		if err := o.callWrite(ctx, orderActivities.CreateShipment, &res, activities.ShipmentRequest{
			ConnectionID: o.ConnectionID, OrderID: o.OrderID, InvoiceID: inv.ID, OrderAddressID: o.OrderAddressID, Items: items}); err != nil {
			return err
		}
		state.ShipmentID = res.ShipmentID
	}
	if err := o.callWrite(ctx, orderActivities.RecordInvoicePayment, nil, activities.InvoicePaymentRequest{
		ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID, InvoiceID: inv.ID, Amount: inv.Total, OrderID: o.moneyOrderID()}); err != nil {
		return err
	}
	state.Paid = true
	o.Invoices = append(o.Invoices, state)
	for i := range o.Lines {
		o.Lines[i].Shipped += shipped[i]
	}
	workflow.GetLogger(ctx).Info("Invoice shipped", "OrderID", o.OrderID, "InvoiceID", inv.ID, "ShipmentID", state.ShipmentID)
	return nil
}

func (o *order) fullyShipped() bool {
	for _, l := range o.Lines {
		if l.Shipped < l.Quantity {
			return false
		}
	}
	return len(o.Lines) > 0
}

// close marks the order Shipped in BigCommerce and closed in Heartland;
// under moneyChange only once Heartland's money matches BigCommerce's.
func (o *order) close(ctx workflow.Context) error {
	if o.money {
		if err := o.settle(ctx); err != nil {
			return err
		}
	}
	if err := o.callWrite(ctx, orderActivities.SetOrderStatus, nil, activities.OrderStatusRequest{
		ConnectionID: o.ConnectionID, OrderID: o.OrderID, StatusID: bcShipped}); err != nil {
		return err
	}
	if err := o.callWrite(ctx, orderActivities.SetSalesOrderStatus, nil, activities.SalesOrderStatusRequest{
		ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID, Status: "closed"}); err != nil {
		return err
	}
	o.BigCommerceStatus = bcShipped
	workflow.GetLogger(ctx).Info("Order closed", "OrderID", o.OrderID, "HeartlandOrderID", o.HeartlandOrderID)
	o.tellInventory(ctx, "closed")
	return o.setStage(ctx, OrderStageClosed, "")
}

// fulfillOutside waits for BigCommerce to report the order shipped by the
// outside service, then records it in Heartland as one completed invoice
// at the fulfillment location.
func (o *order) fulfillOutside(ctx workflow.Context) error {
	if err := o.setStage(ctx, OrderStageFulfilling, ""); err != nil {
		return err
	}
	wait := o.options.InvoicePollInterval
	for {
		o.consumeWakeups()
		statusID, _, err := o.readStatus(ctx)
		if err != nil {
			return err
		}
		switch statusID {
		case bcShipped:
			return o.recordOutside(ctx)
		case bcCancelled, bcDeclined, o.refundedStatus():
			if err := o.callWrite(ctx, orderActivities.SetSalesOrderStatus, nil, activities.SalesOrderStatusRequest{
				ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID, Status: "canceled"}); err != nil {
				return err
			}
			o.tellInventory(ctx, "cancelled")
			return o.setStage(ctx, OrderStageCancelled, "")
		}
		if wait *= 2; wait > o.options.MaxInvoicePollInterval {
			wait = o.options.MaxInvoicePollInterval
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return o.continueAsNew(ctx)
		}
		o.settled()
		if _, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return o.bcChanged > o.seenBC }); err != nil {
			return err
		}
	}
}

func (o *order) recordOutside(ctx workflow.Context) error {
	if o.money {
		// The outside service shipped: like hrbc's own first shipment, that
		// captures an authorized payment, and nothing is booked without it.
		if ok, err := o.paymentGate(ctx); err != nil || !ok {
			return err
		}
	}
	loc := o.settings.FulfillmentLocationID
	if err := o.assign(ctx, DistributeOrderRequest{LocationID: loc}, assignMain); err != nil {
		return err
	}
	if err := o.callWrite(ctx, orderActivities.RecordOutsideFulfillment, nil, activities.OutsideFulfillmentRequest{
		ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID, LocationID: loc, Amount: o.Total, OrderID: o.moneyOrderID()}); err != nil {
		return err
	}
	for i := range o.Lines {
		o.Lines[i].Shipped = o.Lines[i].Quantity
	}
	if o.money {
		if err := o.settle(ctx); err != nil {
			return err
		}
	}
	if err := o.callWrite(ctx, orderActivities.SetSalesOrderStatus, nil, activities.SalesOrderStatusRequest{
		ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID, Status: "closed"}); err != nil {
		return err
	}
	workflow.GetLogger(ctx).Info("Order fulfilled outside Heartland recorded", "OrderID", o.OrderID)
	return o.setStage(ctx, OrderStageClosed, "")
}
