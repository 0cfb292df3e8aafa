package worker_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"go.temporal.io/server/temporaltest"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// standInOrder is registered as "Order" on a task queue of its own: it
// records a read in its memo, as the Order workflow does, and then
// completes, fails or keeps running as told.
func standInOrder(ctx workflow.Context, read *workflows.OrderChange, end string, stamp *workflows.OrderHeartlandRead) error {
	if read != nil {
		if err := workflow.UpsertMemo(ctx, map[string]any{workflows.OrderReadMemo: *read}); err != nil {
			return err
		}
	}
	if stamp != nil {
		if err := workflow.UpsertMemo(ctx, map[string]any{workflows.OrderHeartlandMemo: *stamp}); err != nil {
			return err
		}
	}
	switch end {
	case "complete":
		return nil
	case "fail":
		return temporal.NewNonRetryableApplicationError("the order failed", "Failed", nil)
	}
	return workflow.Await(ctx, func() bool { return false })
}

// OrderRuns reads, from the server's visibility store, what each order's
// workflow recorded: a running one its encrypted memo, a completed one that
// it is finished; a failed one, one without a memo, another connection's
// and an order without a workflow are absent. The stamp of the Heartland
// order is read beside the BigCommerce read, or alone.
func TestOrderRunsReadsWhatEachOrderWorkflowRecorded(t *testing.T) {
	ts := temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseClientOptions(codec.ClientOptions(workertest.TestKeyRing(), client.Options{})))
	c := ts.GetDefaultClient()
	w := sdkworker.New(c, "stand-in-orders", sdkworker.Options{})
	w.RegisterWorkflowWithOptions(standInOrder, workflow.RegisterOptions{Name: "Order"})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	read := workflows.OrderChange{DateModified: "2026-11-27T10:00:00Z", StatusID: 11}
	stamp := workflows.OrderHeartlandRead{HeartlandOrderID: 900, UpdatedAt: "2026-11-27T10:00:02Z", Status: "open"}
	start := func(connectionID string, orderID int, memo *workflows.OrderChange, end string, stamp *workflows.OrderHeartlandRead) client.WorkflowRun {
		t.Helper()
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.OrderWorkflowID(connectionID, orderID), TaskQueue: "stand-in-orders"},
			"Order", memo, end, stamp)
		if err != nil {
			t.Fatal(err)
		}
		return run
	}
	start("shop", 1, &read, "run", &stamp)
	done := start("shop", 2, &read, "complete", nil)
	failed := start("shop", 3, &read, "fail", nil)
	start("shop", 4, nil, "run", nil)
	start("other", 5, &read, "run", nil)
	start("shop", 7, nil, "run", &stamp)
	_ = done.Get(ctx, nil)
	_ = failed.Get(ctx, nil)

	runs := worker.OrderRuns{Client: c, DataConverter: codec.DataConverter(workertest.TestKeyRing())}
	hl := &activities.HeartlandStamp{UpdatedAt: stamp.UpdatedAt, Status: stamp.Status}
	want := map[int]activities.OrderRead{
		1: {DateModified: read.DateModified, StatusID: read.StatusID, HeartlandOrderID: 900, Heartland: hl},
		2: {Finished: true},
		7: {HeartlandOrderID: 900, Heartland: hl},
	}
	var got map[int]activities.OrderRead
	workertest.WaitFor(t, "visibility to show the stand-in orders", func() bool {
		var err error
		got, err = runs.LastRead(ctx, "shop", []int{1, 2, 3, 4, 5, 6, 7})
		if err != nil {
			t.Fatal(err)
		}
		return reflect.DeepEqual(got, want)
	})

	// Read with another key ring's converter the memo is ciphertext: an
	// error that names it, not a read of nothing.
	wrong := worker.OrderRuns{Client: c, DataConverter: converter.GetDefaultDataConverter()}
	if _, err := wrong.LastRead(ctx, "shop", []int{1}); err == nil || !strings.Contains(err.Error(), workflows.OrderReadMemo) {
		t.Errorf("memo read with the wrong converter: %v, want an error naming %s", err, workflows.OrderReadMemo)
	}
}

// A connection id that cannot be quoted in a visibility query is refused
// before anything is asked of the server (config allows none such; this is
// the guard if that ever changes).
func TestOrderRunsRefusesAnUnquotableConnectionID(t *testing.T) {
	runs := worker.OrderRuns{}
	_, err := runs.LastRead(context.Background(), "sh'op", []int{1})
	if err == nil || !strings.Contains(err.Error(), "sh'op") {
		t.Errorf("LastRead of connection sh'op: %v, want an error naming it", err)
	}
}
