package worker

import (
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/workflows"
)

// registerOrders registers the order workflows and activities.
func registerOrders(r sdkworker.Registry, deps Dependencies) {
	r.RegisterWorkflow(workflows.Order)
	r.RegisterWorkflow(workflows.OrderSweep)
	r.RegisterActivity(&activities.Orders{Connections: deps.Connections})
}
