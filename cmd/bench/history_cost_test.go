package main

import (
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// event is a history event of type typ at offset after t0.
func event(id int64, typ enumspb.EventType, t0 time.Time, offset time.Duration) *historypb.HistoryEvent {
	return &historypb.HistoryEvent{EventId: id, EventType: typ, EventTime: timestamppb.New(t0.Add(offset))}
}

// A new order's intake bills its start, the signal that started it, the
// markers (version, read, import in place), its two search attribute
// upserts and its timer; workflow tasks and memo upserts are free. An
// activity bills each attempt, and the heartbeats it sends while it runs.
func TestCostOfCountsBillableActions(t *testing.T) {
	t0 := time.Now()
	intake := []enumspb.EventType{
		enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
		enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED, enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
		enumspb.EVENT_TYPE_MARKER_RECORDED, enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
		enumspb.EVENT_TYPE_MARKER_RECORDED, enumspb.EVENT_TYPE_MARKER_RECORDED, enumspb.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
		enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, enumspb.EVENT_TYPE_TIMER_STARTED,
	}
	var evs []*historypb.HistoryEvent
	for i, typ := range intake {
		evs = append(evs, event(int64(i+1), typ, t0, 0))
	}
	if c := costOf(evs, 0, t0, t0); c != (historyCost{Events: 12, Actions: 8}) {
		t.Errorf("intake cost %+v, want 12 events, 8 actions", c)
	}

	// An import that waits its turn as an activity: heartbeat timeout one
	// minute (a beat at most every 48 s), second attempt, three minutes.
	scheduled := event(13, enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, t0, 0)
	scheduled.Attributes = &historypb.HistoryEvent_ActivityTaskScheduledEventAttributes{ActivityTaskScheduledEventAttributes: &historypb.ActivityTaskScheduledEventAttributes{
		HeartbeatTimeout: durationpb.New(time.Minute)}}
	started := event(14, enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED, t0, 0)
	started.Attributes = &historypb.HistoryEvent_ActivityTaskStartedEventAttributes{ActivityTaskStartedEventAttributes: &historypb.ActivityTaskStartedEventAttributes{
		ScheduledEventId: 13, Attempt: 2}}
	completed := event(15, enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, t0, 3*time.Minute)
	completed.Attributes = &historypb.HistoryEvent_ActivityTaskCompletedEventAttributes{ActivityTaskCompletedEventAttributes: &historypb.ActivityTaskCompletedEventAttributes{
		ScheduledEventId: 13}}
	evs = append(evs, scheduled, started, completed)
	if c := costOf(evs, 0, t0, t0.Add(3*time.Minute)); c != (historyCost{Events: 15, Actions: 10, Heartbeats: 4}) {
		t.Errorf("cost with the activity %+v, want 15 events, 10 actions (two attempts), 4 heartbeats (one at once, one per 48 s)", c)
	}
}

// A window of a history counts the events stamped in it, the first and
// the last included, and none outside.
func TestCostBetweenCountsTheWindowOnly(t *testing.T) {
	t0 := time.Now()
	evs := []*historypb.HistoryEvent{
		event(1, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, t0, -time.Minute),
		event(2, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, t0, 0),
		event(3, enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, t0, time.Minute),
		event(4, enumspb.EVENT_TYPE_TIMER_STARTED, t0, 2*time.Minute),
		event(5, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, t0, 3*time.Minute),
	}
	if c := costBetween(evs, t0, t0.Add(2*time.Minute)); c != (historyCost{Events: 3, Actions: 2}) {
		t.Errorf("cost of the window %+v, want 3 events (signal, task, timer), 2 actions", c)
	}
	if c := costBetween(evs, t0.Add(4*time.Minute), t0.Add(5*time.Minute)); c != (historyCost{}) {
		t.Errorf("cost of a window after the history %+v, want none", c)
	}
}
