package worker_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/workflows"
)

// An admin whose tool speaks only signals (the Temporal UI's "Send a
// Signal", `temporal workflow signal`) distributes an order with the JSON
// the UI sends; a bad signal first is refused, visible, and harmless.
func TestEndToEndOrderDistributedBySignal(t *testing.T) {
	sh := newOrderShop(t, nil)
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}, {SKU: "SKU-B", Quantity: 2}}})
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	wfID := workflows.OrderWorkflowID(sh.ConnectionID, id)
	signal := func(payload string) {
		t.Helper()
		if err := sh.Temporal.SignalWorkflow(sh.ctx(), wfID, "", workflows.OrderDistributeSignal, json.RawMessage(payload)); err != nil {
			t.Fatal(err)
		}
	}

	signal(`{"lines": [{"line_id": 999999, "location_id": 1}]}`)
	var st workflows.OrderState
	waitFor(t, "the bad signal refused", func() bool {
		var err error
		st, err = sh.Starter.OrderStatus(sh.ctx(), sh.ConnectionID, id)
		return err == nil && st.LastRejected != nil
	})
	if st.Stage != workflows.OrderStageAwaitingDistribution || !strings.Contains(st.LastRejected.Reason, "no line 999999") {
		t.Fatalf("after the bad signal: stage %s, refused %+v", st.Stage, st.LastRejected)
	}
	for _, l := range sh.heartlandOrder(t, id).Lines {
		if l.ShipFromLocationID != nil {
			t.Fatalf("a refused signal distributed line %d", l.ID)
		}
	}

	signal(fmt.Sprintf(`{"location_id": %d}`, sh.main.ID))
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	hl := sh.heartlandOrder(t, id)
	for _, l := range hl.Lines {
		if l.ShipFromLocationID == nil || *l.ShipFromLocationID != sh.main.ID {
			t.Errorf("line %d ships from %v, want Main Street", l.ID, l.ShipFromLocationID)
		}
	}
	if _, err := sh.HL.InvoiceOrderAt(hl.Order.ID, sh.main.ID); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageClosed)
	if n := len(sh.BC.Shipments(id)); n != 1 {
		t.Errorf("%d shipments, want 1", n)
	}
}
