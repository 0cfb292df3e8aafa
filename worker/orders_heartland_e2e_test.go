package worker_test

import (
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/workflows"
)

// Store staff do everything in Heartland's own screens, and Heartland's
// webhooks are gone: they distribute one line, then the other elsewhere,
// and invoice at both locations. Nobody tells hrbc; the HeartlandSweep
// finds it and BigCommerce gets both shipments and a closed order.
func TestEndToEndOrderDistributedAndInvoicedInHeartland(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, _ *orderShop) { s.HeartlandSweepSeconds = 1 })
	dropHeartlandWebhooks(t, sh)
	id := sh.order(t, bigcommercetest.OrderSeed{ShippingCost: dec("5.00"),
		Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 2}, {SKU: "SKU-B", Quantity: 1}}})
	st := sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	hl := sh.heartlandOrder(t, id)
	lineA, lineB := st.Lines[0].LineID, st.Lines[1].LineID

	if _, err := sh.HL.DistributeLines(hl.Order.ID, sh.main.ID, lineA); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "line A shown at Main Street, line B waiting", func() bool {
		st, err := sh.Starter.OrderStatus(sh.ctx(), sh.ConnectionID, id)
		return err == nil && st.Stage == workflows.OrderStageAwaitingDistribution &&
			st.Lines[0].LocationID == sh.main.ID && st.Lines[1].LocationID == 0
	})
	if _, err := sh.HL.DistributeLines(hl.Order.ID, sh.warehouse.ID, lineB); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	if _, err := sh.HL.InvoiceOrderAt(hl.Order.ID, sh.main.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "first shipment", func() bool { return len(sh.BC.Shipments(id)) == 1 })
	if ps := sh.BC.PaymentStatus(id); ps != bigcommerce.PaymentCaptured {
		t.Errorf("payment status after the first shipment = %q, want captured", ps)
	}
	if _, err := sh.HL.InvoiceOrderAt(hl.Order.ID, sh.warehouse.ID); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageClosed)
	if n := len(sh.BC.Shipments(id)); n != 2 {
		t.Errorf("%d shipments, want 2", n)
	}
	if order, _ := sh.BC.Order(id); order.StatusID != bigcommerce.StatusShipped {
		t.Errorf("BigCommerce status %d, want Shipped", order.StatusID)
	}
	// Two invoices, the first carrying the shipping charge, booked before
	// closing: the Heartland order owes nothing.
	if hl := sh.heartlandOrder(t, id); hl.Order.Status != "closed" || len(hl.Payments) != 2 || !hl.Order.Balance.IsZero() {
		t.Errorf("Heartland order %q with %d payments, balance %s; want closed with 2 and nothing owed", hl.Order.Status, len(hl.Payments), hl.Order.Balance)
	}
	if d := sh.HL.Deliveries(); len(d) != 0 {
		t.Errorf("Heartland delivered %d webhooks; this test is about none", len(d))
	}
}

// dropHeartlandWebhooks deletes the hooks the connection registered in
// Heartland, as if Heartland never sent any.
func dropHeartlandWebhooks(t *testing.T, sh *orderShop) {
	t.Helper()
	c, err := heartland.New(sh.HL.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := c.ListWebhooks(sh.ctx())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hooks {
		if err := c.DeleteWebhook(sh.ctx(), h.ID); err != nil {
			t.Fatal(err)
		}
	}
}
