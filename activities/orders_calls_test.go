package activities

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
)

// callCounter is an http.RoundTripper that counts requests per route
// ("GET /sales/orders/{id}/lines"), so tests can hold an activity to the
// calls it needs.
type callCounter struct {
	mu     sync.Mutex
	routes map[string]int
	// prefix is cut from paths: the store hash or "/api".
	prefix *regexp.Regexp
}

var numericSegment = regexp.MustCompile(`/\d+`)

func (c *callCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	route := r.Method + " " + numericSegment.ReplaceAllString(c.prefix.ReplaceAllString(r.URL.Path, ""), "/{id}")
	c.mu.Lock()
	c.routes[route]++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// take returns the counts since the last take and starts afresh.
func (c *callCounter) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.routes
	c.routes = map[string]int{}
	return out
}

// countedFixture is the order fixture whose connection counts its calls;
// f.hlPlain is an uncounted client for setting up and looking at Heartland.
type countedFixture struct {
	*orderFixture
	bcCalls, hlCalls *callCounter
	hlPlain          *heartland.Client
}

func newCountedFixture(t *testing.T) *countedFixture {
	t.Helper()
	return newCountedFixtureWith(t, heartland.Config{})
}

// newCountedFixtureWith takes the Heartland client's behaviour switches
// from hlCfg.
func newCountedFixtureWith(t *testing.T, hlCfg heartland.Config) *countedFixture {
	t.Helper()
	f := &countedFixture{orderFixture: newOrderFixture(t),
		bcCalls: &callCounter{routes: map[string]int{}, prefix: regexp.MustCompile(`^/stores/[^/]+`)},
		hlCalls: &callCounter{routes: map[string]int{}, prefix: regexp.MustCompile(`^/api`)},
	}
	cfg := f.bc.ClientConfig()
	cfg.HTTPClient = &http.Client{Transport: f.bcCalls}
	bcClient, err := bigcommerce.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hlCfg.BaseURL, hlCfg.Token, hlCfg.RequestsPerSecond = f.hl.URL, heartland.Secret(f.hl.Token), -1
	hlCfg.HTTPClient = &http.Client{Transport: f.hlCalls}
	hlClient, err := heartland.New(hlCfg)
	if err != nil {
		t.Fatal(err)
	}
	f.hlPlain = f.acts.Connections.clients["shop"].Heartland
	f.acts.Connections.Add("shop", Clients{BigCommerce: bcClient, Heartland: hlClient})
	return f
}

// importRequest is what the workflow hands ImportSalesOrder for an order.
func (f *countedFixture) importRequest(t *testing.T, orderID int) ImportSalesOrderRequest {
	t.Helper()
	snap, err := f.acts.ReadOrder(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: orderID})
	if err != nil {
		t.Fatal(err)
	}
	req := ImportSalesOrderRequest{ConnectionID: "shop", PublicID: fmt.Sprintf("BC-%d", orderID),
		SourceLocationID: f.website.ID, Email: snap.Email, Billing: snap.Billing, Shipping: snap.Shipping, ShippingCharge: snap.ShippingCharge}
	for _, l := range snap.Lines {
		req.Lines = append(req.Lines, ImportLine{OrderProductID: l.OrderProductID, SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice})
	}
	return req
}

// with returns calls plus extra.
func with(calls, extra map[string]int) map[string]int {
	out := maps.Clone(calls)
	for k, v := range extra {
		out[k] += v
	}
	return out
}

func wantCalls(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if !maps.Equal(got, want) {
		t.Errorf("%s: calls %v, want %v", what, got, want)
	}
}

func TestOrderImportCallCounts(t *testing.T) {
	t.Run("released after create", func(t *testing.T) { testOrderImportCallCounts(t, false) })
	t.Run("created open", func(t *testing.T) { testOrderImportCallCounts(t, true) })
}

