package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/workflows"
)

// historiesClient serves GetWorkflowHistory from a map; a workflow not in
// it answers NotFound, one in failing answers err. The rest of
// client.Client is not used here.
type historiesClient struct {
	client.Client
	histories map[string][]*historypb.HistoryEvent
	failing   map[string]error
}

func (c *historiesClient) GetWorkflowHistory(_ context.Context, workflowID, _ string, _ bool, _ enumspb.HistoryEventFilterType) client.HistoryEventIterator {
	if err, ok := c.failing[workflowID]; ok {
		return &eventsIterator{err: err}
	}
	evs, ok := c.histories[workflowID]
	if !ok {
		return &eventsIterator{err: serviceerror.NewNotFound("workflow not found for ID: " + workflowID)}
	}
	return &eventsIterator{events: evs}
}

// eventsIterator hands out events, or err at the first Next.
type eventsIterator struct {
	events []*historypb.HistoryEvent
	err    error
}

func (it *eventsIterator) HasNext() bool { return it.err != nil || len(it.events) > 0 }

func (it *eventsIterator) Next() (*historypb.HistoryEvent, error) {
	if it.err != nil {
		return nil, it.err
	}
	ev := it.events[0]
	it.events = it.events[1:]
	return ev, nil
}

// The connections' workflows are summed over those that exist (a
// connection without inventory sync or catalog follower has none), and
// a history that cannot be read stops the count, naming the workflow.
func TestConnectionWorkflowsCostSkipsMissingAndStopsOnFailure(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	from, to := t0.Add(time.Minute), t0.Add(3*time.Minute)
	signalled := []*historypb.HistoryEvent{
		event(1, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, t0, 0),
		event(2, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, t0, 2*time.Minute),
		event(3, enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, t0, 2*time.Minute),
		event(4, enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED, t0, 2*time.Minute),
		event(5, enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, t0, 2*time.Minute),
		event(6, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, t0, 4*time.Minute),
	}
	c := &historiesClient{histories: map[string][]*historypb.HistoryEvent{
		workflows.ConnectionWorkflowID("a"): signalled,
		workflows.InventoryWorkflowID("b"):  signalled,
	}}
	got, err := connectionWorkflowsCost(context.Background(), c, []string{"a", "b"}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	// Per history, the four events of the window and its one signal.
	if got.Events != 8 || got.Actions != 2 {
		t.Errorf("cost %+v, want 8 events and 2 actions from the two histories that exist", got)
	}

	c.failing = map[string]error{workflows.OrderSweepWorkflowID("b"): errors.New("connection refused")}
	_, err = connectionWorkflowsCost(context.Background(), c, []string{"a", "b"}, from, to)
	if err == nil || !strings.Contains(err.Error(), workflows.OrderSweepWorkflowID("b")) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("error %v, want the failed read named with its workflow", err)
	}
}
