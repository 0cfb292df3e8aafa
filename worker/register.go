package worker

import (
	"cmp"
	"log/slog"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/worker/metrics"
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
	// Metrics receives what the activities measure (nil: nothing is).
	Metrics *metrics.Metrics
	// Identity names this worker to the server (empty: the SDK's own);
	// the fleet count recognises itself by it.
	Identity string
	// Peers reports how many workers share the task queue (nil: this one
	// alone); the Heartland clients of runtime connections split their
	// pacing among them.
	Peers func() int
	// Temporal is the client activities ask about other workflows with;
	// New fills it with the worker's own. Nil: the order sweep hands every
	// listed order over.
	Temporal client.Client
	// DataConverter is the Temporal client's data converter, which the
	// activities decode workflow memos with (nil: the SDK default).
	DataConverter converter.DataConverter
}

// Register puts every hrbc workflow and activity on a worker. It is the one
// place registration happens, shared by cmd/worker and the tests.
func Register(r sdkworker.Registry, deps Dependencies) {
	RegisterWorkflows(r)
	r.RegisterActivity(&activities.Webhooks{Connections: deps.Connections, PublicURL: deps.WebhookBaseURL})
	orders := &activities.Orders{Connections: deps.Connections}
	if deps.Temporal != nil {
		orders.Runs = OrderRuns{Client: deps.Temporal, DataConverter: deps.DataConverter}
	}
	r.RegisterActivity(orders)
	r.RegisterActivity(&activities.Inventory{Connections: deps.Connections, Logger: deps.Logger, ObserveLag: deps.Metrics.InventoryLag})
	r.RegisterActivity(&activities.Catalog{Connections: deps.Connections})
	r.RegisterActivity(&activities.ConnectionChecks{Connections: deps.Connections, PublicURL: deps.WebhookBaseURL})
	r.RegisterActivity(&activities.CredentialChecks{Build: ClientBuilder(cmp.Or(deps.Logger, slog.New(slog.DiscardHandler)), WithMetrics(deps.Metrics))})
}

// RegisterWorkflows registers every workflow; replaying a history needs
// the workflows alone.
func RegisterWorkflows(r sdkworker.WorkflowRegistry) {
	r.RegisterWorkflow(workflows.Connection)
	r.RegisterWorkflow(workflows.ConnectionCheck)
	r.RegisterWorkflow(workflows.Order)
	r.RegisterWorkflow(workflows.OrderSweep)
	r.RegisterWorkflow(workflows.HeartlandSweep)
	r.RegisterWorkflow(workflows.InventorySync)
	r.RegisterWorkflow(workflows.CatalogSync)
	r.RegisterWorkflow(workflows.CatalogFollow)
	r.RegisterWorkflow(workflows.CatalogLinkReport)
}
