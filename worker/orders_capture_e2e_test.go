package worker_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/workflows"
)

// A store on an authorize-only gateway: the order waits Awaiting Payment
// with its payment authorized; a connection that captures on the first
// shipment imports it, and ships nothing while the capture is pending.
func TestEndToEndAuthorizeOnlyOrderCapturedAtTheFirstShipment(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, sh *orderShop) {
		s.AutoDistributeLocationID = sh.warehouse.ID
		s.Capture = workflows.CaptureOnFirstShipment
	})
	sh.BC.SetGateway(bigcommercetest.Gateway{CaptureDelay: 3 * time.Second})
	id := sh.order(t, bigcommercetest.OrderSeed{AuthorizeOnly: true, Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	if o, _ := sh.BC.Order(id); o.StatusID != bigcommerce.StatusAwaitingPayment || o.PaymentStatus != bigcommerce.PaymentAuthorized {
		t.Fatalf("authorize-only checkout: status %d, payment %q", o.StatusID, o.PaymentStatus)
	}
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	if _, err := sh.HL.InvoiceOrderAt(sh.heartlandOrder(t, id).Order.ID, sh.warehouse.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the capture to reach the gateway", func() bool { return sh.BC.PaymentStatus(id) == bigcommerce.PaymentCapturePending })
	if n := len(sh.BC.Shipments(id)); n != 0 {
		t.Errorf("%d shipments while the capture is pending, want none", n)
	}
	st := sh.waitStage(t, id, workflows.OrderStageClosed)
	o, _ := sh.BC.Order(id)
	if len(sh.BC.Shipments(id)) != 1 || o.PaymentStatus != bigcommerce.PaymentCaptured || !st.Captured {
		t.Errorf("after the capture: %d shipments, payment %q, captured by hrbc %v", len(sh.BC.Shipments(id)), o.PaymentStatus, st.Captured)
	}
}

// A capture the gateway declines ships nothing and asks a person.
func TestEndToEndDeclinedCaptureShipsNothing(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, sh *orderShop) { s.AutoDistributeLocationID = sh.warehouse.ID })
	sh.BC.SetGateway(bigcommercetest.Gateway{CaptureDelay: time.Second, DeclineCaptures: true})
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-B", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	if _, err := sh.HL.InvoiceOrderAt(sh.heartlandOrder(t, id).Order.ID, sh.warehouse.ID); err != nil {
		t.Fatal(err)
	}
	st := sh.waitStage(t, id, workflows.OrderStageAttention)
	if !strings.Contains(st.Attention, "declined") || len(sh.BC.Shipments(id)) != 0 {
		t.Errorf("attention %q, %d shipments; want the decline and no shipment", st.Attention, len(sh.BC.Shipments(id)))
	}
}
