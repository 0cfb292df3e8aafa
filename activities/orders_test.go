package activities

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/activities/testclock"
)

// orderFixture is both fakes with one connection and a small catalog.
type orderFixture struct {
	bc       *bigcommercetest.Server
	hl       *heartlandtest.Server
	acts     *Orders
	website  heartland.Location
	main     heartland.Location
	orderID  int
	itemA    int64
	ctx      context.Context
	customer CustomerRef
	// hlAhead is how far the Heartland fake's clock runs ahead of the
	// test clock: a test moves it on to make a second pass for Heartland.
	hlAhead atomic.Int64
}

func newOrderFixture(t *testing.T) *orderFixture {
	t.Helper()
	f := &orderFixture{ctx: context.Background()}
	f.bc = bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit(), bigcommercetest.WithClock(testclock.Seconds))
	t.Cleanup(f.bc.Close)
	f.hl = heartlandtest.NewServer(heartlandtest.WithClock(func() time.Time { return testclock.Now().Add(time.Duration(f.hlAhead.Load())) }))
	t.Cleanup(f.hl.Close)
	f.main = f.hl.AddLocation("01", "Main Street", "Register 1")
	f.website = f.hl.AddLocation("WEB", "Website", "Web Station")
	f.itemA = f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "SKU-A", Description: "A", Price: heartland.DecInt(10), Cost: heartland.DecInt(4)}).ID
	f.hl.SetStock("SKU-A", f.main.ID, heartland.DecInt(10))
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "A", SKU: "SKU-A", Price: decimal.RequireFromString("10.00"), Stock: map[int]int{0: 10}})
	o, err := f.bc.AddOrder(bigcommercetest.OrderSeed{CustomerEmail: "Ada@Example.com", FirstName: "Ada", LastName: "Lovelace",
		ShippingCost: decimal.RequireFromString("5.00"), Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	f.orderID = o.ID
	bcClient, err := bigcommerce.New(f.bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	hlClient, err := heartland.New(f.hl.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	conns := NewConnections()
	conns.Add("shop", Clients{BigCommerce: bcClient, Heartland: hlClient})
	f.acts = &Orders{Connections: conns}
	return f
}

func (f *orderFixture) snapshot(t *testing.T) OrderSnapshot {
	t.Helper()
	snap, err := f.acts.ReadOrder(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: f.orderID})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// importOrder runs the import activities the way the workflow does.
func (f *orderFixture) importOrder(t *testing.T) SalesOrderRef {
	t.Helper()
	snap := f.snapshot(t)
	cust, err := f.acts.EnsureCustomer(f.ctx, EnsureCustomerRequest{ConnectionID: "shop", Email: snap.Email, Billing: snap.Billing, Shipping: snap.Shipping})
	if err != nil {
		t.Fatal(err)
	}
	f.customer = cust
	ref, err := f.acts.EnsureSalesOrder(f.ctx, EnsureSalesOrderRequest{ConnectionID: "shop", PublicID: "BC-1", Customer: cust,
		SourceLocationID: f.website.ID, ShippingCharge: snap.ShippingCharge,
		Lines: []SalesLine{{OrderProductID: snap.Lines[0].OrderProductID, ItemID: f.itemA, Quantity: 2, UnitPrice: snap.Lines[0].UnitPrice}}})
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestReadOrderSnapshot(t *testing.T) {
	f := newOrderFixture(t)
	snap := f.snapshot(t)
	if snap.StatusID != 11 || snap.PaymentStatus != "authorized" || snap.Email != "Ada@Example.com" ||
		snap.ShippingCharge != "5.00" || len(snap.Lines) != 1 || snap.Lines[0].SKU != "SKU-A" ||
		snap.Lines[0].UnitPrice != "10.00" || snap.OrderAddressID == 0 || snap.Lines[0].Unsupported != "" {
		t.Errorf("snapshot = %+v", snap)
	}
}

func TestImportIsIdempotent(t *testing.T) {
	f := newOrderFixture(t)
	first := f.importOrder(t)
	again := f.importOrder(t)
	if !first.Created || again.Created || first.ID != again.ID || len(again.Lines) != 1 || again.Lines[0].LineID != first.Lines[0].LineID {
		t.Fatalf("first %+v, again %+v", first, again)
	}
	orders := f.hl.Orders()
	if len(orders) != 1 || orders[0].Order.Status != "open" || len(orders[0].Lines) != 1 {
		t.Fatalf("Heartland orders = %+v", orders)
	}
	// One customer, found by email whatever its case, with one address (billing = shipping).
	c, ok := f.hl.CustomerByEmail("ada@example.com")
	if !ok || c.ID != f.customer.CustomerID || f.customer.BillingAddressID != f.customer.ShippingAddressID {
		t.Errorf("customer %+v %v, ref %+v", c, ok, f.customer)
	}
	if st := f.hl.Stock("SKU-A", f.website.ID); !st.Committed.Equal(heartland.DecInt(2)) {
		t.Errorf("open order commits %v, want 2", st.Committed)
	}
}

func TestEnsureSalesOrderCompletesAfterACrash(t *testing.T) {
	f := newOrderFixture(t)
	snap := f.snapshot(t)
	cust, err := f.acts.EnsureCustomer(f.ctx, EnsureCustomerRequest{ConnectionID: "shop", Email: snap.Email, Billing: snap.Billing})
	if err != nil {
		t.Fatal(err)
	}
	// A crash after the create and before the lines: the order exists, empty and pending.
	hl := f.acts.Connections.clients["shop"].Heartland
	station := f.website.Stations[0].ID
	if _, err := hl.CreateSalesOrder(f.ctx, heartland.SalesOrderFields{PublicID: heartland.String("BC-1"), Status: heartland.String("pending"),
		SourceLocationID: heartland.ID(f.website.ID), StationID: heartland.ID(station), CustomerID: heartland.ID(cust.CustomerID)}); err != nil {
		t.Fatal(err)
	}
	ref, err := f.acts.EnsureSalesOrder(f.ctx, EnsureSalesOrderRequest{ConnectionID: "shop", PublicID: "BC-1", Customer: cust,
		SourceLocationID: f.website.ID, Lines: []SalesLine{{OrderProductID: 1, ItemID: f.itemA, Quantity: 2, UnitPrice: "10.00"}}})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Created || ref.Status != "open" || len(ref.Lines) != 1 {
		t.Fatalf("ref %+v", ref)
	}
	if orders := f.hl.Orders(); len(orders) != 1 || len(orders[0].Lines) != 1 || orders[0].Order.Status != "open" {
		t.Fatalf("orders %+v", orders)
	}
}

func TestFulfillmentActivitiesAreIdempotent(t *testing.T) {
	f := newOrderFixture(t)
	ref := f.importOrder(t)
	snap := f.snapshot(t)
	if err := f.acts.DistributeLines(f.ctx, DistributeRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		Lines: []LineLocation{{LineID: ref.Lines[0].LineID, LocationID: f.main.ID}}}); err != nil {
		t.Fatal(err)
	}
	inv, err := f.hl.InvoiceOrderAt(ref.ID, f.main.ID)
	if err != nil {
		t.Fatal(err)
	}
	invoices, err := f.acts.ListInvoices(f.ctx, InvoicesRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID})
	if err != nil || len(invoices) != 1 || !invoices[0].Completed || invoices[0].Lines[0].Quantity != 2 || invoices[0].LocationID != f.main.ID {
		t.Fatalf("invoices %+v %v", invoices, err)
	}
	for range 2 {
		if _, err := f.acts.CapturePayment(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: f.orderID}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.acts.CreateShipment(f.ctx, ShipmentRequest{ConnectionID: "shop", OrderID: f.orderID, InvoiceID: inv.ID,
			OrderAddressID: snap.OrderAddressID, Items: []ShipmentItem{{OrderProductID: snap.Lines[0].OrderProductID, Quantity: 2}}}); err != nil {
			t.Fatal(err)
		}
		if err := f.acts.RecordInvoicePayment(f.ctx, InvoicePaymentRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
			InvoiceID: inv.ID, Amount: invoices[0].Total}); err != nil {
			t.Fatal(err)
		}
	}
	captures := 0
	for _, tx := range f.bc.Transactions(f.orderID) {
		if tx.Event == "capture" {
			captures++
		}
	}
	if captures != 1 || len(f.bc.Shipments(f.orderID)) != 1 {
		t.Errorf("captures %d, shipments %d, want 1 and 1", captures, len(f.bc.Shipments(f.orderID)))
	}
	o, _ := f.hl.OrderByPublicID("BC-1")
	// The invoice carries the goods (20) and the order's shipping (5).
	if len(o.Payments) != 1 || !o.Payments[0].Amount.Equal(heartland.DecInt(25)) {
		t.Errorf("payments %+v", o.Payments)
	}
	if len(f.hl.PaymentTypes()) == 0 {
		t.Error("no payment type created")
	}
	for range 2 {
		if err := f.acts.SetSalesOrderStatus(f.ctx, SalesOrderStatusRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID, Status: "closed"}); err != nil {
			t.Fatal(err)
		}
		if err := f.acts.SetOrderStatus(f.ctx, OrderStatusRequest{ConnectionID: "shop", OrderID: f.orderID, StatusID: 2}); err != nil {
			t.Fatal(err)
		}
	}
	if o, _ := f.hl.OrderByPublicID("BC-1"); o.Order.Status != "closed" {
		t.Errorf("Heartland order %q", o.Order.Status)
	}
}

