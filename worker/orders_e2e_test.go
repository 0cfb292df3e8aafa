package worker_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// orderShop is a stack with a small catalog on both sides: three Heartland
// locations with stock and the same SKUs in BigCommerce.
type orderShop struct {
	*stack
	main, warehouse, website heartland.Location
}

func newOrderShop(t *testing.T, edit func(*workflows.Settings, *orderShop)) *orderShop {
	t.Helper()
	s := newStack(t, workertest.Options{})
	sh := &orderShop{stack: s}
	sh.main = s.HL.AddLocation("01", "Main Street", "Register 1")
	sh.warehouse = s.HL.AddLocation("02", "Warehouse", "Receiving")
	sh.website = s.HL.AddLocation("WEB", "Website", "Web Station")
	for _, sku := range []string{"SKU-A", "SKU-B", "SKU-C"} {
		s.HL.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: "Item " + sku, Price: heartland.DecInt(10), Cost: heartland.DecInt(4)})
		for _, loc := range []heartland.Location{sh.main, sh.warehouse, sh.website} {
			s.HL.SetStock(sku, loc.ID, heartland.DecInt(20))
		}
		s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Product " + sku, SKU: sku, Price: dec("10.00"),
			Stock: map[int]int{0: 50}})
	}
	settings := workflows.DefaultSettings()
	settings.OrderSync = true
	settings.SourceLocationID = sh.website.ID
	if edit != nil {
		edit(&settings, sh)
	}
	if _, err := s.Starter.CreateConnection(s.ctx(), s.ConnectionID, settings); err != nil {
		t.Fatal(err)
	}
	// The connection registers its webhooks on both sides once configured,
	// BigCommerce's first: a test that drops Heartland's must not look
	// before they are there.
	waitFor(t, "webhooks registered on both sides", func() bool {
		return len(s.BC.Hooks()) == len(activities.BigCommerceHookScopes) &&
			len(s.HL.Webhooks()) == len(activities.HeartlandWebhookEvents)
	})
	return sh
}

