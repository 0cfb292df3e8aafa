package worker_test

import (
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/workflows"
)

// Staff invoice an order in Heartland while BigCommerce is slow: the
// shipment's look-up takes most of the in-place attempt's five seconds,
// so the worker does not let that attempt send the shipment (too little
// of its time left) and the shipment is written by the activity that
// takes over. The order closes with exactly one shipment and one payment,
// and the rest of its writes ran in place.
func TestEndToEndSlowWriteInPlaceIsLeftToItsActivity(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, sh *orderShop) { s.AutoDistributeLocationID = sh.warehouse.ID })
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-B", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageFulfilling)

	sh.BC.InjectFault(bigcommercetest.Fault{Method: "GET", Path: "/v2/orders/*/shipments", Kind: bigcommercetest.FaultLatency,
		Latency: 3500 * time.Millisecond, Times: 1})
	hl := sh.heartlandOrder(t, id)
	if _, err := sh.HL.InvoiceOrderAt(hl.Order.ID, sh.warehouse.ID); err != nil {
		t.Fatal(err)
	}
	if err := sh.Starter.HeartlandChanged(sh.ctx(), sh.ConnectionID, id); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageClosed)

	if n := len(sh.BC.Shipments(id)); n != 1 {
		t.Errorf("%d shipments in BigCommerce, want 1", n)
	}
	if o, _ := sh.BC.Order(id); o.StatusID != bigcommerce.StatusShipped {
		t.Errorf("BigCommerce status %d, want Shipped", o.StatusID)
	}
	if payments := sh.heartlandOrder(t, id).Payments; len(payments) != 1 {
		t.Errorf("%d payments on the Heartland order, want 1 (the invoice's)", len(payments))
	}
	hist := sh.history(workflows.OrderWorkflowID(sh.ConnectionID, id), "")
	if n := eventsOf(hist, enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, "CreateShipment"); n != 1 {
		t.Errorf("CreateShipment scheduled as an activity %d times, want once (after the slow attempt in place)", n)
	}
	if n := eventsOf(hist, enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, ""); n != 1 {
		t.Errorf("%d activities scheduled, want only the shipment's: the other writes run in place", n)
	}
}
