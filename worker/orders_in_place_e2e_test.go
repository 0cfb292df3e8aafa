package worker_test

import (
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
)

// wantImportedInFirstWorkflowTask checks that a new order of a store that
// is not busy was read and imported in the workflow task that started it:
// no ImportSalesOrder activity, and up to its wait for distribution (its
// first timer) one workflow task with three markers (the version, the
// read, the import).
func wantImportedInFirstWorkflowTask(t *testing.T, hist *historypb.History) {
	t.Helper()
	if n := eventsOf(hist, enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, "ImportSalesOrder"); n != 0 {
		t.Errorf("ImportSalesOrder scheduled %d times, want it run in place", n)
	}
	wait := -1
	for i, e := range hist.Events {
		if e.GetEventType() == enumspb.EVENT_TYPE_TIMER_STARTED {
			wait = i
			break
		}
	}
	if wait < 0 {
		t.Fatal("the order started no timer for its wait")
	}
	intake := &historypb.History{Events: hist.Events[:wait+1]}
	if n := eventsOf(intake, enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, ""); n != 1 {
		t.Errorf("%d workflow tasks up to the wait for distribution, want 1", n)
	}
	if n := eventsOf(intake, enumspb.EVENT_TYPE_MARKER_RECORDED, ""); n != 3 {
		t.Errorf("%d markers up to the wait, want 3 (the version, the read, the import)", n)
	}
	if n := eventsOf(intake, enumspb.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, ""); n != 1 {
		t.Errorf("%d memo upserts up to the wait, want 1 (the read and the import's stamp together)", n)
	}
}