func (sh *orderShop) order(t *testing.T, seed bigcommercetest.OrderSeed) int {
	t.Helper()
	if seed.CustomerEmail == "" {
		seed.CustomerEmail, seed.FirstName, seed.LastName = "ada@example.com", "Ada", "Lovelace"
	}
	o, err := sh.BC.AddOrder(seed)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func (sh *orderShop) waitStage(t *testing.T, orderID int, stage string) workflows.OrderState {
	t.Helper()
	var st workflows.OrderState
	waitFor(t, "order in stage "+stage, func() bool {
		var err error
		st, err = sh.Starter.OrderStatus(sh.ctx(), sh.ConnectionID, orderID)
		return err == nil && st.Stage == stage
	})
	return st
}

func (sh *orderShop) heartlandOrder(t *testing.T, orderID int) heartlandtest.OrderState {
	t.Helper()
	o, ok := sh.HL.OrderByPublicID(workflows.HeartlandOrderPublicID(orderID))
	if !ok {
		t.Fatalf("no Heartland order for BigCommerce order %d", orderID)
	}
	return o
}

func TestEndToEndOrderTwoInvoicesTwoLocations(t *testing.T) {
	sh := newOrderShop(t, nil)
	id := sh.order(t, bigcommercetest.OrderSeed{ShippingCost: dec("5.00"),
		Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 2}, {SKU: "SKU-B", Quantity: 1}}})

	st := sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	hl := sh.heartlandOrder(t, id)
	if hl.Order.Status != "open" || len(hl.Lines) != 2 || hl.Order.SourceLocationID != sh.website.ID {
		t.Fatalf("Heartland order = %+v", hl)
	}
	if stock := sh.HL.Stock("SKU-A", sh.website.ID); !stock.Committed.Equal(heartland.DecInt(2)) {
		t.Errorf("open order commits no stock at the Website: %v", stock)
	}
	if len(st.Lines) != 2 || st.Lines[0].LineID == 0 {
		t.Fatalf("status lines = %+v", st.Lines)
	}

	// An admin sends line A from Main Street and line B from the Warehouse.
	lineB := st.Lines[1].LineID
	if _, err := sh.Starter.DistributeOrder(sh.ctx(), sh.ConnectionID, id, workflows.DistributeOrderRequest{LocationID: 999}); !errors.Is(err, starter.ErrOrderRejected) {
		t.Errorf("distribute to an unknown location: %v, want a rejection", err)
	}
	if _, err := sh.Starter.DistributeOrder(sh.ctx(), sh.ConnectionID, id, workflows.DistributeOrderRequest{
		LocationID: sh.main.ID, Lines: []workflows.LineAssignment{{LineID: lineB, LocationID: sh.warehouse.ID}}}); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	if _, err := sh.Starter.DistributeOrder(sh.ctx(), sh.ConnectionID, id, workflows.DistributeOrderRequest{LocationID: sh.main.ID}); !errors.Is(err, starter.ErrOrderRejected) {
		t.Errorf("second distribute: %v, want a rejection (already distributed)", err)
	}

	// Store staff invoice at Main Street; Heartland tells hrbc.
	if _, err := sh.HL.InvoiceOrderAt(hl.Order.ID, sh.main.ID); err != nil {
		t.Fatal(err)
	}
	if err := sh.Starter.HeartlandChanged(sh.ctx(), sh.ConnectionID, id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "first shipment", func() bool { return len(sh.BC.Shipments(id)) == 1 })
	first := sh.BC.Shipments(id)[0]
	products := sh.BC.OrderProducts(id)
	if len(first.Items) != 1 || first.Items[0].OrderProductID != products[0].ID || first.Items[0].Quantity != 2 {
		t.Errorf("first shipment items = %+v, want 2 of SKU-A", first.Items)
	}
	if ps := sh.BC.PaymentStatus(id); ps != bigcommerce.PaymentCaptured {
		t.Errorf("payment status after first shipment = %q, want captured", ps)
	}

	if _, err := sh.HL.InvoiceOrderAt(hl.Order.ID, sh.warehouse.ID); err != nil {
		t.Fatal(err)
	}
	if err := sh.Starter.HeartlandChanged(sh.ctx(), sh.ConnectionID, id); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageClosed)

	shipments := sh.BC.Shipments(id)
	if len(shipments) != 2 || shipments[1].Items[0].OrderProductID != products[1].ID || shipments[1].Items[0].Quantity != 1 {
		t.Errorf("shipments = %+v", shipments)
	}
	order, _ := sh.BC.Order(id)
	if order.StatusID != bigcommerce.StatusShipped {
		t.Errorf("BigCommerce status %d, want Shipped", order.StatusID)
	}
	captures := 0
	for _, tx := range sh.BC.Transactions(id) {
		if tx.Event == "capture" {
			captures++
		}
	}
	if captures != 1 {
		t.Errorf("%d captures, want exactly 1", captures)
	}
	hl = sh.heartlandOrder(t, id)
	// One payment per invoice (the first invoice carries the shipping
	// charge, as Heartland's help says): nothing owed, and paid what
	// BigCommerce captured.
	if hl.Order.Status != "closed" || len(hl.Payments) != 2 || !hl.Order.Balance.IsZero() || !hl.Order.TotalPaid.Equal(heartland.Money{Decimal: order.TotalIncTax.Decimal}) {
		t.Errorf("Heartland order status %q with %d payments, paid %s, balance %s; want closed with 2, paid %s, balance 0",
			hl.Order.Status, len(hl.Payments), hl.Order.TotalPaid, hl.Order.Balance, order.TotalIncTax)
	}
	for _, p := range hl.Payments {
		if !p.Deposit || p.Amount.IsZero() {
			t.Errorf("payment %+v", p)
		}
	}
	sh.keepHistory("order-two-invoices", workflows.OrderWorkflowID(sh.ConnectionID, id))
	hist := sh.history(workflows.OrderWorkflowID(sh.ConnectionID, id), "")
	// One version marker for all the order's changes, not one each.
	if n := versionMarkers(hist); n != 1 {
		t.Errorf("the order's history has %d version markers, want 1", n)
	}
	wantImportedInFirstWorkflowTask(t, hist)
	// Stock was consumed where each invoice was made.
	if got := sh.HL.Stock("SKU-A", sh.main.ID).OnHand; !got.Equal(heartland.DecInt(18)) {
		t.Errorf("SKU-A on hand at Main Street = %v, want 18", got)
	}
	if got := sh.HL.Stock("SKU-B", sh.warehouse.ID).OnHand; !got.Equal(heartland.DecInt(19)) {
		t.Errorf("SKU-B on hand at Warehouse = %v, want 19", got)
	}
}