func TestOrderActivityErrorsAreClassified(t *testing.T) {
	f := newOrderFixture(t)
	var appErr *temporal.ApplicationError

	_, err := f.acts.ReadOrder(f.ctx, OrderRequest{ConnectionID: "nobody", OrderID: f.orderID})
	if !errors.As(err, &appErr) || !appErr.NonRetryable() || appErr.Type() != ErrTypeUnknownConnection {
		t.Errorf("unknown connection: %v", err)
	}
	_, err = f.acts.ReadOrder(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: 999999})
	if !errors.As(err, &appErr) || !appErr.NonRetryable() || appErr.Type() != ErrTypeOrderNotFound {
		t.Errorf("missing order: %v, want a non-retryable %s", err, ErrTypeOrderNotFound)
	}
	f.hl.RateLimitNext("GET /sales/orders", 1, 7*time.Second)
	_, err = f.acts.FindSalesOrder(f.ctx, FindSalesOrderRequest{ConnectionID: "shop", PublicID: "BC-1"})
	if !errors.As(err, &appErr) || appErr.Type() != ErrTypeRateLimited || appErr.NextRetryDelay() != 7*time.Second {
		t.Errorf("429: %v, want RateLimited with a 7s delay", err)
	}
	f.hl.FailNext("GET /sales/orders", 500, 1)
	_, err = f.acts.FindSalesOrder(f.ctx, FindSalesOrderRequest{ConnectionID: "shop", PublicID: "BC-1"})
	if err == nil || errors.As(err, &appErr) {
		t.Errorf("500: %v, want a plain (retryable) error", err)
	}
	// A 503 is a slow-down like a 429 (Heartland's throttle is unpublished).
	f.hl.FailNext("GET /sales/orders", 503, 1)
	_, err = f.acts.FindSalesOrder(f.ctx, FindSalesOrderRequest{ConnectionID: "shop", PublicID: "BC-1"})
	if !errors.As(err, &appErr) || appErr.Type() != ErrTypeRateLimited || appErr.NextRetryDelay() != time.Second {
		t.Errorf("503: %v, want RateLimited with the 1s default delay", err)
	}
	_, err = f.acts.EnsureCustomer(f.ctx, EnsureCustomerRequest{ConnectionID: "shop"})
	if !errors.As(err, &appErr) || !appErr.NonRetryable() {
		t.Errorf("no email: %v", err)
	}
}

