package worker

import sdkworker "go.temporal.io/sdk/worker"

// registerInventory registers the inventory sync workflow and activities.
func registerInventory(r sdkworker.Registry, deps Dependencies) {}