func TestEndToEndOrderAutoDistribute(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, sh *orderShop) { s.AutoDistributeLocationID = sh.warehouse.ID })
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}, {SKU: "SKU-C", Quantity: 3}}})
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	hl := sh.heartlandOrder(t, id)
	for _, l := range hl.Lines {
		if l.ShipFromLocationID == nil || *l.ShipFromLocationID != sh.warehouse.ID {
			t.Errorf("line %d ships from %v, want the Warehouse", l.ID, l.ShipFromLocationID)
		}
	}
	// No signal from the test: Heartland's sales_transaction_completed
	// webhook for the invoice reaches the intake, which finds the order by
	// its Heartland id and wakes it.
	if _, err := sh.HL.InvoiceOrderAt(hl.Order.ID, sh.warehouse.ID); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageClosed)
	if n := len(sh.BC.Shipments(id)); n != 1 {
		t.Errorf("%d shipments, want 1", n)
	}
	if sh.heartlandTells(t, id) == 0 {
		t.Error("the Heartland invoice webhook never reached the order")
	}
}

func TestEndToEndOrderStatusesNotSynced(t *testing.T) {
	sh := newOrderShop(t, nil)
	for _, status := range []int{bigcommerce.StatusPending, bigcommerce.StatusAwaitingPickup, bigcommerce.StatusRefunded} {
		id := sh.order(t, bigcommercetest.OrderSeed{StatusID: status, Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
		sh.waitStage(t, id, workflows.OrderStageWaitingStatus)
		if _, ok := sh.HL.OrderByPublicID(workflows.HeartlandOrderPublicID(id)); ok {
			t.Errorf("order %d in status %d reached Heartland", id, status)
		}
		if status == bigcommerce.StatusPending {
			// Moving into a synced status brings it over.
			if err := sh.BC.SetOrderStatus(id, bigcommerce.StatusAwaitingFulfillment); err != nil {
				t.Fatal(err)
			}
			sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
		}
	}
}

func TestEndToEndOrderNeedsAttention(t *testing.T) {
	sh := newOrderShop(t, nil)
	cases := []struct {
		name   string
		seed   bigcommercetest.OrderSeed
		reason string
	}{
		{"partial refund", bigcommercetest.OrderSeed{PartialRefund: true, Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 2}}}, "partially refunded"},
		{"gift wrapping", bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1,
			GiftWrapping: &bigcommercetest.GiftWrapping{Name: "Gold paper", Cost: dec("3.00")}}}}, "gift wrapping"},
		{"customization", bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-B", Quantity: 1,
			Modifiers: []bigcommerce.OrderProductOption{{DisplayName: "Engraving", DisplayValue: "ADA", Value: "ADA", Type: "Text field", Name: "Engraving"}}}}}, "Engraving"},
	}
	for _, tc := range cases {
		id := sh.order(t, tc.seed)
		st := sh.waitStage(t, id, workflows.OrderStageAttention)
		if !strings.Contains(st.Attention, tc.reason) {
			t.Errorf("%s: attention %q", tc.name, st.Attention)
		}
		if _, ok := sh.HL.OrderByPublicID(workflows.HeartlandOrderPublicID(id)); ok {
			t.Errorf("%s: order reached Heartland", tc.name)
		}
	}
	waitFor(t, "errors list", func() bool {
		items, err := sh.Starter.NeedsAttention(sh.ctx())
		return err == nil && len(items) == len(cases)
	})
}

