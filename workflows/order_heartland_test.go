package workflows

import (
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/hrbc/hrbc/activities"
)

// startOrder runs an order of newOrderWorld that reaches awaiting
// distribution within a minute.
func startOrder(env *testsuite.TestWorkflowEnvironment) {
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
}

// stateAfterAMinute runs the order a minute, then cancels it, and returns
// its state then.
func stateAfterAMinute(t *testing.T, env *testsuite.TestWorkflowEnvironment) OrderState {
	t.Helper()
	var st OrderState
	env.RegisterDelayedCallback(func() {
		st = queryOrder(t, env)
		env.CancelWorkflow()
	}, time.Minute)
	startOrder(env)
	return st
}

// Staff distribute every line in Heartland's screen and invoice there; hrbc
// was never asked to distribute, yet the order moves on and ships.
func TestOrderTakesLinesDistributedInHeartland(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	var after OrderState
	env.RegisterDelayedCallback(func() {
		w.distributed[70], w.distributed[71] = 1, 1
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil) // the HeartlandSweep saw the order change
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		after = queryOrder(t, env)
		w.invoices = []activities.InvoiceSummary{invoice(5, 1, "53.00",
			activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})}
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, 2*time.Minute)
	startOrder(env)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if after.Stage != OrderStageFulfilling || after.Lines[0].LocationID != 1 || after.Lines[1].LocationID != 1 {
		t.Errorf("after the distribution in Heartland: stage %s, lines %+v", after.Stage, after.Lines)
	}
	if w.distributeCalls != 0 {
		t.Errorf("hrbc wrote the distribution again (%d calls)", w.distributeCalls)
	}
	if w.captures != 1 || len(w.shipments) != 1 || len(w.payments) != 1 || w.bcStatus != bcShipped || w.hlStatus != "closed" {
		t.Errorf("captures=%d shipments=%d payments=%d BigCommerce %d Heartland %q", w.captures, len(w.shipments), len(w.payments), w.bcStatus, w.hlStatus)
	}
}

