package worker

import (
	"log/slog"

	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/workflows"
)

// Dependencies are what activities need from the process.
type Dependencies struct {
	// Connections holds each connection's API clients.
	Connections *activities.Connections
	// Logger is the process logger.
	Logger *slog.Logger
	// WebhookBaseURL is where the platforms reach the intake; empty
	// registers no webhooks.
	WebhookBaseURL string
}

// Register puts every hrbc workflow and activity on a worker. It is the one
// place registration happens, shared by cmd/worker and the tests; each area
// adds its own in a register_<area>.go file.
func Register(r sdkworker.Registry, deps Dependencies) {
	r.RegisterWorkflow(workflows.Connection)
	r.RegisterActivity(&activities.Webhooks{Connections: deps.Connections, PublicURL: deps.WebhookBaseURL})
	registerInventory(r, deps)
	registerOrders(r, deps)
	registerCatalog(r, deps)
}