func TestEndToEndOrderUnknownSKUThenRetry(t *testing.T) {
	sh := newOrderShop(t, nil)
	sh.BC.AddProduct(bigcommercetest.ProductSeed{Name: "New Thing", SKU: "SKU-NEW", Price: dec("7.00"), Stock: map[int]int{0: 5}})
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}, {SKU: "SKU-NEW", Quantity: 1}}})
	st := sh.waitStage(t, id, workflows.OrderStageAttention)
	if !strings.Contains(st.Attention, "unknown SKU: SKU-NEW") {
		t.Fatalf("attention %q", st.Attention)
	}
	// The merchant creates the item, then retries.
	sh.HL.AddItem(heartlandtest.ItemSeed{PublicID: "SKU-NEW", Description: "New Thing", Price: heartland.DecInt(7), Cost: heartland.DecInt(3)})
	if _, err := sh.Starter.RetryOrder(sh.ctx(), sh.ConnectionID, id); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	if hl := sh.heartlandOrder(t, id); len(hl.Lines) != 2 {
		t.Errorf("Heartland order lines = %d, want 2", len(hl.Lines))
	}
	if _, err := sh.Starter.RetryOrder(sh.ctx(), sh.ConnectionID, id); !errors.Is(err, starter.ErrOrderRejected) {
		t.Errorf("retry of a healthy order: %v, want a rejection", err)
	}
}

func TestEndToEndOrderCancelledBeforeFulfillment(t *testing.T) {
	sh := newOrderShop(t, nil)
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 4}}})
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	if c := sh.HL.Stock("SKU-A", sh.website.ID).Committed; !c.Equal(heartland.DecInt(4)) {
		t.Fatalf("committed %v, want 4", c)
	}
	if err := sh.BC.SetOrderStatus(id, bigcommerce.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageCancelled)
	if hl := sh.heartlandOrder(t, id); hl.Order.Status != "canceled" {
		t.Errorf("Heartland order %q, want canceled", hl.Order.Status)
	}
	sh.keepHistory("order-cancelled", workflows.OrderWorkflowID(sh.ConnectionID, id))
	if c := sh.HL.Stock("SKU-A", sh.website.ID).Committed; !c.IsZero() {
		t.Errorf("cancelled order still commits %v", c)
	}
}

func TestEndToEndOrderCancelledAfterPartialFulfillment(t *testing.T) {
	sh := newOrderShop(t, nil)
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}, {SKU: "SKU-B", Quantity: 1}}})
	st := sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	if _, err := sh.Starter.DistributeOrder(sh.ctx(), sh.ConnectionID, id, workflows.DistributeOrderRequest{
		LocationID: sh.main.ID, Lines: []workflows.LineAssignment{{LineID: st.Lines[1].LineID, LocationID: sh.warehouse.ID}}}); err != nil {
		t.Fatal(err)
	}
	hl := sh.heartlandOrder(t, id)
	if _, err := sh.HL.InvoiceOrderAt(hl.Order.ID, sh.main.ID); err != nil {
		t.Fatal(err)
	}
	if err := sh.Starter.HeartlandChanged(sh.ctx(), sh.ConnectionID, id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "first shipment", func() bool { return len(sh.BC.Shipments(id)) == 1 })
	if err := sh.BC.SetOrderStatus(id, bigcommerce.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	st = sh.waitStage(t, id, workflows.OrderStageAttention)
	if !strings.Contains(st.Attention, "after 1 shipment") {
		t.Errorf("attention %q", st.Attention)
	}
	if hl := sh.heartlandOrder(t, id); hl.Order.Status == "canceled" {
		t.Error("a partly fulfilled order was cancelled in Heartland")
	}
}

func TestEndToEndOrderOutsideFulfillment(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, sh *orderShop) {
		s.OutsideFulfillment, s.FulfillmentLocationID = true, sh.warehouse.ID
	})
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 2}}})
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	// The outside service ships the order in BigCommerce.
	c, err := bigcommerce.New(sh.BC.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	products := sh.BC.OrderProducts(id)
	if _, err := c.CreateShipment(sh.ctx(), id, bigcommerce.ShipmentCreate{OrderAddressID: products[0].OrderAddressID,
		Items: []bigcommerce.ShipmentItem{{OrderProductID: products[0].ID, Quantity: 2}}}); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageClosed)
	hl := sh.heartlandOrder(t, id)
	invoices := sh.HL.InvoicesOfOrder(hl.Order.ID)
	if len(invoices) != 1 || invoices[0].Invoice.SourceLocationID != sh.warehouse.ID || !invoices[0].Invoice.Completed {
		t.Fatalf("invoices %+v, want one completed at the Warehouse", invoices)
	}
	if hl.Order.Status != "closed" || len(hl.Payments) != 1 {
		t.Errorf("Heartland order %q with %d payments", hl.Order.Status, len(hl.Payments))
	}
	sh.keepHistory("order-outside-fulfillment", workflows.OrderWorkflowID(sh.ConnectionID, id))
	if got := sh.HL.Stock("SKU-A", sh.warehouse.ID).OnHand; !got.Equal(heartland.DecInt(18)) {
		t.Errorf("Warehouse on hand %v, want 18", got)
	}
}

