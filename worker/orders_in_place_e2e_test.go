package worker_test

import (
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/workflows"
)

// A new order of a store that is not busy is read and imported in the
// workflow task that started it: no ImportSalesOrder activity, one workflow
// task up to the wait for distribution, and the order open in Heartland
// with its stock committed.
func TestEndToEndOrderImportsInItsFirstWorkflowTask(t *testing.T) {
	sh := newOrderShop(t, nil)
	id := sh.order(t, bigcommercetest.OrderSeed{ShippingCost: dec("5.00"),
		Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 2}, {SKU: "SKU-B", Quantity: 1}}})
	st := sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	hl := sh.heartlandOrder(t, id)
	if hl.Order.Status != "open" || len(hl.Lines) != 2 || st.HeartlandOrderID != hl.Order.ID || len(st.Lines) != 2 || st.Lines[1].LineID == 0 {
		t.Fatalf("Heartland order %+v, order state %+v", hl, st)
	}
	if stock := sh.HL.Stock("SKU-A", sh.website.ID); !stock.Committed.Equal(heartland.DecInt(2)) {
		t.Errorf("the import committed %v of SKU-A at the Website, want 2", stock.Committed)
	}

	hist := sh.history(workflows.OrderWorkflowID(sh.ConnectionID, id), "")
	if n := eventsOf(hist, enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, "ImportSalesOrder"); n != 0 {
		t.Errorf("ImportSalesOrder scheduled %d times, want it run in place", n)
	}
	// Up to the wait for distribution (its timer): the start's workflow
	// task only, its read and its import one marker each.
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
	t.Logf("%d events up to the wait for distribution", len(intake.Events))
}
