package worker

import sdkworker "go.temporal.io/sdk/worker"

// registerOrders registers the order workflows and activities.
func registerOrders(r sdkworker.Registry, deps Dependencies) {}