func TestEndToEndOrderDuplicateAndDroppedWebhooks(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, _ *orderShop) { s.OrderSweepSeconds = 1 })
	sh.BC.DuplicateWebhooks(true)
	dup := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	sh.waitStage(t, dup, workflows.OrderStageAwaitingDistribution)
	sh.BC.DuplicateWebhooks(false)

	// A webhook that never arrives: the sweep brings the order in.
	for _, h := range sh.BC.Hooks() {
		c, _ := bigcommerce.New(sh.BC.ClientConfig())
		if _, err := c.DeleteHook(sh.ctx(), h.ID); err != nil {
			t.Fatal(err)
		}
	}
	dropped := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-B", Quantity: 1}}})
	sh.waitStage(t, dropped, workflows.OrderStageAwaitingDistribution)

	// Exactly one Heartland order each, whatever path brought them.
	count := map[string]int{}
	for _, o := range sh.HL.Orders() {
		count[o.Order.PublicID]++
	}
	for _, id := range []int{dup, dropped} {
		if n := count[workflows.HeartlandOrderPublicID(id)]; n != 1 {
			t.Errorf("order %d has %d Heartland orders, want 1", id, n)
		}
	}
	// A manual import of the same order meets the same workflow.
	settings := workflows.DefaultSettings()
	settings.OrderSync, settings.SourceLocationID = true, sh.website.ID
	if err := sh.Starter.OrderChanged(sh.ctx(), sh.ConnectionID, dup, settings); err != nil {
		t.Fatal(err)
	}
	if n := len(sh.HL.Orders()); n != 2 {
		t.Errorf("%d Heartland orders after a manual re-import, want 2", n)
	}
}

func TestEndToEndBigCommerceWebhookIntake(t *testing.T) {
	sh := newOrderShop(t, nil)
	// An order whose creation webhook is never sent: only the deliveries
	// below can bring it in (the sweep runs once a minute).
	sh.BC.HoldWebhooks()
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-C", Quantity: 1}}})
	post := func(secret, body string) int { return sh.postBigCommerce(t, secret, body) }
	created := fmt.Sprintf(`{"scope":"store/order/created","store_id":"1","data":{"type":"order","id":%d},"hash":"x","created_at":1,"producer":"stores/x"}`, id)
	for name, secret := range map[string]string{"no secret": "", "wrong secret": "not-the-secret-at-all"} {
		if code := post(secret, created); code != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, code)
		}
	}
	if _, err := sh.Starter.OrderStatus(sh.ctx(), sh.ConnectionID, id); !errors.Is(err, starter.ErrOrderNotFound) {
		t.Fatalf("an unauthenticated webhook started something: %v", err)
	}
	if code := post(testWebhookSecret, `{"scope":`); code != http.StatusBadRequest {
		t.Errorf("malformed body: %d, want 400", code)
	}
	if code := post(testWebhookSecret, `{"scope":"store/product/created","data":{"type":"product","id":5}}`); code/100 != 2 {
		t.Errorf("product webhook: %d, want 2xx", code)
	}
	// A shipment webhook names the order in camelCase orderId.
	shipment := fmt.Sprintf(`{"scope":"store/shipment/created","store_id":"1","data":{"type":"shipment","id":9,"orderId":%d}}`, id)
	if code := post(testWebhookSecret, shipment); code/100 != 2 {
		t.Fatalf("shipment webhook: %d", code)
	}
	// Duplicates meet the same workflow.
	if code := post(testWebhookSecret, created); code/100 != 2 {
		t.Fatalf("created webhook: %d", code)
	}
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	if n := len(sh.HL.Orders()); n != 1 {
		t.Errorf("%d Heartland orders, want 1", n)
	}
}