func TestUnsupportedLines(t *testing.T) {
	f := newOrderFixture(t)
	wrapped, err := f.bc.AddOrder(bigcommercetest.OrderSeed{CustomerEmail: "x@example.com", Lines: []bigcommercetest.OrderLine{
		{SKU: "SKU-A", Quantity: 1, GiftWrapping: &bigcommercetest.GiftWrapping{Name: "Gold", Cost: decimal.RequireFromString("2")}},
		{SKU: "SKU-A", Quantity: 1, Modifiers: []bigcommerce.OrderProductOption{{DisplayName: "Monogram", Type: "Multiple choice", Name: "Monogram"}}},
		{SKU: "SKU-A", Quantity: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := f.acts.ReadOrder(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: wrapped.ID})
	if err != nil {
		t.Fatal(err)
	}
	if snap.Lines[0].Unsupported != "gift wrapping" || snap.Lines[1].Unsupported == "" || snap.Lines[2].Unsupported != "" {
		t.Errorf("unsupported reasons: %q %q %q", snap.Lines[0].Unsupported, snap.Lines[1].Unsupported, snap.Lines[2].Unsupported)
	}
}

// A store registered by an earlier version has a hook for shipments, which
// hrbc no longer needs: it is deleted, and another connection's is left.
func TestEnsureWebhooksDeletesRetiredScopes(t *testing.T) {
	f := newOrderFixture(t)
	f.acts.Connections.clients["shop"] = Clients{BigCommerce: f.acts.Connections.clients["shop"].BigCommerce,
		Heartland: f.acts.Connections.clients["shop"].Heartland, BigCommerceWebhookSecret: "0123456789abcdef", HeartlandWebhookSecret: "0123456789abcdef"}
	bc := f.acts.Connections.clients["shop"].BigCommerce
	for _, dest := range []string{"https://hrbc.example.com/webhooks/bigcommerce/shop", "https://hrbc.example.com/webhooks/bigcommerce/other"} {
		if _, err := bc.CreateHook(f.ctx, bigcommerce.HookCreate{Scope: "store/shipment/*", Destination: dest, IsActive: true}); err != nil {
			t.Fatal(err)
		}
	}
	wh := &Webhooks{Connections: f.acts.Connections, PublicURL: "https://hrbc.example.com"}
	reg, err := wh.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	if reg.BigCommerceRemoved != 1 || reg.BigCommerceCreated != len(BigCommerceHookScopes) {
		t.Errorf("registration %+v, want 1 removed and %d created", reg, len(BigCommerceHookScopes))
	}
	var shipmentHooks []string
	for _, h := range f.bc.Hooks() {
		if h.Scope == "store/shipment/*" {
			shipmentHooks = append(shipmentHooks, h.Destination)
		}
	}
	if len(shipmentHooks) != 1 || !strings.HasSuffix(shipmentHooks[0], "/other") {
		t.Errorf("shipment hooks left %v, want only the other connection's", shipmentHooks)
	}
	if again, err := wh.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"}); err != nil || again.BigCommerceRemoved != 0 {
		t.Errorf("again: %+v %v, want nothing removed", again, err)
	}
}

// A retired hook BigCommerce will not delete fails the registration,
// naming the hook, and the next registration deletes it; one BigCommerce
// no longer has (404) counts as deleted.
func TestEnsureWebhooksRetiredHookNotDeleted(t *testing.T) {
	f := newOrderFixture(t)
	f.acts.Connections.clients["shop"] = Clients{BigCommerce: f.acts.Connections.clients["shop"].BigCommerce,
		Heartland: f.acts.Connections.clients["shop"].Heartland, BigCommerceWebhookSecret: "0123456789abcdef", HeartlandWebhookSecret: "0123456789abcdef"}
	bc := f.acts.Connections.clients["shop"].BigCommerce
	retired, err := bc.CreateHook(f.ctx, bigcommerce.HookCreate{Scope: "store/shipment/*", Destination: "https://hrbc.example.com/webhooks/bigcommerce/shop", IsActive: true})
	if err != nil {
		t.Fatal(err)
	}
	wh := &Webhooks{Connections: f.acts.Connections, PublicURL: "https://hrbc.example.com"}

	remove := f.bc.InjectFault(bigcommercetest.Fault{Method: http.MethodDelete, Path: "/v3/hooks/*", Kind: bigcommercetest.FaultError, Status: http.StatusForbidden, Title: "forbidden"})
	_, err = wh.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"})
	remove()
	if want := fmt.Sprintf("delete retired BigCommerce webhook %d", retired.ID); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want one naming %q", err, want)
	}
	if !slices.ContainsFunc(f.bc.Hooks(), func(h bigcommerce.Hook) bool { return h.ID == retired.ID }) {
		t.Fatal("the retired hook is gone although its delete was refused")
	}
	reg, err := wh.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"})
	if err != nil || reg.BigCommerceRemoved != 1 {
		t.Fatalf("next registration %+v, %v; want the retired hook removed", reg, err)
	}
	if slices.ContainsFunc(f.bc.Hooks(), func(h bigcommerce.Hook) bool { return h.Scope == "store/shipment/*" }) {
		t.Error("a store/shipment/* hook is left")
	}

	// Deleted meanwhile (by staff, or a registration racing this one):
	// BigCommerce answers 404, which is what was wanted.
	again, err := bc.CreateHook(f.ctx, bigcommerce.HookCreate{Scope: "store/shipment/*", Destination: "https://hrbc.example.com/webhooks/bigcommerce/shop", IsActive: true})
	if err != nil {
		t.Fatal(err)
	}
	f.bc.InjectFault(bigcommercetest.Fault{Method: http.MethodDelete, Path: fmt.Sprintf("/v3/hooks/%d", again.ID), Kind: bigcommercetest.FaultError, Status: http.StatusNotFound, Title: "not found", Times: 1})
	if reg, err := wh.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"}); err != nil || reg.BigCommerceRemoved != 1 {
		t.Errorf("registration with the hook gone: %+v, %v; want it counted removed", reg, err)
	}
}