// Staff distribute one line in Heartland and invoice it: that part ships
// while the other line waits, the status showing where each line is; hrbc's
// own distribute then sends the rest.
func TestOrderPartlyDistributedInHeartland(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	var partly, shippedPart OrderState
	env.RegisterDelayedCallback(func() {
		w.distributed[70] = 2
		w.invoices = []activities.InvoiceSummary{invoice(5, 2, "29.00", activities.InvoicedLine{OrderLineID: 70, Quantity: 2})}
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		partly = queryOrder(t, env)
		update(env, OrderDistributeUpdate, DistributeOrderRequest{Lines: []LineAssignment{{LineID: 71, LocationID: 1}}})
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		shippedPart = queryOrder(t, env)
		w.invoices = append(w.invoices, invoice(6, 1, "24.00", activities.InvoicedLine{OrderLineID: 71, Quantity: 1}))
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, 3*time.Minute)
	startOrder(env)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if partly.Stage != OrderStageAwaitingDistribution || partly.Lines[0].LocationID != 2 || partly.Lines[1].LocationID != 0 ||
		len(partly.Invoices) != 1 || partly.Lines[0].Shipped != 2 || partly.HeartlandStatus != "open" {
		t.Errorf("partly distributed: %+v", partly)
	}
	if shippedPart.Stage != OrderStageFulfilling || shippedPart.Lines[1].LocationID != 1 {
		t.Errorf("after hrbc distributed the rest: %+v", shippedPart)
	}
	if len(w.shipments) != 2 || w.shipments[0].InvoiceID != 5 || w.captures != 1 || w.distributed[71] != 1 || w.bcStatus != bcShipped {
		t.Errorf("shipments %+v captures %d distributed %v BigCommerce %d", w.shipments, w.captures, w.distributed, w.bcStatus)
	}
}

// Staff cancel the order in Heartland while it awaits distribution: it asks
// a person, ships nothing even when an invoice turns up, and ends cancelled
// once BigCommerce cancels it too.
func TestOrderCancelledInHeartlandBeforeDistribution(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	var cancelled OrderState
	env.RegisterDelayedCallback(func() {
		w.hlStatus = "canceled"
		w.distributed[70], w.distributed[71] = 1, 1
		w.invoices = []activities.InvoiceSummary{invoice(5, 1, "53.00",
			activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})}
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		cancelled = queryOrder(t, env)
		w.snap.StatusID, w.snap.Status = bcCancelled, "Cancelled"
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, 2*time.Minute)
	startOrder(env)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if cancelled.Stage != OrderStageAttention || !strings.Contains(cancelled.Attention, "cancelled by staff") {
		t.Errorf("cancelled in Heartland: stage %s, attention %q", cancelled.Stage, cancelled.Attention)
	}
	st := queryOrder(t, env)
	if st.Stage != OrderStageCancelled || st.Attention != "" {
		t.Errorf("after BigCommerce cancelled too: %+v", st)
	}
	if len(w.shipments) != 0 || w.captures != 0 || len(w.payments) != 0 {
		t.Errorf("shipped against a cancelled order: shipments %v captures %d payments %v", w.shipments, w.captures, w.payments)
	}
}

// Cancelled in Heartland while fulfilling: no shipment while Heartland says
// cancelled; reopened there, the order carries on by itself.
func TestOrderCancelledInHeartlandWhileFulfilling(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	var cancelled OrderState
	env.RegisterDelayedCallback(func() {
		update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		w.hlStatus = "cancelled"
		w.invoices = []activities.InvoiceSummary{invoice(5, 1, "53.00",
			activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})}
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		cancelled = queryOrder(t, env)
		if len(w.shipments) != 0 {
			t.Errorf("shipped while Heartland said cancelled: %+v", w.shipments)
		}
		w.hlStatus = "open"
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, 3*time.Minute)
	startOrder(env)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if cancelled.Stage != OrderStageAttention || !strings.Contains(cancelled.Attention, "before anything shipped") {
		t.Errorf("while cancelled: stage %s attention %q", cancelled.Stage, cancelled.Attention)
	}
	if len(w.shipments) != 1 || w.bcStatus != bcShipped || w.hlStatus != "closed" {
		t.Errorf("after reopening: shipments %d, BigCommerce %d, Heartland %q", len(w.shipments), w.bcStatus, w.hlStatus)
	}
}

// Closed in Heartland with a line never invoiced: a person is asked.
func TestOrderClosedInHeartlandWithLinesUnshipped(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	env.RegisterDelayedCallback(func() {
		w.distributed[70], w.distributed[71] = 1, 1
		w.invoices = []activities.InvoiceSummary{invoice(5, 1, "29.00", activities.InvoicedLine{OrderLineID: 70, Quantity: 2})}
		w.hlStatus = "closed"
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, time.Minute)
	var st OrderState
	env.RegisterDelayedCallback(func() {
		st = queryOrder(t, env)
		env.CancelWorkflow()
	}, 2*time.Minute)
	startOrder(env)
	if st.Stage != OrderStageAttention || !strings.Contains(st.Attention, "closed by staff with 1 unit(s) not invoiced") || len(w.shipments) != 1 {
		t.Errorf("closed with a line unshipped: stage %s attention %q shipments %d", st.Stage, st.Attention, len(w.shipments))
	}
}

// Runs begun before heartlandScreensChange take no notice of Heartland's
// screens: their command sequence stays as recorded.
func TestOrderBeforeHeartlandScreensIgnoresThem(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	orderBefore(env, heartlandScreensChange)
	var st OrderState
	env.RegisterDelayedCallback(func() {
		w.distributed[70], w.distributed[71] = 1, 1
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		st = queryOrder(t, env)
		env.CancelWorkflow()
	}, 2*time.Minute)
	startOrder(env)
	if st.Stage != OrderStageAwaitingDistribution || w.hlReads != 0 {
		t.Errorf("a run from before the change: stage %s, Heartland reads %d", st.Stage, w.hlReads)
	}
}

// The HeartlandSweep's signal says what changed: one about hrbc's own write
// (nothing new) costs the order no call; one naming a new invoice ships it
// without reading the order; a bare one reads everything.
func TestOrderActsOnWhatTheSweepSaw(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	var quiet, shipped [2]int
	env.RegisterDelayedCallback(func() {
		update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		quiet = [2]int{w.hlReads, w.invoiceLists}
		env.SignalWorkflow(OrderHeartlandChangedSignal, HeartlandChange{Status: "open"})
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		if w.hlReads != quiet[0] || w.invoiceLists != quiet[1] {
			t.Errorf("a change with nothing new cost reads %d→%d, invoice lists %d→%d", quiet[0], w.hlReads, quiet[1], w.invoiceLists)
		}
		w.invoices = []activities.InvoiceSummary{invoice(5, 1, "29.00", activities.InvoicedLine{OrderLineID: 70, Quantity: 2})}
		env.SignalWorkflow(OrderHeartlandChangedSignal, HeartlandChange{Status: "open", InvoiceIDs: []int64{5}})
	}, 3*time.Minute)
	env.RegisterDelayedCallback(func() {
		shipped = [2]int{w.hlReads, len(w.shipments)}
		w.invoices = append(w.invoices, invoice(6, 1, "24.00", activities.InvoicedLine{OrderLineID: 71, Quantity: 1}))
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, 4*time.Minute)
	startOrder(env)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if shipped[0] != quiet[0] || shipped[1] != 1 {
		t.Errorf("the new invoice: reads %d→%d, shipments %d", quiet[0], shipped[0], shipped[1])
	}
	if w.hlReads <= shipped[0] || len(w.shipments) != 2 || w.bcStatus != bcShipped {
		t.Errorf("a bare signal: reads %d→%d, shipments %d, BigCommerce %d", shipped[0], w.hlReads, len(w.shipments), w.bcStatus)
	}
}
