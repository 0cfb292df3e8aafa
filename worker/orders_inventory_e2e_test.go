package worker_test

import (
	"slices"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// An order opened in Heartland commits stock, which Heartland's inventory
// feed very likely does not show: the import itself tells the inventory
// sync the order's items, so the order's own history carries no signal of
// its own for it.
func TestEndToEndImportTellsTheInventorySync(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, _ *orderShop) { s.InventorySync = true })
	// The connection starts its inventory sync after its sweeps: an order
	// imported before it runs has no one to tell (the sync's first full
	// pass reads that stock anyway), so the order comes once it runs.
	sh.waitFullSyncs(1)
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{
		{SKU: "SKU-A", Quantity: 2}, {SKU: "SKU-B", Quantity: 1}, {SKU: "SKU-A", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)

	var items []int64
	for _, l := range sh.heartlandOrder(t, id).Lines {
		if !slices.Contains(items, l.ItemID) {
			items = append(items, l.ItemID)
		}
	}
	var told []workflows.InventoryChanged
	waitFor(t, "the inventory sync told of the order", func() bool {
		told = sh.inventoryChanges(t, sh.history(workflows.InventoryWorkflowID(sh.ConnectionID), ""))
		return len(told) > 0
	})
	if len(told) != 1 || told[0].Source != "order opened" || !slices.Equal(told[0].ItemIDs, items) {
		t.Errorf("inventory sync told %+v, want once, by \"order opened\", items %v", told, items)
	}
	for _, e := range sh.history(workflows.OrderWorkflowID(sh.ConnectionID, id), "").Events {
		if e.GetEventType() == enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED {
			t.Errorf("the order signalled %s itself (event %d)", e.GetSignalExternalWorkflowExecutionInitiatedEventAttributes().GetWorkflowExecution().GetWorkflowId(), e.GetEventId())
		}
	}
}

// inventoryChanges decodes the changed signals an inventory sync's history
// received, in order.
func (s *stack) inventoryChanges(t *testing.T, hist *historypb.History) []workflows.InventoryChanged {
	t.Helper()
	dc := codec.ClientOptions(workertest.TestKeyRing(), client.Options{}).DataConverter
	var out []workflows.InventoryChanged
	for _, e := range hist.Events {
		a := e.GetWorkflowExecutionSignaledEventAttributes()
		if e.GetEventType() != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED || a.GetSignalName() != workflows.InventoryChangedSignal {
			continue
		}
		var c workflows.InventoryChanged
		if err := dc.FromPayloads(a.GetInput(), &c); err != nil {
			t.Fatalf("decode changed signal (event %d): %v", e.GetEventId(), err)
		}
		out = append(out, c)
	}
	return out
}

// The stock an order commits in Heartland reaches the website while the
// inventory sync waits in its long poll: the order's tell is written by a
// local activity in the inventory sync's next workflow task, and the long
// poll goes on. A level a stale push left on the website (99 here) is put
// right to what Heartland has available after the commit.
func TestEndToEndOrderStockReachesTheWebsiteAlongsideTheLongPoll(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, _ *orderShop) { s.InventorySync = true })
	sh.waitFullSyncs(1)
	invID := workflows.InventoryWorkflowID(sh.ConnectionID)
	waitFor(t, "the inventory sync's long poll", func() bool {
		return eventsOf(sh.history(invID, ""), enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, "WaitInventoryChanges") > 0
	})
	if err := sh.BC.SetStock("SKU-B", 0, 99); err != nil {
		t.Fatal(err)
	}
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-B", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)

	available := 0
	for _, loc := range []heartland.Location{sh.main, sh.warehouse, sh.website} {
		available += int(sh.HL.Stock("SKU-B", loc.ID).Available.IntPart())
	}
	if available != 59 {
		t.Fatalf("Heartland has %d of SKU-B available after the order, want 59 (60 less the 1 committed)", available)
	}
	waitFor(t, "SKU-B on the website at Heartland's available", func() bool {
		n, _ := sh.BC.StockLevel("SKU-B", 0)
		return n == available
	})

	hist := sh.history(invID, "")
	told := -1
	for i, e := range hist.Events {
		if e.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED && e.GetWorkflowExecutionSignaledEventAttributes().GetSignalName() == workflows.InventoryChangedSignal {
			told = i
		}
	}
	if told < 0 {
		t.Fatal("the inventory sync was not told of the order")
	}
	after := &historypb.History{Events: hist.Events[told:]}
	if n := eventsOf(after, enumspb.EVENT_TYPE_MARKER_RECORDED, ""); n != 1 {
		t.Errorf("%d markers after the tell, want the local activity's one", n)
	}
	if n := eventsOf(after, enumspb.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, ""); n != 0 {
		t.Errorf("the tell cancelled %d activities: the long poll was cut short", n)
	}
	if n := eventsOf(after, enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, ""); n != 0 {
		t.Errorf("%d activities scheduled after the tell, want none", n)
	}

	// Turned off, the run ends; it replays on today's code.
	off := sh.progress().Settings
	off.InventorySync = false
	if _, err := sh.Starter.ConfigureConnection(sh.ctx(), sh.ConnectionID, off, 0); err != nil {
		t.Fatal(err)
	}
	if err := sh.Temporal.GetWorkflow(sh.ctx(), invID, "").Get(sh.ctx(), nil); err != nil {
		t.Fatalf("inventory sync ended with %v", err)
	}
	sh.keepHistory("inventory-order-told", invID)
}

// eventsOf counts a history's events of a type; for scheduled activities
// activityType, when set, narrows them to that activity.
func eventsOf(hist *historypb.History, typ enumspb.EventType, activityType string) int {
	n := 0
	for _, e := range hist.Events {
		if e.GetEventType() != typ {
			continue
		}
		if activityType != "" && e.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName() != activityType {
			continue
		}
		n++
	}
	return n
}
