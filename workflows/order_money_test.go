package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities"
)

// refundFully makes the world's BigCommerce order fully refunded, as the
// refunds endpoint leaves it: status 4, payment_status refunded, nothing
// captured any more.
func (w *orderWorld) refundFully() {
	w.snap.StatusID, w.snap.Status, w.snap.PaymentStatus = bcRefunded, "Refunded", "refunded"
	w.snap.DateModified = "2026-11-27T11:00:00Z"
	w.captured = decimal.Zero
}

// wholeInvoice ships the whole order from location 1: its lines, 48.00,
// without the 5.00 shipping charge, as Heartland invoices do.
func wholeInvoice() activities.InvoiceSummary {
	return invoice(5, 1, "48.00",
		activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})
}

// autoSettings auto-distribute every order to location 1.
func autoSettings() Settings {
	s := orderSettings()
	s.AutoDistributeLocationID = 1
	return s
}

func TestOrderFullRefundBeforeShipmentCancels(t *testing.T) {
	bothImports(t, testOrderFullRefundBeforeShipmentCancels)
}

// A full refund while the order waits for distribution cancels the
// Heartland order, which releases its stock.
func testOrderFullRefundBeforeShipmentCancels(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	w.snap.PaymentStatus, w.captured = "captured", decimal.RequireFromString("53.00")
	env := newOrderEnv(t, w)
	env.RegisterDelayedCallback(func() {
		w.refundFully()
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if w.hlStatus != "canceled" || len(w.shipments) != 0 || len(w.paid) != 0 {
		t.Errorf("Heartland status %q, shipments %d, payments %v; want canceled, none, none", w.hlStatus, len(w.shipments), w.paid)
	}
	if st := queryOrder(t, env); st.Stage != OrderStageCancelled {
		t.Errorf("stage %s, want cancelled", st.Stage)
	}
}

// Staff ship an order BigCommerce refunded in full, and no webhook came:
// hrbc ships nothing in BigCommerce, books no payment, never moves the
// order out of Refunded, and asks a person.
func TestOrderRefundedIsNeverShippedOrPaid(t *testing.T) {
	w := newOrderWorld(false)
	w.snap.PaymentStatus, w.captured = "captured", decimal.RequireFromString("53.00")
	env := newOrderEnv(t, w)
	s := autoSettings()
	env.RegisterDelayedCallback(func() {
		w.refundFully()
		w.bcStatus = bcRefunded
		// No signal: the webhook was lost; staff complete the invoice.
		w.invoices = []activities.InvoiceSummary{wholeInvoice()}
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		st := queryOrder(t, env)
		if st.Stage != OrderStageAttention || !strings.Contains(st.Attention, "Refunded in BigCommerce") || !strings.Contains(st.Attention, "53.00") {
			t.Errorf("stage %s attention %q, want attention naming the refund and the amount", st.Stage, st.Attention)
		}
		env.CancelWorkflow()
	}, time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	if w.bcStatus != bcRefunded || len(w.shipments) != 0 || len(w.paid) != 0 {
		t.Errorf("BigCommerce status %d, shipments %d, payments %v; want 4, none, none", w.bcStatus, len(w.shipments), w.paid)
	}
}

// A full refund after a shipment asks a person, with the amounts.
func TestOrderFullRefundAfterShipmentAsksAPerson(t *testing.T) {
	w := newOrderWorld(false)
	w.invoices = []activities.InvoiceSummary{invoice(5, 1, "24.00", activities.InvoicedLine{OrderLineID: 70, Quantity: 2})}
	env := newOrderEnv(t, w)
	s := autoSettings()
	env.RegisterDelayedCallback(func() {
		w.refundFully()
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		st := queryOrder(t, env)
		if st.Stage != OrderStageAttention || !strings.Contains(st.Attention, "Refunded in BigCommerce after 1 shipment") ||
			!strings.Contains(st.Attention, "24.00") || !strings.Contains(st.Attention, "53.00") {
			t.Errorf("stage %s attention %q", st.Stage, st.Attention)
		}
		if w.hlStatus == "canceled" || w.bcStatus == bcShipped {
			t.Errorf("Heartland %q, BigCommerce %d: a partly shipped refunded order was settled without a person", w.hlStatus, w.bcStatus)
		}
		env.CancelWorkflow()
	}, time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
}

// An order whose payment never came ships nothing and says why; once the
// money is in it ships, but hrbc did not capture it.
func TestOrderUnpaidShipsNothing(t *testing.T) {
	w := newOrderWorld(false)
	w.snap.PaymentStatus = "pending"
	w.invoices = []activities.InvoiceSummary{wholeInvoice()}
	env := newOrderEnv(t, w)
	s := autoSettings()
	env.RegisterDelayedCallback(func() {
		st := queryOrder(t, env)
		if st.Stage != OrderStageAttention || !strings.Contains(st.Attention, "pending") || st.Captured {
			t.Errorf("stage %s attention %q captured %v, want attention naming the pending payment", st.Stage, st.Attention, st.Captured)
		}
		if len(w.shipments) != 0 || len(w.paid) != 0 || w.bcStatus == bcShipped {
			t.Errorf("unpaid order: shipments %d, payments %v, BigCommerce status %d", len(w.shipments), w.paid, w.bcStatus)
		}
		// The store takes the money itself.
		w.snap.PaymentStatus, w.captured = "captured", decimal.RequireFromString("53.00")
		w.snap.DateModified = "2026-11-27T11:00:00Z"
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	st := queryOrder(t, env)
	if st.Stage != OrderStageClosed || st.Captured || w.captures != 0 {
		t.Errorf("stage %s captured %v captures %d, want closed and not captured by hrbc", st.Stage, st.Captured, w.captures)
	}
}

// Invoices carry only their lines; the shipping charge is booked before
// the order closes, so Heartland's balance is 0 and its total paid is what
// BigCommerce captured.
func TestOrderShippingChargeIsPaidBeforeClose(t *testing.T) {
	bothImports(t, func(t *testing.T, legacy bool) {
		w := newOrderWorld(legacy)
		w.invoices = []activities.InvoiceSummary{wholeInvoice()}
		env := newOrderEnv(t, w)
		s := autoSettings()
		env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
		if err := env.GetWorkflowError(); err != nil {
			t.Fatal(err)
		}
		if w.hlStatus != "closed" || !w.paidTotal().Equal(w.captured) || !w.hlTotal.Sub(w.paidTotal()).IsZero() || len(w.paid) != 2 {
			t.Errorf("Heartland %q paid %v (total %s) captured %s, want closed with 48 + 5 = 53 paid", w.hlStatus, w.paid, w.paidTotal(), w.captured)
		}
	})
}

// Money that does not add up (BigCommerce captured less than Heartland
// is owed) goes to attention instead of closing either side.
func TestOrderMoneyThatDoesNotAddUpIsNotClosed(t *testing.T) {
	w := newOrderWorld(false)
	w.hlTotal = decimal.RequireFromString("60.00")
	w.invoices = []activities.InvoiceSummary{wholeInvoice()}
	env := newOrderEnv(t, w)
	s := autoSettings()
	env.RegisterDelayedCallback(func() {
		st := queryOrder(t, env)
		if st.Stage != OrderStageAttention || !strings.Contains(st.Attention, "money does not add up") {
			t.Errorf("stage %s attention %q", st.Stage, st.Attention)
		}
		env.CancelWorkflow()
	}, time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	if w.hlStatus == "closed" || w.bcStatus == bcShipped {
		t.Errorf("Heartland %q BigCommerce %d: closed although the money does not add up", w.hlStatus, w.bcStatus)
	}
}

// An order an earlier workflow cancelled in Heartland shows as cancelled,
// never as closed.
func TestOrderCancelledByEarlierWorkflowIsNotClosed(t *testing.T) {
	bothImports(t, func(t *testing.T, legacy bool) {
		w := newOrderWorld(legacy)
		w.hlOrder, w.hlStatus = 900, "canceled"
		env := newOrderEnv(t, w)
		env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
		if err := env.GetWorkflowError(); err != nil {
			t.Fatal(err)
		}
		if st := queryOrder(t, env); st.Stage != OrderStageCancelled {
			t.Errorf("stage %s, want cancelled", st.Stage)
		}
	})
}
