package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"
)

// orderTellsInventoryChange versions the order telling the inventory sync
// which items its Heartland writes moved. Heartland very likely logs no
// inventory transaction when an open order commits stock (or a cancelled
// or closed one releases it, or a line moves between locations), so the
// inventory sync, which follows that feed, would learn of it only at its
// next reconciliation.
const orderTellsInventoryChange = "order-tells-inventory"

// tellInventory sends the connection's inventory sync a changed signal
// naming the order's Heartland items, so their web stock is recomputed at
// once. A connection without a running inventory sync has nothing to tell;
// the failed signal is only logged.
func (o *order) tellInventory(ctx workflow.Context, why string) {
	if o.tellsInventory == nil {
		v := workflow.GetVersion(ctx, orderTellsInventoryChange, workflow.DefaultVersion, 1) >= 1
		o.tellsInventory = &v
	}
	if !*o.tellsInventory {
		return
	}
	var ids []int64
	for _, l := range o.Lines {
		if l.ItemID != 0 && !slices.Contains(ids, l.ItemID) {
			ids = append(ids, l.ItemID)
		}
	}
	if len(ids) == 0 {
		return
	}
	err := workflow.SignalExternalWorkflow(ctx, InventoryWorkflowID(o.ConnectionID), "", InventoryChangedSignal,
		InventoryChanged{ItemIDs: ids, Source: "order " + why}).Get(ctx, nil)
	if err != nil {
		workflow.GetLogger(ctx).Debug("Inventory sync not told of the order's stock", "OrderID", o.OrderID, "Why", why, "Error", err)
	}
}
