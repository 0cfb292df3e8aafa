package worker

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/worker/metrics"
)

// Fleet is how many worker processes poll a task queue for activities,
// this one included. Every worker holds its own Heartland client of every
// connection, and Heartland sees their sum, so each client paces at its
// share of the connection's HEARTLAND_RPS (heartland.Config.Peers takes
// Size). Heartland publishes no limit and answers nothing that says how
// close an account is to one, so the workers cannot learn it from the
// responses the way BigCommerce's quota headers let them.
type Fleet struct {
	size atomic.Int64
}

// NewFleet returns a fleet of one, this worker, until Watch counts.
func NewFleet() *Fleet {
	f := &Fleet{}
	f.size.Store(1)
	return f
}

// Size is the number of workers sharing each connection's pacing, at
// least 1. A nil Fleet is a worker alone.
func (f *Fleet) Size() int {
	if f == nil {
		return 1
	}
	return int(f.size.Load())
}

// Fleet counting: how often the task queue is described, and how recently
// a worker must have polled to count. An idle worker's activity poll is a
// long poll the server answers empty after about a minute, and the server
// notes each poll's start and end, so a live worker is never more than
// about a minute old; one that stopped drops out after fleetWindow.
const (
	fleetRefresh = 30 * time.Second
	fleetWindow  = 2 * time.Minute
	// fleetWarmupRounds counts at fleetRefresh/fleetWarmupRounds for the
	// first fleetRefresh after a start.
	fleetWarmupRounds = 6
)

// FleetWatch describes what Watch reads.
type FleetWatch struct {
	// Client reads the task queue's pollers.
	Client client.Client
	// TaskQueue is the queue the workers share.
	TaskQueue string
	// Self is this worker's identity (sdkworker.Options.Identity), counted
	// even before its first poll reaches the server.
	Self string
	// Every and Window default to fleetRefresh and fleetWindow.
	Every, Window time.Duration
	// Logger receives one line per change of size (nil: none).
	Logger *slog.Logger
	// Metrics receives the size (nil: none).
	Metrics *metrics.Metrics
}

// Watch counts the fleet now, six times more often during its first
// w.Every, then every w.Every until ctx ends. A failed count keeps the last size: the pacing stays as it was rather
// than jumping to the whole rate.
func (f *Fleet) Watch(ctx context.Context, w FleetWatch) {
	w.Every = cmpDuration(w.Every, fleetRefresh)
	w.Window = cmpDuration(w.Window, fleetWindow)
	if w.Logger == nil {
		w.Logger = slog.New(slog.DiscardHandler)
	}
	failing := false
	for round := 0; ; round++ {
		n, err := countFleet(ctx, w)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			failing = true
			w.Logger.Warn("could not count the workers sharing the task queue; each connection's Heartland pacing stays shared as before",
				"taskQueue", w.TaskQueue, "workers", f.Size(), "error", err)
		case err == nil:
			if failing {
				w.Logger.Info("counting the workers sharing the task queue works again", "taskQueue", w.TaskQueue)
			}
			failing = false
			if old := f.size.Swap(int64(n)); old != int64(n) {
				w.Logger.Info("workers sharing the task queue changed; each connection's Heartland pacing is split among them",
					"taskQueue", w.TaskQueue, "workers", n, "before", old)
			}
			w.Metrics.FleetSize(n)
		}
		// A fleet usually starts together (a deploy), each worker first
		// seeing only those already polling: count often at first, so the
		// account is not paced for the whole fleet at each worker's full rate
		// for long.
		wait := w.Every
		if round < fleetWarmupRounds {
			wait = w.Every / fleetWarmupRounds
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// countFleet asks the server who polls the task queue for activities.
func countFleet(ctx context.Context, w FleetWatch) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	pollers, err := activityPollers(ctx, w.Client, w.TaskQueue)
	if err != nil {
		return 0, err
	}
	return countWorkers(pollers, w.Self, time.Now(), w.Window), nil
}

// activityPollers lists the task queue's activity pollers. The enhanced
// description gathers every partition of the queue (a self-hosted server
// has four by default, and a worker's polls land on any of them); a
// server that no longer answers it is asked the classic way, which sees
// the root partition only and so may count fewer workers than there are.
func activityPollers(ctx context.Context, c client.Client, taskQueue string) ([]client.TaskQueuePollerInfo, error) {
	//lint:ignore SA1019 the enhanced mode is the one that reads every partition.
	desc, err := c.DescribeTaskQueueEnhanced(ctx, client.DescribeTaskQueueEnhancedOptions{
		TaskQueue:      taskQueue,
		TaskQueueTypes: []client.TaskQueueType{client.TaskQueueTypeActivity},
		ReportPollers:  true,
	})
	if err == nil {
		var pollers []client.TaskQueuePollerInfo
		for _, v := range desc.VersionsInfo {
			pollers = append(pollers, v.TypesInfo[client.TaskQueueTypeActivity].Pollers...)
		}
		return pollers, nil
	}
	resp, legacyErr := c.DescribeTaskQueue(ctx, taskQueue, enumspb.TASK_QUEUE_TYPE_ACTIVITY)
	if legacyErr != nil {
		return nil, fmt.Errorf("describe task queue %q: %w (enhanced: %v)", taskQueue, legacyErr, err)
	}
	pollers := make([]client.TaskQueuePollerInfo, 0, len(resp.GetPollers()))
	for _, p := range resp.GetPollers() {
		pollers = append(pollers, client.TaskQueuePollerInfo{Identity: p.GetIdentity(), LastAccessTime: p.GetLastAccessTime().AsTime()})
	}
	return pollers, nil
}

// countWorkers is the number of distinct identities that polled within
// window before now, self always among them. The server keeps a poller
// listed for minutes after it stopped; window drops those sooner.
func countWorkers(pollers []client.TaskQueuePollerInfo, self string, now time.Time, window time.Duration) int {
	seen := map[string]bool{self: true}
	for _, p := range pollers {
		if p.Identity == "" || (!p.LastAccessTime.IsZero() && now.Sub(p.LastAccessTime) > window) {
			continue
		}
		seen[p.Identity] = true
	}
	return len(seen)
}

// workerIdentity is this process's identity on the task queue: the SDK's
// own pid@host form, set explicitly so the fleet count knows which poller
// is itself.
func workerIdentity(taskQueue string) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	return fmt.Sprintf("%d@%s@%s", os.Getpid(), host, taskQueue)
}

func cmpDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
