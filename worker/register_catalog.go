package worker

import sdkworker "go.temporal.io/sdk/worker"

// registerCatalog registers the catalog workflows and activities.
func registerCatalog(r sdkworker.Registry, deps Dependencies) {}