func TestEnsureWebhooksIsIdempotentAndToleratesARace(t *testing.T) {
	f := newOrderFixture(t)
	f.acts.Connections.clients["shop"] = Clients{BigCommerce: f.acts.Connections.clients["shop"].BigCommerce,
		Heartland: f.acts.Connections.clients["shop"].Heartland, BigCommerceWebhookSecret: "0123456789abcdef", HeartlandWebhookSecret: "0123456789abcdef"}
	wh := &Webhooks{Connections: f.acts.Connections, PublicURL: "https://hrbc.example.com/"}
	first, err := wh.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := wh.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	if first.BigCommerceCreated != len(BigCommerceHookScopes) || first.HeartlandCreated != len(HeartlandWebhookEvents) ||
		again.BigCommerceCreated != 0 || again.HeartlandCreated != 0 {
		t.Fatalf("first %+v, again %+v", first, again)
	}
	hooks := f.bc.Hooks()
	if len(hooks) != len(BigCommerceHookScopes) || hooks[0].Destination != "https://hrbc.example.com/webhooks/bigcommerce/shop" ||
		hooks[0].Headers[BigCommerceSecretHeader] != "0123456789abcdef" {
		t.Errorf("hooks %+v", hooks)
	}
	// A deactivated hook (BigCommerce gives up after two days of failures) is re-enabled.
	bc := f.acts.Connections.clients["shop"].BigCommerce
	off := false
	if _, err := bc.UpdateHook(f.ctx, hooks[0].ID, bigcommerce.HookUpdate{IsActive: &off}); err != nil {
		t.Fatal(err)
	}
	if reg, err := wh.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"}); err != nil || reg.BigCommerceEnabled != 1 {
		t.Errorf("re-enable: %+v %v", reg, err)
	}
	// hrbc moves and its secret is rotated: the store's hooks follow (no
	// second set), Heartland's are replaced and the old ones removed.
	f.acts.Connections.clients["shop"] = Clients{BigCommerce: bc,
		Heartland: f.acts.Connections.clients["shop"].Heartland, BigCommerceWebhookSecret: "fedcba9876543210", HeartlandWebhookSecret: "fedcba9876543210"}
	moved := &Webhooks{Connections: f.acts.Connections, PublicURL: "https://new.example.com"}
	reg, err := moved.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"})
	if err != nil || reg.BigCommerceCreated != 0 || reg.BigCommerceMoved != len(BigCommerceHookScopes) ||
		reg.HeartlandCreated != len(HeartlandWebhookEvents) || reg.HeartlandRemoved != len(HeartlandWebhookEvents) {
		t.Fatalf("after the move: %+v %v", reg, err)
	}
	hooks = f.bc.Hooks()
	if len(hooks) != len(BigCommerceHookScopes) {
		t.Errorf("%d store hooks after the move, want %d", len(hooks), len(BigCommerceHookScopes))
	}
	for _, h := range hooks {
		if h.Destination != "https://new.example.com/webhooks/bigcommerce/shop" || h.Headers[BigCommerceSecretHeader] != "fedcba9876543210" || !h.IsActive {
			t.Errorf("store hook after the move: %+v", h)
		}
	}
	hl := f.hl.Webhooks()
	if len(hl) != len(HeartlandWebhookEvents) {
		t.Errorf("%d Heartland hooks after the move, want %d", len(hl), len(HeartlandWebhookEvents))
	}
	for _, w := range hl {
		if !strings.HasPrefix(w.URL, "https://new.example.com/webhooks/heartland/shop?secret=fedcba9876543210") {
			t.Errorf("Heartland hook after the move: %s", w.URL)
		}
	}
	// Another connection's hooks on the same accounts are left alone.
	other := &Webhooks{Connections: f.acts.Connections, PublicURL: "https://new.example.com"}
	f.acts.Connections.clients["shop2"] = f.acts.Connections.clients["shop"]
	if reg, err := other.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop2"}); err != nil || reg.BigCommerceMoved != 0 || reg.HeartlandRemoved != 0 {
		t.Errorf("a second connection: %+v %v", reg, err)
	}
	if len(f.bc.Hooks()) != 2*len(BigCommerceHookScopes) || len(f.hl.Webhooks()) != 2*len(HeartlandWebhookEvents) {
		t.Errorf("hooks of two connections: %d store, %d Heartland", len(f.bc.Hooks()), len(f.hl.Webhooks()))
	}
	// Without a public URL nothing is registered.
	if reg, err := (&Webhooks{Connections: f.acts.Connections}).EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"}); err != nil || !reg.Skipped {
		t.Errorf("no public URL: %+v %v", reg, err)
	}
}

