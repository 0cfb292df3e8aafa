package worker_test

import (
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/workflows"
)

// Every workflow of a connection carries the connection as its fairness
// key, so a server with fairness on serves connections round-robin: the
// Connection workflow and its followers, started by the CLI, and an order,
// started by the store's webhook.
func TestWorkflowsCarryTheirConnectionAsFairnessKey(t *testing.T) {
	sh := newOrderShop(t, nil)
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	for _, wfID := range []string{
		workflows.ConnectionWorkflowID(sh.ConnectionID),
		workflows.OrderWorkflowID(sh.ConnectionID, id),
		workflows.OrderSweepWorkflowID(sh.ConnectionID),
	} {
		d, err := sh.Temporal.DescribeWorkflowExecution(sh.ctx(), wfID, "")
		if err != nil {
			t.Fatalf("describe %s: %v", wfID, err)
		}
		if got := d.GetWorkflowExecutionInfo().GetPriority().GetFairnessKey(); got != sh.ConnectionID {
			t.Errorf("%s has fairness key %q, want the connection %q", wfID, got, sh.ConnectionID)
		}
	}
}
