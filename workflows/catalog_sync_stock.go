package workflows

import (
	"go.temporal.io/sdk/workflow"
)

// catalogLinkedStockChange versions the changed signal a catalog page sends
// the connection's InventorySync for the items it linked, so that a SKU
// new on one side shows its stock on the website at once instead of 0
// until its next movement. Runs begun before it send nothing.
const catalogLinkedStockChange = "catalog-linked-stock"

// InventorySourceCatalog is the Source of a changed signal sent for items
// a catalog push or pull linked.
const InventorySourceCatalog = "catalog_linked"

// tellInventory asks the InventorySync to write the stock of items a
// catalog page linked. The version is asked only when there is something
// to tell, and an inventory sync that is not running has nothing to be
// told: its next full sync writes them.
func tellInventory(ctx workflow.Context, connectionID string, itemIDs []int64) {
	if len(itemIDs) == 0 {
		return
	}
	if workflow.GetVersion(ctx, catalogLinkedStockChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	id := InventoryWorkflowID(connectionID)
	err := workflow.SignalExternalWorkflow(ctx, id, "", InventoryChangedSignal,
		InventoryChanged{ItemIDs: itemIDs, Source: InventorySourceCatalog}).Get(ctx, nil)
	if err != nil {
		workflow.GetLogger(ctx).Info("Inventory sync not told of linked items", "WorkflowID", id, "Items", len(itemIDs), "Error", err)
	}
}
