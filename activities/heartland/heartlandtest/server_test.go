package heartlandtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

var ctx = context.Background()

func setup(t *testing.T, opts ...heartlandtest.Option) (*heartlandtest.Server, *heartland.Client) {
	t.Helper()
	srv := heartlandtest.NewServer(append([]heartlandtest.Option{heartlandtest.WithDemoSeed()}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := heartland.New(srv.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func loc(t *testing.T, srv *heartlandtest.Server, name string) heartland.Location {
	t.Helper()
	l, ok := srv.LocationByName(name)
	if !ok {
		t.Fatalf("no location %s", name)
	}
	return l
}

func want(t *testing.T, srv *heartlandtest.Server, sku string, locID int64, onHand, avail, committed int64) {
	t.Helper()
	st := srv.Stock(sku, locID)
	if !st.OnHand.Equal(heartland.DecInt(onHand)) || !st.Available.Equal(heartland.DecInt(avail)) || !st.Committed.Equal(heartland.DecInt(committed)) {
		t.Fatalf("%s@%d: %s; want %d/%d/%d", sku, locID, st, onHand, avail, committed)
	}
}

// do sends a raw request and returns status, headers and body.
func do(t *testing.T, method, url, token, body string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

func TestStockArithmeticPerLocation(t *testing.T) {
	srv, c := setup(t)
	main, wh, web := loc(t, srv, "Main Street"), loc(t, srv, "Warehouse"), loc(t, srv, "Website")
	const sku = "HR-TOTE-01" // 8 / 30 / 10
	want(t, srv, sku, main.ID, 8, 8, 0)

	// Sale at Main Street: on hand and available drop there only.
	if _, err := srv.RingUpSale(main.ID, heartlandtest.SaleLine{PublicID: sku, Qty: heartland.DecInt(3)}); err != nil {
		t.Fatal(err)
	}
	want(t, srv, sku, main.ID, 5, 5, 0)
	want(t, srv, sku, wh.ID, 30, 30, 0)

	// Receive at the Warehouse.
	if err := srv.ReceiveStock(wh.ID, sku, heartland.DecInt(12)); err != nil {
		t.Fatal(err)
	}
	want(t, srv, sku, wh.ID, 42, 42, 0)

	// A pending order commits nothing; opening it commits at the source.
	oid, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{PublicID: heartland.String("BC-1"),
		SourceLocationID: heartland.ID(web.ID), StationID: heartland.ID(web.Stations[0].ID),
		Lines: []heartland.OrderLineFields{{ItemLookup: sku, Qty: heartland.DecInt(4)}, {ItemLookup: sku, Qty: heartland.DecInt(2)}}})
	if err != nil {
		t.Fatal(err)
	}
	want(t, srv, sku, web.ID, 10, 10, 0)
	if err := c.SetSalesOrderStatus(ctx, oid, "open"); err != nil {
		t.Fatal(err)
	}
	want(t, srv, sku, web.ID, 10, 4, 6)

	// Distribute: 4 from Main Street, 2 from the Warehouse.
	st, _ := srv.OrderByPublicID("BC-1")
	if err := c.SetLineShipFrom(ctx, oid, st.Lines[0].ID, main.ID); err != nil {
		t.Fatal(err)
	}
	if err := srv.DistributeOrder(oid, wh.ID); err != nil {
		t.Fatal(err)
	}
	want(t, srv, sku, web.ID, 10, 10, 0)
	want(t, srv, sku, main.ID, 5, 1, 4)
	want(t, srv, sku, wh.ID, 42, 40, 2)

	// Store staff invoice Main Street's lines: consumed there, commitment released.
	inv, err := srv.InvoiceOrderAt(oid, main.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !inv.Completed || !inv.Total.Equal(heartland.DecInt(60)) {
		t.Fatalf("invoice %+v", inv)
	}
	want(t, srv, sku, main.ID, 1, 1, 0)
	want(t, srv, sku, wh.ID, 42, 40, 2)
	if _, err := srv.InvoiceOrderAt(oid, main.ID); err == nil {
		t.Fatal("second invoice at the same location accepted")
	}
	if _, err := srv.InvoiceOrderAt(oid, wh.ID); err != nil {
		t.Fatal(err)
	}
	want(t, srv, sku, wh.ID, 40, 40, 0)
	// Fully invoiced but unpaid: the order stays open for its payment.
	if st, _ := srv.OrderByPublicID("BC-1"); st.Order.Status != "open" || !st.Order.Balance.IsPositive() || len(srv.InvoicesOfOrder(oid)) != 2 {
		t.Fatalf("order %+v", st.Order)
	}

	// Every movement is an inventory transaction, and they add up.
	item, _ := srv.ItemByPublicID(sku)
	onHand, committed := map[int64]heartland.Decimal{}, map[int64]heartland.Decimal{}
	for _, tx := range srv.InventoryTransactions() {
		if tx.ItemID == item.ID {
			onHand[tx.LocationID] = onHand[tx.LocationID].Add(tx.Qty)
			committed[tx.LocationID] = committed[tx.LocationID].Add(tx.QtyCommitted)
		}
	}
	for _, l := range []heartland.Location{main, wh, web} {
		s := srv.Stock(sku, l.ID)
		if !onHand[l.ID].Equal(s.OnHand) || !committed[l.ID].Equal(s.Committed) {
			t.Errorf("%s: transactions sum %s/%s, stock %s", l.Name, onHand[l.ID].String(), committed[l.ID].String(), s)
		}
	}
}

func TestInvoiceCompletesOnCreateOption(t *testing.T) {
	srv, c := setup(t, heartlandtest.WithInvoiceCompletesOnCreate())
	main := loc(t, srv, "Main Street")
	oid, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{Status: heartland.String("open"),
		SourceLocationID: heartland.ID(main.ID), StationID: heartland.ID(main.Stations[1].ID),
		Lines: []heartland.OrderLineFields{{ItemLookup: "HR-MUG-01", Qty: heartland.DecInt(1), ShipFromLocationID: heartland.ID(main.ID)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateInvoice(ctx, heartland.InvoiceFields{OrderID: oid, SourceLocationID: main.ID, StationID: main.Stations[0].ID}); err != nil {
		t.Fatal(err)
	}
	want(t, srv, "HR-MUG-01", main.ID, 9, 9, 0)
	if o, _ := c.GetSalesOrder(ctx, oid); o.Status != "open" || o.PublicID == "" {
		t.Fatalf("unpaid, fully invoiced order %+v, want it still open", o)
	}
}

func TestPaidOrderClosesWhenFullyInvoiced(t *testing.T) {
	srv, c := setup(t, heartlandtest.WithInvoiceCompletesOnCreate())
	main := loc(t, srv, "Main Street")
	oid, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{Status: heartland.String("open"),
		SourceLocationID: heartland.ID(main.ID), StationID: heartland.ID(main.Stations[1].ID),
		Lines: []heartland.OrderLineFields{{ItemLookup: "HR-MUG-01", Qty: heartland.DecInt(1), ShipFromLocationID: heartland.ID(main.ID)}}})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := c.GetSalesOrder(ctx, oid)
	pt := srv.AddPaymentType("BigCommerce External")
	if _, err := c.AddSalesOrderPayment(ctx, oid, heartland.PaymentFields{PaymentTypeID: pt.ID, Amount: o.Total, Deposit: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateInvoice(ctx, heartland.InvoiceFields{OrderID: oid, SourceLocationID: main.ID, StationID: main.Stations[0].ID}); err != nil {
		t.Fatal(err)
	}
	if o, _ := c.GetSalesOrder(ctx, oid); o.Status != "closed" {
		t.Fatalf("paid, fully invoiced order %+v, want closed", o)
	}
}

func TestWireRepresentation(t *testing.T) {
	srv, _ := setup(t)
	// Unauthenticated calls get the JSON error body.
	code, _, body := do(t, "GET", srv.URL+"items", "", "")
	if code != 401 || !strings.Contains(string(body), `"error":"unauthorized"`) {
		t.Fatalf("%d %s", code, body)
	}
	// Create: 201, Location, empty body.
	code, h, body := do(t, "POST", srv.URL+"items", srv.Token, `{"public_id":"RAW-1","description":"Raw","custom@color":"Red","active":false,"price":"2.50"}`)
	if code != 201 || !strings.HasSuffix(h.Get("Location"), "/api/items/11") || len(body) != 0 {
		t.Fatalf("create: %d %v %q", code, h, body)
	}
	// Collections: {total, pages, results}, "?" booleans, _only[], sort[].
	code, _, body = do(t, "GET", srv.URL+`items?_filter={"$or":[{"custom@color":"Red"},{"custom@color":"Navy"}]}&sort[]=id,desc&_only[]=public_id&_only[]=active&per_page=1&page=2`, srv.Token, "")
	var pg struct {
		Total, Pages int
		Results      []map[string]any
	}
	if err := json.Unmarshal(body, &pg); err != nil || code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if pg.Total != 2 || pg.Pages != 2 || len(pg.Results) != 1 || pg.Results[0]["public_id"] != "HR-CAP-01" || pg.Results[0]["active?"] != true || len(pg.Results[0]) != 2 {
		t.Fatalf("page: %s", body)
	}
	code, _, body = do(t, "GET", srv.URL+"items/11", srv.Token, "")
	var it map[string]any
	_ = json.Unmarshal(body, &it)
	if code != 200 || it["active?"] != false || it["price"] != "2.50" && it["price"] != 2.5 || it["custom"].(map[string]any)["color"] != "Red" {
		t.Fatalf("item: %s", body)
	}
	// Plain equality params and per_page=all.
	_, _, body = do(t, "GET", srv.URL+"locations?per_page=all&public_id=WEB&_include[]=stations", srv.Token, "")
	if !strings.Contains(string(body), `"total":1`) || !strings.Contains(string(body), `"Web Station"`) {
		t.Fatalf("locations: %s", body)
	}
	// Grouped inventory values: by item only sums locations.
	mug, _ := srv.ItemByPublicID("HR-MUG-01")
	_, _, body = do(t, "GET", srv.URL+"inventory/values?group[]=item_id&item_id="+itoa(mug.ID), srv.Token, "")
	if !strings.Contains(string(body), `"qty_on_hand":"62"`) && !strings.Contains(string(body), `"qty_on_hand":62`) {
		t.Fatalf("grouped: %s", body)
	}
	// Bad filters are a 400 with an error body; unknown routes a JSON 404.
	code, _, body = do(t, "GET", srv.URL+`items?_filter={"id":{"$regex":1}}`, srv.Token, "")
	if code != 400 || !strings.Contains(string(body), `"message"`) {
		t.Fatalf("bad filter: %d %s", code, body)
	}
	code, _, _ = do(t, "GET", srv.URL+"nope", srv.Token, "")
	if code != 404 {
		t.Fatalf("unknown route: %d", code)
	}
}

func itoa(i int64) string { return strings.TrimSpace(string(must(json.Marshal(i)))) }

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestFaultInjection(t *testing.T) {
	srv, c := setup(t, heartlandtest.WithRandSeed(7))
	srv.FailNext("GET /items/{id}", 503, 2)
	for i := range 2 {
		if _, err := c.GetItem(ctx, 1); !heartland.IsRetryable(err) {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if _, err := c.GetItem(ctx, 1); err != nil {
		t.Fatalf("fault outlived Times: %v", err)
	}
	srv.RateLimitNext("*", 1, 3e9)
	_, err := c.ListLocations(ctx)
	if d, ok := heartland.RetryDelay(err); !ok || d.Seconds() != 3 {
		t.Fatalf("429: %v %v", d, err)
	}
	// A 50% error rate fails some but not all of 40 calls (seeded, deterministic).
	srv.InjectFault("GET /locations", heartlandtest.Fault{Status: 500, Rate: 0.5})
	fails := 0
	for range 40 {
		if _, err := c.GetLocation(ctx, 1); err != nil {
			t.Fatalf("other route affected: %v", err)
		}
		if _, err := c.ListLocations(ctx); err != nil {
			fails++
		}
	}
	if fails == 0 || fails == 40 {
		t.Fatalf("rate fault failed %d/40", fails)
	}
	srv.ClearFaults()
	if _, err := c.ListLocations(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestControlAPI(t *testing.T) {
	srv, c := setup(t)
	post := func(path, body string) (int, map[string]any) {
		code, _, b := do(t, "POST", srv.RootURL+path, "", body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return code, m
	}
	code, m := post("/__fake/sale", `{"sku":"HR-MUG-01","qty":2,"location":"main street"}`)
	if code != 201 || m["ticket_id"] == nil {
		t.Fatalf("sale: %d %v", code, m)
	}
	main := loc(t, srv, "Main Street")
	want(t, srv, "HR-MUG-01", main.ID, 8, 8, 0)
	code, m = post("/__fake/receive", `{"sku":"HR-MUG-01","qty":"5","location":"02"}`)
	if code != 200 || m["sku"] != "HR-MUG-01" {
		t.Fatalf("receive: %d %v", code, m)
	}
	wh := loc(t, srv, "Warehouse")
	want(t, srv, "HR-MUG-01", wh.ID, 45, 45, 0)

	oid, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{PublicID: heartland.String("BC-55"), Status: heartland.String("open"),
		SourceLocationID: heartland.ID(main.ID), StationID: heartland.ID(main.Stations[0].ID),
		Lines: []heartland.OrderLineFields{{ItemLookup: "HR-MUG-01", Qty: heartland.DecInt(1), ShipFromLocationID: heartland.ID(wh.ID)}}})
	if err != nil {
		t.Fatal(err)
	}
	code, m = post("/__fake/invoice", `{"order":"BC-55","location":`+itoa(wh.ID)+`}`)
	if code != 201 || m["order_id"] != float64(oid) {
		t.Fatalf("invoice: %d %v", code, m)
	}
	// Staff distribute a new order's line in the distribute screen; reads
	// show it, and the order's updated_at moves as with a line PUT.
	oid2, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{PublicID: heartland.String("BC-56"), Status: heartland.String("open"),
		SourceLocationID: heartland.ID(main.ID), StationID: heartland.ID(main.Stations[0].ID),
		Lines: []heartland.OrderLineFields{{ItemLookup: "HR-MUG-01", Qty: heartland.DecInt(1)}, {ItemLookup: "HR-MUG-01", Qty: heartland.DecInt(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	lines, err := c.ListSalesOrderLines(ctx, oid2)
	if err != nil {
		t.Fatal(err)
	}
	code, m = post("/__fake/distribute", `{"order":"BC-56","location":"Warehouse","lines":[`+itoa(lines[1].ID)+`]}`)
	if code != 200 || m["order_id"] != float64(oid2) {
		t.Fatalf("distribute: %d %v", code, m)
	}
	if lines, err = c.ListSalesOrderLines(ctx, oid2); err != nil || lines[0].ShipFromLocationID != nil ||
		lines[1].ShipFromLocationID == nil || *lines[1].ShipFromLocationID != wh.ID {
		t.Fatalf("lines after distributing one: %+v %v", lines, err)
	}
	if code, m = post("/__fake/distribute", `{"order":"BC-56","location":"Main Street"}`); code != 200 {
		t.Fatalf("distribute the rest: %d %v", code, m)
	}
	if lines, _ = c.ListSalesOrderLines(ctx, oid2); lines[0].ShipFromLocationID == nil || *lines[0].ShipFromLocationID != main.ID || *lines[1].ShipFromLocationID != wh.ID {
		t.Fatalf("lines after distributing the rest: %+v", lines)
	}
	if code, m = post("/__fake/distribute", `{"order":"BC-56","location":"Main Street","lines":[999]}`); code < 400 {
		t.Errorf("distributing a line the order lacks: %d %v", code, m)
	}
	code, _, b := do(t, "GET", srv.RootURL+"/__fake/stock?sku=HR-MUG-01", "", "")
	var stock struct {
		Locations []heartlandtest.StockRow
	}
	if err := json.Unmarshal(b, &stock); err != nil || code != 200 || len(stock.Locations) != 3 || !stock.Locations[1].OnHand.Equal(heartland.DecInt(44)) {
		t.Fatalf("stock: %d %s", code, b)
	}
	for _, bad := range []string{`{"sku":"NOPE","qty":1,"location":"Main Street"}`, `{"sku":"HR-MUG-01","qty":1,"location":"Mars"}`, `not json`} {
		if code, m := post("/__fake/sale", bad); code < 400 || m["error"] == nil {
			t.Errorf("%s: %d %v", bad, code, m)
		}
	}
	if code, _, _ := do(t, "GET", srv.RootURL+"/__fake/ping", "", ""); code != 200 {
		t.Fatalf("ping %d", code)
	}
}

func TestListenOnLoopback(t *testing.T) {
	srv, err := heartlandtest.Listen("127.0.0.1:0", heartlandtest.WithDemoSeed(), heartlandtest.WithToken("dev-token"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") || !strings.HasSuffix(srv.URL, "/api/") || srv.Token != "dev-token" {
		t.Fatalf("url %s token %s", srv.URL, srv.Token)
	}
	c, _ := heartland.New(srv.ClientConfig())
	items, err := c.WalkItems(heartland.Query{}, heartland.Cursor{}).All(ctx)
	if err != nil || len(items) != len(heartlandtest.DemoSKUs) {
		t.Fatalf("%d %v", len(items), err)
	}
	for i, it := range items {
		if it.PublicID != heartlandtest.DemoSKUs[i] {
			t.Fatalf("item %d = %s", i, it.PublicID)
		}
	}
}

func TestDemoSeedShape(t *testing.T) {
	srv, _ := setup(t)
	if n := len(srv.Locations()); n != 3 {
		t.Fatalf("%d locations", n)
	}
	if _, ok := srv.LocationByName("Website"); !ok {
		t.Fatal("no Website location")
	}
	grid := 0
	for _, it := range srv.Items() {
		if it.GridID != nil {
			grid++
		}
	}
	if grid != 5 || len(srv.Items()) != 10 {
		t.Fatalf("grid items %d of %d", grid, len(srv.Items()))
	}
}

func TestWebhookDeliveryFailureRecorded(t *testing.T) {
	srv, c := setup(t)
	dead := heartlandtest.NewServer()
	deadURL := dead.RootURL + "/hook?secret=x"
	dead.Close()
	if _, err := c.CreateWebhook(ctx, deadURL, []string{heartland.EventItemCreated}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateItem(ctx, heartland.ItemFields{Description: heartland.String("No number")}); err != nil {
		t.Fatal(err)
	}
	srv.WaitWebhooks()
	ds := srv.Deliveries()
	if len(ds) != 1 || ds[0].Err == "" || ds[0].Status != 0 || ds[0].URL != deadURL {
		t.Fatalf("deliveries: %+v", ds)
	}
	// A blank public_id is numbered by the server.
	if it, ok := srv.ItemByPublicID("11"); !ok || it.Description != "No number" {
		t.Fatalf("auto public_id: %+v", it)
	}
}
