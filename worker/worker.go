// Package worker assembles hrbc's Temporal worker: registration of every
// workflow and activity, worker options from configuration, the embedded
// development stack and the process lifecycle that cmd/worker runs.
package worker

import (
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
)

// New returns a worker polling cfg.TaskQueue with every hrbc workflow and
// activity registered. The caller starts and stops it.
func New(c client.Client, cfg Config, deps Dependencies) sdkworker.Worker {
	w := sdkworker.New(c, cfg.TaskQueue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize: cfg.MaxConcurrentActivities,
		// Running activities get this long to finish before a stop cancels them.
		WorkerStopTimeout: cfg.ShutdownTimeout,
	})
	Register(w, deps)
	return w
}
