package main

import (
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hrbc/hrbc/workflows"
)

// event is a history event of type typ at offset after t0.
func event(id int64, typ enumspb.EventType, t0 time.Time, offset time.Duration) *historypb.HistoryEvent {
	return &historypb.HistoryEvent{EventId: id, EventType: typ, EventTime: timestamppb.New(t0.Add(offset))}
}

// marker is a marker event named name, written by the workflow task
// completed at event task.
func marker(id int64, name string, task int64, t0 time.Time) *historypb.HistoryEvent {
	ev := event(id, enumspb.EVENT_TYPE_MARKER_RECORDED, t0, 0)
	ev.Attributes = &historypb.HistoryEvent_MarkerRecordedEventAttributes{MarkerRecordedEventAttributes: &historypb.MarkerRecordedEventAttributes{
		MarkerName: name, WorkflowTaskCompletedEventId: task}}
	return ev
}

// upsert is an upsert of the search attributes named.
func upsert(id int64, t0 time.Time, names ...string) *historypb.HistoryEvent {
	ev := event(id, enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, t0, 0)
	fields := map[string]*commonpb.Payload{}
	for _, n := range names {
		fields[n] = &commonpb.Payload{}
	}
	ev.Attributes = &historypb.HistoryEvent_UpsertWorkflowSearchAttributesEventAttributes{UpsertWorkflowSearchAttributesEventAttributes: &historypb.UpsertWorkflowSearchAttributesEventAttributes{
		SearchAttributes: &commonpb.SearchAttributes{IndexedFields: fields}}}
	return ev
}

// A new order's intake bills its start, the signal that started it, one
// action for the local activities of its workflow task (read and import in
// place), its upsert of hrbc's search attributes and its timer; workflow
// tasks, memo upserts, the version marker and the SDK's upsert of
// TemporalChangeVersion are free. Local activities of a later workflow
// task bill one more. An activity bills each attempt, and the heartbeats
// it sends while it runs.
func TestCostOfCountsBillableActions(t *testing.T) {
	t0 := time.Now()
	evs := []*historypb.HistoryEvent{
		event(1, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, t0, 0), event(2, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, t0, 0),
		event(3, enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, t0, 0), event(4, enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED, t0, 0),
		event(5, enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, t0, 0),
		marker(6, "Version", 5, t0), upsert(7, t0, "TemporalChangeVersion"),
		marker(8, localActivityMarker, 5, t0), marker(9, localActivityMarker, 5, t0),
		event(10, enumspb.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, t0, 0),
		upsert(11, t0, "HrbcStage", "HrbcConnection"), event(12, enumspb.EVENT_TYPE_TIMER_STARTED, t0, 0),
	}
	if c := costOf(evs, 0, t0, t0); c != (historyCost{Events: 12, Actions: 5}) {
		t.Errorf("intake cost %+v, want 12 events, 5 actions", c)
	}
	// A later workflow task's three writes in place: one action more.
	evs = append(evs, event(13, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, t0, 0),
		event(14, enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, t0, 0), event(15, enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED, t0, 0),
		event(16, enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, t0, 0),
		marker(17, localActivityMarker, 16, t0), marker(18, localActivityMarker, 16, t0), marker(19, localActivityMarker, 16, t0))
	if c := costOf(evs, 0, t0, t0); c != (historyCost{Events: 19, Actions: 7}) {
		t.Errorf("cost after a signal and three writes in place %+v, want 19 events, 7 actions", c)
	}
	if c := costOf(evs, 12, t0, t0); c != (historyCost{Events: 7, Actions: 2}) {
		t.Errorf("cost of the signal and the writes alone %+v, want 7 events, 2 actions", c)
	}

	// An import that waits its turn as an activity: heartbeat timeout one
	// minute (a beat at most every 48 s), second attempt, three minutes.
	evs = evs[:12]
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
	if c := costOf(evs, 0, t0, t0.Add(3*time.Minute)); c != (historyCost{Events: 15, Actions: 7, Heartbeats: 4}) {
		t.Errorf("cost with the activity %+v, want 15 events, 7 actions (two attempts), 4 heartbeats (one at once, one per 48 s)", c)
	}
}

// A long poll that runs the day through beats once per 80 % of its
// heartbeat timeout, which the worker's throttle lets through: 900 a day
// at 2 minutes, counted from before the window opened.
func TestHistoryCostOfALongPollsHeartbeats(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	scheduled := event(5, enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, t0, -time.Hour)
	scheduled.Attributes = &historypb.HistoryEvent_ActivityTaskScheduledEventAttributes{ActivityTaskScheduledEventAttributes: &historypb.ActivityTaskScheduledEventAttributes{
		HeartbeatTimeout: durationpb.New(workflows.LongPollHeartbeatTimeout)}}
	evs := []*historypb.HistoryEvent{
		event(1, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, t0, -time.Hour),
		event(2, enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, t0, -time.Hour),
		event(3, enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED, t0, -time.Hour),
		event(4, enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, t0, -time.Hour),
		scheduled,
	}
	c := costBetween(evs, t0, t0.Add(24*time.Hour))
	if c.Events != 0 || c.Heartbeats != 900 {
		t.Errorf("a day of a long poll %+v, want no events and 900 heartbeats", c)
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
