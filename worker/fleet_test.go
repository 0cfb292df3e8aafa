package worker

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/temporal"
	"go.temporal.io/server/temporaltest"
)

func TestCountWorkersCountsRecentDistinctPollersAndSelf(t *testing.T) {
	now := time.Now()
	window := 2 * time.Minute
	for _, tc := range []struct {
		name    string
		pollers []client.TaskQueuePollerInfo
		want    int
	}{
		{"no pollers yet: self alone", nil, 1},
		{"self already polling", []client.TaskQueuePollerInfo{{Identity: "self", LastAccessTime: now}}, 1},
		{"one other", []client.TaskQueuePollerInfo{{Identity: "self", LastAccessTime: now}, {Identity: "b", LastAccessTime: now.Add(-time.Minute)}}, 2},
		{"the same worker on several partitions counts once", []client.TaskQueuePollerInfo{
			{Identity: "b", LastAccessTime: now}, {Identity: "b", LastAccessTime: now.Add(-time.Second)}, {Identity: "c", LastAccessTime: now},
		}, 3},
		{"a worker silent longer than the window is gone", []client.TaskQueuePollerInfo{{Identity: "b", LastAccessTime: now.Add(-window - time.Second)}}, 1},
		{"a poller without identity is not a worker", []client.TaskQueuePollerInfo{{Identity: "", LastAccessTime: now}}, 1},
		{"a poller without access time is kept", []client.TaskQueuePollerInfo{{Identity: "b"}}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := countWorkers(tc.pollers, "self", now, window); got != tc.want {
				t.Errorf("countWorkers = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestFleetCountsTheWorkersOfItsTaskQueue runs workers on a real server:
// the fleet grows as workers join the queue, ignores other queues, keeps
// idle workers, and shrinks when workers stop. The server answers idle
// long polls after 2 s instead of a minute, so a window of a few seconds
// stands for the two minutes of production.
func TestFleetCountsTheWorkersOfItsTaskQueue(t *testing.T) {
	const pollExpiry, window = 2 * time.Second, 6 * time.Second
	ts := temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseServerOptions(
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			dynamicconfig.MatchingLongPollExpirationInterval.Key(): []dynamicconfig.ConstrainedValue{{Value: pollExpiry}},
		})))
	c := ts.GetDefaultClient()
	const queue = "fleet-test"
	start := func(identity, taskQueue string) sdkworker.Worker {
		w := sdkworker.New(c, taskQueue, sdkworker.Options{Identity: identity})
		// A worker polls for activities only when it has some.
		w.RegisterActivityWithOptions(func(context.Context) error { return nil }, activity.RegisterOptions{Name: "Noop"})
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		return w
	}
	defer start("self", queue).Stop()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fleet := NewFleet()
	if fleet.Size() != 1 {
		t.Fatalf("a new fleet has %d workers, want 1", fleet.Size())
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fleet.Watch(ctx, FleetWatch{Client: c, TaskQueue: queue, Self: "self", Every: 100 * time.Millisecond, Window: window})
	}()

	other := start("other", queue)
	stranger := start("stranger", "another-queue")
	defer stranger.Stop()
	waitFleet(t, fleet, 2)
	third := start("third", queue)
	waitFleet(t, fleet, 3)
	// Idle workers keep polling, so they stay counted past the window.
	time.Sleep(window + pollExpiry)
	if fleet.Size() != 3 {
		t.Fatalf("idle workers: fleet has %d, want 3", fleet.Size())
	}
	// Stopped workers poll no more and drop out after the window.
	other.Stop()
	third.Stop()
	waitFleet(t, fleet, 1)

	cancel()
	<-done
}

func waitFleet(t *testing.T, f *Fleet, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for f.Size() != want {
		if time.Now().After(deadline) {
			t.Fatalf("fleet has %d workers after 30s, want %d", f.Size(), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestNilFleetIsAWorkerAlone(t *testing.T) {
	var f *Fleet
	if f.Size() != 1 {
		t.Errorf("nil fleet size %d, want 1", f.Size())
	}
}
