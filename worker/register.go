package worker

import (
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/workflows"
)

// Register puts every hrbc workflow and activity on a worker. It is the one
// place registration happens, shared by cmd/worker and the tests.
func Register(r sdkworker.Registry) {
	r.RegisterWorkflow(workflows.Connection)
}
