package worker_test

import (
	"testing"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/workflows"
)

// When the webhooks are lost, one round of the sweep finds both the new
// orders and the changes of running ones, and hands the whole page over in
// one workflow task of the sweep for the starts and one for the signals,
// not two per order: the new orders are imported, the cancelled ones
// cancelled.
func TestEndToEndSweepHandsAPageOverInOneWorkflowTask(t *testing.T) {
	// The sweep runs its rounds when told to.
	sh := newOrderShop(t, func(s *workflows.Settings, _ *orderShop) { s.OrderSweepSeconds = 3600 })
	lines := bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}}
	var running, lost []int
	for range 3 {
		running = append(running, sh.order(t, lines))
	}
	for _, id := range running {
		sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	}

	// The webhooks are lost; the merchant cancels the running orders and
	// shoppers place new ones.
	sh.loseWebhooks(t)
	for _, id := range running {
		if err := sh.BC.SetOrderStatus(id, 5); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		lost = append(lost, sh.order(t, lines))
	}
	sweepID := workflows.OrderSweepWorkflowID(sh.ConnectionID)
	before := len(sh.history(sweepID, "").Events)
	sh.sweepNow(t)
	for _, id := range lost {
		sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	}
	for _, id := range running {
		sh.waitStage(t, id, workflows.OrderStageCancelled)
	}

	starts, signals := map[int64]int{}, map[int64]int{}
	for _, e := range sh.history(sweepID, "").Events[before:] {
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
			starts[e.GetStartChildWorkflowExecutionInitiatedEventAttributes().GetWorkflowTaskCompletedEventId()]++
		case enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
			signals[e.GetSignalExternalWorkflowExecutionInitiatedEventAttributes().GetWorkflowTaskCompletedEventId()]++
		}
	}
	if len(starts) != 1 || len(signals) != 1 {
		t.Errorf("the round started order workflows in %d workflow tasks %v and signalled them in %d %v; want 6 starts in one and 3 signals in one",
			len(starts), starts, len(signals), signals)
	}
	for _, n := range starts {
		if n != 6 {
			t.Errorf("%d order workflows started in the round, want 6 (3 new, 3 running)", n)
		}
	}
	for _, n := range signals {
		if n != 3 {
			t.Errorf("%d running orders signalled in the round, want the 3 cancelled", n)
		}
	}
}
