package worker_test

import (
	"testing"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// heartlandTells counts the Heartland sweep's words to an order: the
// heartlandChanged signals in its workflow's history.
func (sh *orderShop) heartlandTells(t *testing.T, orderID int) int {
	t.Helper()
	it := sh.Temporal.GetWorkflowHistory(sh.ctx(), workflows.OrderWorkflowID(sh.ConnectionID, orderID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	n := 0
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a := ev.GetWorkflowExecutionSignaledEventAttributes(); a != nil && a.GetSignalName() == workflows.OrderHeartlandChangedSignal {
			n++
		}
	}
	return n
}

// The Heartland sweep lists the order hrbc has just imported, sees from
// the order's memo that it is only that import, and leaves the order
// alone: no signal, no workflow task, no Heartland read. When staff then
// distribute the order in Heartland's screen, at once, the sweep tells
// the order, which moves on.
func TestEndToEndHeartlandSweepLeavesTheOrdersOwnImportAlone(t *testing.T) {
	// The sweep waits an hour between rounds until the order's memo is in
	// visibility: a round during the import would tell the order, rightly
	// (its memo is not there yet).
	sh := newOrderShop(t, func(s *workflows.Settings, _ *orderShop) { s.HeartlandSweepSeconds = 3600 })
	dropHeartlandWebhooks(t, sh)
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	st := sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	runs := worker.OrderRuns{Client: sh.Temporal, DataConverter: codec.DataConverter(workertest.TestKeyRing())}
	waitFor(t, "the import's stamp in visibility", func() bool {
		reads, err := runs.LastRead(sh.ctx(), sh.ConnectionID, []int{id})
		if err != nil {
			t.Fatal(err)
		}
		r := reads[id]
		return r.Heartland != nil && r.HeartlandOrderID == st.HeartlandOrderID && r.Heartland.Status == "open"
	})

	// Now rounds every second; wait for two listings of sales orders.
	cs, err := sh.Starter.ConnectionStatus(sh.ctx(), sh.ConnectionID)
	if err != nil || cs.Settings == nil {
		t.Fatalf("connection status %+v, %v", cs, err)
	}
	settings := *cs.Settings
	settings.HeartlandSweepSeconds = 1
	if _, err := sh.Starter.ConfigureConnection(sh.ctx(), sh.ConnectionID, settings, cs.Version); err != nil {
		t.Fatal(err)
	}
	listings := sh.HL.Calls("GET /sales/orders")
	waitFor(t, "the sweep to list the sales orders twice", func() bool { return sh.HL.Calls("GET /sales/orders") >= listings+2 })
	if n := sh.heartlandTells(t, id); n != 0 {
		t.Errorf("the sweep told the order %d times of its own import", n)
	}

	hl := sh.heartlandOrder(t, id)
	if _, err := sh.HL.DistributeLines(hl.Order.ID, sh.main.ID); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	// Once, or twice when the sweep listed the distribution within its
	// second (a second look).
	if n := sh.heartlandTells(t, id); n < 1 {
		t.Errorf("the sweep told the order %d times, want the distribution told", n)
	}
}
