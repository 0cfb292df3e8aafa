// Package worker is hrbc's process: the embedded Temporal server (or a
// client of a real cluster), the Temporal worker with every workflow and
// activity registered, the HTTP intake and the sandbox fakes, run under
// one errgroup and stopped in order. Its parts live in subpackages:
// config (environment), logging, intake (HTTP), sandbox (fakes),
// devserver (embedded server and UI) and workertest (the full stack for
// tests and the bench). It may import every hrbc package; only cmd/*
// and workertest import it.
package worker

import (
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/workflows"
)

// RuntimeConnectionAllowance is how many connections installed at runtime
// (BigCommerce app installs) a worker keeps activity slots for, for their
// long polls, besides the configured ones. Installed connections spread
// over the workers of a task queue, so a fleet of three holds 300.
const RuntimeConnectionAllowance = 100

// MaxHeartbeatThrottleInterval is the longest the worker holds an
// activity's heartbeats back before sending one: 80 % of the long polls'
// heartbeat timeout, so that they send one per 96 s and not one a minute
// (the SDK's default cap). Activities with shorter heartbeat timeouts send
// at 80 % of theirs, as before.
const MaxHeartbeatThrottleInterval = workflows.LongPollHeartbeatTimeout * 8 / 10

// New returns a worker polling cfg.TaskQueue with every hrbc workflow and
// activity registered. The caller starts and stops it.
func New(c client.Client, cfg config.Config, deps Dependencies) sdkworker.Worker {
	return newWorker(c, cfg, deps, nil)
}

// newWorker is New with a hook for errors that stop the worker for good
// (the process ends on them rather than idling with a dead worker).
func newWorker(c client.Client, cfg config.Config, deps Dependencies, onFatal func(error)) sdkworker.Worker {
	// Each connection's long polls (workflows.LongPollsPerConnection) hold
	// an activity slot for as long as the connection is idle: they come on
	// top of the activities that do work, which would otherwise starve.
	// Connections installed at runtime are not known yet, so room is kept
	// for RuntimeConnectionAllowance of them (a sleeping poll's slot costs
	// a goroutine; the API clients' own pacing bounds the calls).
	configured := 0
	if deps.Connections != nil {
		configured = len(deps.Connections.IDs())
	}
	longPolls := workflows.LongPollsPerConnection * (configured + RuntimeConnectionAllowance)
	w := sdkworker.New(c, cfg.TaskQueue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize: cfg.MaxConcurrentActivities + longPolls,
		MaxConcurrentWorkflowTaskPollers:   cfg.TaskPollers,
		MaxConcurrentActivityTaskPollers:   cfg.TaskPollers,
		// Running activities get this long to finish before a stop cancels them.
		WorkerStopTimeout: cfg.ShutdownTimeout,
		// The long polls' heartbeats go out at 80 % of their timeout, not
		// at the SDK's default cap of one a minute.
		MaxHeartbeatThrottleInterval: MaxHeartbeatThrottleInterval,
		OnFatalError:                 onFatal,
		Identity:                     deps.Identity,
		// HrbcAttention is stored in clear: no quoted customer data in it.
		// Local activities send no write close to their deadline.
		Interceptors: []interceptor.WorkerInterceptor{workflows.NewAttentionInterceptor(), activities.NewInPlaceWritesInterceptor()},
	})
	// Connections installed at runtime are read from their workflows.
	useRuntimeConnections(deps.Connections, c, cfg, deps.Logger, WithMetrics(deps.Metrics), WithPeers(deps.Peers))
	if deps.Temporal == nil {
		deps.Temporal = c
	}
	Register(w, deps)
	return w
}