func TestCancelledActivityIsNotARejection(t *testing.T) {
	f := newOrderFixture(t)
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	_, err := f.acts.FindSalesOrder(ctx, FindSalesOrderRequest{ConnectionID: "shop", PublicID: "BC-1"})
	var appErr *temporal.ApplicationError
	if err == nil || errors.As(err, &appErr) {
		t.Fatalf("cancelled call: %v, want a plain error Temporal may retry, not an API rejection", err)
	}
}

// A stale Heartland hook that cannot be deleted fails the registration,
// which a retry then finishes; a 404 on delete is not an error.
func TestEnsureWebhooksRetriesAStaleHookItCouldNotDelete(t *testing.T) {
	f := newOrderFixture(t)
	clients := f.acts.Connections.clients["shop"]
	clients.BigCommerceWebhookSecret, clients.HeartlandWebhookSecret = "0123456789abcdef", "0123456789abcdef"
	f.acts.Connections.clients["shop"] = clients
	req := ConnectionRequest{ConnectionID: "shop"}
	if _, err := (&Webhooks{Connections: f.acts.Connections, PublicURL: "https://old.example.com"}).EnsureWebhooks(f.ctx, req); err != nil {
		t.Fatal(err)
	}
	moved := &Webhooks{Connections: f.acts.Connections, PublicURL: "https://new.example.com"}
	f.hl.FailNext("DELETE /webhooks/{id}", http.StatusInternalServerError, 1)
	if _, err := moved.EnsureWebhooks(f.ctx, req); err == nil {
		t.Fatal("a failed delete of a stale hook was not reported")
	}
	// A 404 (someone removed it meanwhile) is what was wanted: no error.
	// The fake answers it without deleting, so a third run removes that one.
	f.hl.FailNext("DELETE /webhooks/{id}", http.StatusNotFound, 1)
	reg, err := moved.EnsureWebhooks(f.ctx, req)
	if err != nil || reg.HeartlandCreated != 0 || reg.HeartlandRemoved != len(HeartlandWebhookEvents) {
		t.Fatalf("retry: %+v %v", reg, err)
	}
	if reg, err := moved.EnsureWebhooks(f.ctx, req); err != nil || reg.HeartlandRemoved != 1 {
		t.Fatalf("third run: %+v %v, want the hook the 404 left", reg, err)
	}
	for _, w := range f.hl.Webhooks() {
		if !strings.HasPrefix(w.URL, "https://new.example.com/") {
			t.Errorf("stale Heartland hook left: %s", w.URL)
		}
	}
}

// The orders a newly auto-distributed connection may have waiting are
// those Awaiting Fulfillment, and only those.
func TestListAwaitingOrders(t *testing.T) {
	f := newOrderFixture(t)
	shipped := f.bc.MustAddOrder(bigcommercetest.OrderSeed{CustomerEmail: "s@example.com", StatusID: bigcommerce.StatusShipped,
		Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	ids, err := f.acts.ListAwaitingOrders(f.ctx, ConnectionRequest{ConnectionID: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != f.orderID || ids[0] == shipped.ID {
		t.Errorf("awaiting orders %v, want only %d", ids, f.orderID)
	}
}