func testOrderImportCallCounts(t *testing.T, createOpen bool) {
	f := newCountedFixtureWith(t, heartland.Config{CreateOrdersOpen: createOpen})
	// Working integrations release a new order with a PUT; an account
	// known to take the status in the create saves that call.
	release := map[string]int{"PUT /sales/orders/{id}": 1}
	if createOpen {
		release = nil
	}

	req := f.importRequest(t, f.orderID)
	wantCalls(t, "ReadOrder", f.bcCalls.take(), map[string]int{
		"GET /v2/orders/{id}": 1, "GET /v2/orders/{id}/products": 1, "GET /v2/orders/{id}/shipping_addresses": 1})

	first, err := f.acts.ImportSalesOrder(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	// A new order of a new customer: seven calls (eight with the release),
	// and the locations once.
	wantCalls(t, "first import", f.hlCalls.take(), with(map[string]int{
		"GET /sales/orders": 1, "GET /items": 1, "GET /locations": 1,
		"GET /customers": 1, "POST /customers": 1, "POST /customers/{id}/addresses": 1,
		"POST /sales/orders": 1, "GET /sales/orders/{id}/lines": 1}, release))
	if !first.Order.Created || first.Order.Status != heartland.OrderOpen || len(first.Order.Lines) != 1 ||
		first.Order.Lines[0].ItemID != f.itemA || len(first.Locations) != 2 || len(first.Missing) != 0 {
		t.Fatalf("first import %+v", first)
	}
	hlOrder, ok := f.hl.OrderByPublicID(req.PublicID)
	if !ok || hlOrder.Order.Status != heartland.OrderOpen || len(hlOrder.Lines) != 1 || hlOrder.Lines[0].ID != first.Order.Lines[0].LineID ||
		!hlOrder.Lines[0].AdjustedUnitPrice.Equal(heartland.DecInt(10)) || !hlOrder.Order.ShippingCharge.Equal(heartland.DecInt(5)) {
		t.Fatalf("Heartland order %+v", hlOrder)
	}
	if st := f.hl.Stock("SKU-A", f.website.ID); !st.Committed.Equal(heartland.DecInt(2)) {
		t.Errorf("open order commits %v, want 2", st.Committed)
	}

	// The same order again (a rerun): looked up, nothing written.
	again, err := f.acts.ImportSalesOrder(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	wantCalls(t, "rerun", f.hlCalls.take(), map[string]int{"GET /sales/orders": 1, "GET /items": 1, "GET /sales/orders/{id}/lines": 1})
	if again.Order.Created || again.Order.ID != first.Order.ID || again.Order.Lines[0].LineID != first.Order.Lines[0].LineID {
		t.Errorf("rerun %+v, first %+v", again, first)
	}

	// A second order of the same customer at the same address: the customer
	// and the address are found, the locations come from the cache.
	second, err := f.bc.AddOrder(bigcommercetest.OrderSeed{CustomerEmail: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
		Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	req2 := f.importRequest(t, second.ID)
	if _, err := f.acts.ImportSalesOrder(f.ctx, req2); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, "repeat customer", f.hlCalls.take(), with(map[string]int{
		"GET /sales/orders": 1, "GET /items": 1, "GET /customers": 1, "GET /customers/{id}/addresses": 1,
		"POST /sales/orders": 1, "GET /sales/orders/{id}/lines": 1}, release))
	c, _ := f.hl.CustomerByEmail("ada@example.com")
	addrs, err := f.hlPlain.ListCustomerAddresses(f.ctx, c.ID)
	if err != nil || len(addrs) != 1 || len(f.hl.Orders()) != 2 {
		t.Errorf("customer addresses %d (%v), orders %d; want 1 and 2", len(addrs), err, len(f.hl.Orders()))
	}
}

func TestOrderImportStopsEarly(t *testing.T) {
	f := newCountedFixture(t)
	req := f.importRequest(t, f.orderID)
	f.bcCalls.take()

	// An unknown SKU: found out before anything is written.
	unknown := req
	unknown.Lines = append([]ImportLine{}, req.Lines...)
	unknown.Lines[0].SKU = "NOPE"
	res, err := f.acts.ImportSalesOrder(f.ctx, unknown)
	if err != nil || len(res.Missing) != 1 || res.Missing[0] != "NOPE" || res.Order.ID != 0 {
		t.Fatalf("unknown SKU: %+v %v", res, err)
	}
	wantCalls(t, "unknown SKU", f.hlCalls.take(), map[string]int{"GET /sales/orders": 1, "GET /items": 1})
	if _, ok := f.hl.CustomerByEmail("ada@example.com"); ok || len(f.hl.Orders()) != 0 {
		t.Error("an order with an unknown SKU wrote to Heartland")
	}

	// An order an earlier workflow imported and closed: one look, left alone.
	if _, err := f.acts.ImportSalesOrder(f.ctx, req); err != nil {
		t.Fatal(err)
	}
	ref, _ := f.hl.OrderByPublicID(req.PublicID)
	if err := f.hlPlain.SetSalesOrderStatus(f.ctx, ref.Order.ID, heartland.OrderClosed); err != nil {
		t.Fatal(err)
	}
	f.hlCalls.take()
	res, err = f.acts.ImportSalesOrder(f.ctx, req)
	if err != nil || res.Order.ID != ref.Order.ID || res.Order.Status != heartland.OrderClosed || len(res.Order.Lines) != 0 {
		t.Fatalf("closed order: %+v %v", res, err)
	}
	wantCalls(t, "closed order", f.hlCalls.take(), map[string]int{"GET /sales/orders": 1})
}

func TestOrderImportCompletesAfterAFailedCreate(t *testing.T) {
	f := newCountedFixture(t)
	req := f.importRequest(t, f.orderID)
	// The create fails: the customer and its address exist, the order not.
	f.hl.FailNext("POST /sales/orders", 503, 1)
	if _, err := f.acts.ImportSalesOrder(f.ctx, req); err == nil {
		t.Fatal("import succeeded despite a 503 on the create")
	}
	res, err := f.acts.ImportSalesOrder(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := f.hl.CustomerByEmail("ada@example.com")
	if !ok {
		t.Fatal("no customer")
	}
	addrs, _ := f.hlPlain.ListCustomerAddresses(f.ctx, c.ID)
	orders := f.hl.Orders()
	if !res.Order.Created || len(orders) != 1 || len(orders[0].Lines) != 1 || orders[0].Order.Status != heartland.OrderOpen || len(addrs) != 1 {
		t.Errorf("after the rerun: result %+v, orders %+v, %d addresses", res, orders, len(addrs))
	}
}

func TestOrderStatusReadIsOneCall(t *testing.T) {
	f := newCountedFixture(t)
	st, err := f.acts.ReadOrderStatus(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: f.orderID})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := f.bc.Order(f.orderID)
	if st.StatusID != 11 || st.PaymentStatus != "authorized" || st.DateModified != bcTimestamp(o.DateModified.Time) || st.DateModified == "" {
		t.Errorf("status snapshot %+v, order modified %v", st, o.DateModified)
	}
	wantCalls(t, "ReadOrderStatus", f.bcCalls.take(), map[string]int{"GET /v2/orders/{id}": 1})
}

func TestInvoicePaymentsLookThePaymentTypeUpOnce(t *testing.T) {
	f := newCountedFixture(t)
	ref, err := f.acts.ImportSalesOrder(f.ctx, f.importRequest(t, f.orderID))
	if err != nil {
		t.Fatal(err)
	}
	f.hlCalls.take()
	for _, inv := range []int64{1, 2} {
		if err := f.acts.RecordInvoicePayment(f.ctx, InvoicePaymentRequest{ConnectionID: "shop", HeartlandOrderID: ref.Order.ID,
			InvoiceID: inv, Amount: "10.00"}); err != nil {
			t.Fatal(err)
		}
	}
	wantCalls(t, "two invoice payments", f.hlCalls.take(), map[string]int{
		"GET /payment_types": 1, "POST /payment_types": 1,
		"GET /sales/orders/{id}/payments": 2, "POST /sales/orders/{id}/payments": 2})
	o, _ := f.hl.OrderByPublicID(fmt.Sprintf("BC-%d", f.orderID))
	if len(o.Payments) != 2 || len(f.hl.PaymentTypes()) != 1 {
		t.Errorf("payments %+v, payment types %+v", o.Payments, f.hl.PaymentTypes())
	}
}

func TestImportSlotsQueueImportsOfAConnection(t *testing.T) {
	var s importSlots
	ctx := context.Background()
	var held []func()
	for range importsPerConnection {
		release, err := s.acquire(ctx, "shop")
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, release)
	}
	// Another connection has places of its own.
	other, err := s.acquire(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	other()
	// A full connection makes the next import wait, until its context ends…
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := s.acquire(short, "shop"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("acquire on a full connection: %v, want the deadline", err)
	}
	// …or a place comes free.
	got := make(chan error, 1)
	go func() {
		release, err := s.acquire(ctx, "shop")
		if err == nil {
			release()
		}
		got <- err
	}()
	held[0]()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a released place was not handed on")
	}
}

func TestOrderImportAtALocationNewerThanTheCache(t *testing.T) {
	f := newCountedFixture(t)
	if _, err := f.acts.ImportSalesOrder(f.ctx, f.importRequest(t, f.orderID)); err != nil {
		t.Fatal(err)
	}
	// A pop-up store opens after the locations were cached, and the
	// connection's web orders are sent there.
	popup := f.hl.AddLocation("POP", "Pop-up", "Pop-up Register")
	second, err := f.bc.AddOrder(bigcommercetest.OrderSeed{CustomerEmail: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
		Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	req := f.importRequest(t, second.ID)
	req.SourceLocationID = popup.ID
	f.hlCalls.take()
	res, err := f.acts.ImportSalesOrder(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	calls := f.hlCalls.take()
	if calls["GET /locations/{id}"] != 1 || calls["GET /locations"] != 1 {
		t.Errorf("calls %v, want the new location read and the list refreshed once each", calls)
	}
	o, _ := f.hl.OrderByPublicID(req.PublicID)
	if o.Order.SourceLocationID != popup.ID || o.Order.StationID != popup.Stations[0].ID || len(res.Locations) != 3 {
		t.Errorf("order %+v, locations %+v", o.Order, res.Locations)
	}
}

// A line that does not carry the web price (an account that ignores prices
// on nested lines, or an order an earlier attempt left behind) is repriced,
// so the order's total matches what the shopper paid.
func TestOrderImportRepricesLines(t *testing.T) {
	f := newCountedFixture(t)
	req := f.importRequest(t, f.orderID)
	f.bcCalls.take()
	customer := f.hl.AddCustomer("Ada", "Lovelace", "ada@example.com")
	wrong := heartland.DecInt(99)
	if _, err := f.hlPlain.CreateSalesOrder(f.ctx, heartland.SalesOrderFields{
		PublicID: &req.PublicID, CustomerID: &customer.ID, SourceLocationID: &f.website.ID, StationID: &f.website.Stations[0].ID,
		Lines: []heartland.OrderLineFields{{ItemID: f.itemA, Qty: heartland.DecInt(2), AdjustedUnitPrice: &wrong}},
	}); err != nil {
		t.Fatal(err)
	}
	// Heartland refusing the new price fails the import, naming the line.
	f.hl.FailNext("PUT /sales/orders/{id}/lines/{line}", http.StatusInternalServerError, 1)
	if _, err := f.acts.ImportSalesOrder(f.ctx, req); err == nil || !strings.Contains(err.Error(), "set the price of line 1") {
		t.Fatalf("import with the repricing refused: %v", err)
	}
	f.hlCalls.take()
	res, err := f.acts.ImportSalesOrder(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	calls := f.hlCalls.take()
	if calls["PUT /sales/orders/{id}/lines/{id}"] != 1 {
		t.Errorf("calls %v, want one line repriced", calls)
	}
	o, ok := f.hl.OrderByPublicID(req.PublicID)
	if !ok || res.Order.Created || len(o.Lines) != 1 || !o.Lines[0].AdjustedUnitPrice.Equal(heartland.DecInt(10)) || o.Order.Status != heartland.OrderOpen {
		t.Fatalf("Heartland order %+v after import %+v, want its line at 10 and open", o, res)
	}
	// Once right, a rerun leaves the price alone.
	if _, err := f.acts.ImportSalesOrder(f.ctx, req); err != nil {
		t.Fatal(err)
	}
	if calls := f.hlCalls.take(); calls["PUT /sales/orders/{id}/lines/{id}"] != 0 {
		t.Errorf("rerun calls %v, want no repricing", calls)
	}
}

// A fresh read of the locations goes past the cache, so an admin can
// distribute to a location opened minutes ago.
func TestRefreshShipFromLocationsPassesTheCache(t *testing.T) {
	f := newCountedFixture(t)
	req := ConnectionRequest{ConnectionID: "shop"}
	before, err := f.acts.ListShipFromLocations(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	f.hl.AddLocation("NEW", "New Store", "Till")
	cached, err := f.acts.ListShipFromLocations(f.ctx, req)
	if err != nil || len(cached) != len(before) {
		t.Fatalf("cached list has %d locations (%v), want the %d from before", len(cached), err, len(before))
	}
	fresh, err := f.acts.RefreshShipFromLocations(f.ctx, req)
	if err != nil || len(fresh) != len(before)+1 || fresh[len(fresh)-1].Name != "New Store" {
		t.Fatalf("fresh list %+v (%v), want the new store too", fresh, err)
	}
	// And the cache now holds the fresh list.
	if again, _ := f.acts.ListShipFromLocations(f.ctx, req); len(again) != len(fresh) {
		t.Errorf("cache after the refresh has %d locations, want %d", len(again), len(fresh))
	}
}
