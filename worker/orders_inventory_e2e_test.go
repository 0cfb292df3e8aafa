package worker_test

import (
	"slices"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
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
