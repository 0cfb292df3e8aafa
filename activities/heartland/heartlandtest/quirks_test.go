package heartlandtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// call makes one raw API request and returns status, Location and body.
func call(t *testing.T, srv *heartlandtest.Server, method, path string, body any) (int, string, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	target := path
	if !strings.HasPrefix(path, "http") {
		target = srv.URL + strings.TrimPrefix(path, "/")
	}
	req, _ := http.NewRequest(method, target, rd)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), b
}

// create POSTs body and reads the Location back, which must answer 200
// with the record's id, as the official client follows it.
func create(t *testing.T, srv *heartlandtest.Server, path string, body any) int64 {
	t.Helper()
	status, loc, b := call(t, srv, http.MethodPost, path, body)
	if status != http.StatusCreated || loc == "" {
		t.Fatalf("POST %s: %d %q %s", path, status, loc, b)
	}
	status, _, b = call(t, srv, http.MethodGet, loc, nil)
	var rec struct {
		ID int64 `json:"id"`
	}
	if status != http.StatusOK || json.Unmarshal(b, &rec) != nil || rec.ID == 0 || !strings.HasSuffix(loc, "/"+strconv.FormatInt(rec.ID, 10)) {
		t.Fatalf("GET %s (Location of POST %s): %d %s", loc, path, status, b)
	}
	return rec.ID
}

// Every Location a create answers is a route the fake serves.
func TestLocationsAreServed(t *testing.T) {
	srv := heartlandtest.NewServer(heartlandtest.WithDemoSeed(), heartlandtest.WithEmptyInvoices())
	defer srv.Close()
	main, _ := srv.LocationByName("Main Street")
	mug, _ := srv.ItemByPublicID("HR-MUG-01")
	st := main.Stations[0].ID

	pt := create(t, srv, "payment_types", map[string]any{"name": "External"})
	cust := create(t, srv, "customers", map[string]any{"first_name": "Ada", "last_name": "L", "email": "ada@example.com"})
	create(t, srv, "customers/"+strconv.FormatInt(cust, 10)+"/addresses", map[string]any{"line_1": "1 Main St", "city": "X"})
	order := create(t, srv, "sales/orders", map[string]any{"source_location_id": main.ID, "station_id": st})
	op := "sales/orders/" + strconv.FormatInt(order, 10)
	line := create(t, srv, op+"/lines", map[string]any{"item_id": mug.ID, "qty": 1, "ship_from_location_id": main.ID})
	create(t, srv, op+"/payments", map[string]any{"payment_type_id": pt, "amount": "12.00", "deposit": true})
	if status, _, b := call(t, srv, http.MethodPut, op, map[string]any{"status": "open"}); status != http.StatusOK {
		t.Fatalf("open: %d %s", status, b)
	}
	inv := create(t, srv, "sales/invoices", map[string]any{"order_id": order, "source_location_id": main.ID, "station_id": st})
	create(t, srv, "sales/invoices/"+strconv.FormatInt(inv, 10)+"/lines", map[string]any{"order_line_id": line, "qty": 1})
	set := create(t, srv, "inventory/adjustment_sets", map[string]any{"location_id": main.ID, "adjustment_reason_id": 1})
	create(t, srv, "inventory/adjustment_sets/"+strconv.FormatInt(set, 10)+"/lines", map[string]any{"item_id": mug.ID, "qty": 2})
	create(t, srv, "webhooks", map[string]any{"url": "http://127.0.0.1:1/x", "events": []string{"item_created"}})
	create(t, srv, "items", map[string]any{"description": "New", "cost": 1})
	create(t, srv, "custom_fields", map[string]any{"name": "Fabric", "group_id": "item"})
}

// POST /webhooks answers the new hook as JSON with its id.
func TestWebhookCreateAnswersJSON(t *testing.T) {
	srv := heartlandtest.NewServer()
	defer srv.Close()
	status, loc, b := call(t, srv, http.MethodPost, "webhooks", map[string]any{"url": "https://h.example.com/x", "events": []string{"item_created"}})
	var hook struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	if status != http.StatusCreated || json.Unmarshal(b, &hook) != nil || hook.ID == 0 || !strings.HasSuffix(loc, "/webhooks/"+strconv.FormatInt(hook.ID, 10)) {
		t.Fatalf("%d %q %s", status, loc, b)
	}
}

// The nested filter spellings real clients send are understood; anything
// the fake does not understand is refused with 400, never ignored.
func TestFilterForms(t *testing.T) {
	srv := heartlandtest.NewServer(heartlandtest.WithDemoSeed())
	defer srv.Close()
	total := func(query string) (int, int) {
		t.Helper()
		status, _, b := call(t, srv, http.MethodGet, "items?"+query, nil)
		var pg struct {
			Total int `json:"total"`
		}
		_ = json.Unmarshal(b, &pg)
		return status, pg.Total
	}
	all := len(srv.Items())
	for _, tc := range []struct {
		query  string
		status int
		want   int
	}{
		{"~[public_id]=HR-MUG-01", 200, 1},
		{url.PathEscape("~[public_id][$in]") + "=HR-MUG-01,HR-CAP-01", 200, 2},
		{"~[price][$gte]=1000", 200, 0},
		{"_filter[public_id]=HR-CAP-01", 200, 1},
		{"public_id=HR-TOTE-01", 200, 1},
		{"~[price][$bogus]=1", 400, 0},
		{"filter[public_id]=HR-MUG-01", 400, 0},
		{"~public_id=HR-MUG-01", 400, 0},
		{"select[]=id&select[]=public_id", 200, all},
		{"per_page=5000", 200, all},
		{"per_page=5001", 400, 0},
	} {
		if status, n := total(tc.query); status != tc.status || (status == 200 && n != tc.want) {
			t.Errorf("%s: %d, %d rows; want %d, %d", tc.query, status, n, tc.status, tc.want)
		}
	}
}

// The payment class is validated; an account may take another spelling.
func TestPaymentClassValidated(t *testing.T) {
	for _, tc := range []struct {
		opts  []heartlandtest.Option
		class string
		ok    bool
	}{
		{nil, "CustomPayment", true},
		{nil, "ExternalPayment", false},
		{[]heartlandtest.Option{heartlandtest.WithPaymentClasses("Payments::ExternalPayment")}, "Payments::ExternalPayment", true},
		{[]heartlandtest.Option{heartlandtest.WithPaymentClasses("Payments::ExternalPayment")}, "CustomPayment", false},
	} {
		srv, c := setup(t, tc.opts...)
		main, _ := srv.LocationByName("Main Street")
		oid, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{SourceLocationID: &main.ID, StationID: &main.Stations[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		pt, _ := c.CreatePaymentType(ctx, "External")
		_, err = c.AddSalesOrderPayment(ctx, oid, heartland.PaymentFields{Type: tc.class, PaymentTypeID: pt, Amount: heartland.DecInt(1)})
		var he *heartland.APIError
		if tc.ok != (err == nil) || (err != nil && (!errorsAs(err, &he) || he.Details["type"] == nil)) {
			t.Errorf("class %s with %d options: %v", tc.class, len(tc.opts), err)
		}
	}
}

func errorsAs(err error, target **heartland.APIError) bool { return errors.As(err, target) }
