package worker

import (
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/workflows"
)

// registerInventory registers the inventory sync workflow and activities.
// One *activities.Inventory serves every connection of the worker: it keeps
// the per-connection SKU indexes in memory.
func registerInventory(r sdkworker.Registry, deps Dependencies) {
	r.RegisterWorkflow(workflows.InventorySync)
	r.RegisterActivity(&activities.Inventory{Connections: deps.Connections, Logger: deps.Logger})
}
