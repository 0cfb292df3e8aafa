package activities

import (
	"context"
	"slices"

	"go.temporal.io/sdk/activity"
)

// InventoryChanged is the payload of the inventory sync's changed signal:
// Heartland items whose web stock is to be recomputed now. The workflows
// package names it too (workflows.InventoryChanged); it lives here because
// activities send it as well.
type InventoryChanged struct {
	// ItemIDs are Heartland items to recompute; empty means "poll now".
	ItemIDs []int64 `json:"item_ids,omitempty"`
	// Source says what noticed the change (e.g. "sales_transaction_completed").
	Source string `json:"source,omitempty"`
}

// InventoryTell asks an activity whose Heartland writes move stock to tell
// the connection's inventory sync of the items when it is done: a signal
// from the activity costs the calling workflow nothing, where one of its
// own costs it a command, its outcome's events and a workflow task.
type InventoryTell struct {
	// WorkflowID is the inventory sync's workflow ID.
	WorkflowID string `json:"workflow_id"`
	// Signal is the name of its changed signal.
	Signal string `json:"signal"`
	// Source is InventoryChanged.Source ("order opened").
	Source string `json:"source"`
}

// tellInventory signals the items to the inventory sync tell names. A
// connection without a running inventory sync has nothing to tell, and a
// failed signal only delays the web stock to the sync's next round: either
// way it is logged, not returned, since the Heartland write it reports is
// done and a retry would not undo it.
func tellInventory(ctx context.Context, tell *InventoryTell, itemIDs []int64) {
	if tell == nil || len(itemIDs) == 0 {
		return
	}
	err := activity.GetClient(ctx).SignalWorkflow(ctx, tell.WorkflowID, "", tell.Signal,
		InventoryChanged{ItemIDs: itemIDs, Source: tell.Source})
	if err != nil {
		activity.GetLogger(ctx).Debug("Inventory sync not told of the stock moved", "WorkflowID", tell.WorkflowID, "Source", tell.Source, "Error", err)
	}
}

// distinctItems lists the lines' Heartland items, each once, in line order.
func distinctItems(lines []SalesLine) []int64 {
	var ids []int64
	for _, l := range lines {
		if l.ItemID != 0 && !slices.Contains(ids, l.ItemID) {
			ids = append(ids, l.ItemID)
		}
	}
	return ids
}
