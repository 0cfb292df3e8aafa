package worker

import (
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/workflows"
)

// registerCatalog registers the catalog workflows and activities.
func registerCatalog(r sdkworker.Registry, deps Dependencies) {
	r.RegisterWorkflow(workflows.CatalogSync)
	r.RegisterWorkflow(workflows.CatalogFollow)
	r.RegisterWorkflow(workflows.CatalogLinkReport)
	r.RegisterActivity(&activities.Catalog{Connections: deps.Connections})
}
