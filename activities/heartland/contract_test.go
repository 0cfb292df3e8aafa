package heartland

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Payloads shaped like the research notes (OPS webhook tests, SRDM error
// helpers, inventory value rows) must decode into the typed values.

const itemCreatedPayload = `{
  "id": 106213, "public_id": "10001", "description": "Chalk Paint - Old White - Quart",
  "long_description": "<p>Great paint</p>", "cost": 14.5, "price": "39.95", "original_price": 39.95,
  "active?": true, "track_inventory?": true, "allow_fractional_qty?": false, "prompt_for_price?": false,
  "available_online?": true, "has_images?": false, "custom": {"color": "Old White", "size": "Quart", "upc": "0123"},
  "grid_id": 77, "primary_vendor_id": 3, "primary_barcode": null, "weight": null,
  "created_at": "2026-01-04T20:24:15+00:00", "updated_at": "2026-01-04T20:24:15+00:00", "uuid": "abc"
}`

const ticketPayload = `{
  "id": 5001, "type": "Ticket", "public_id": "100234", "customer_id": null, "customer_name": null,
  "source_location_id": 2, "station_id": 7, "sales_rep": "Ann", "status": "complete", "completed?": true,
  "completed_at": "2026-01-04T20:24:15+00:00", "local_completed_at": "2026-01-04T15:24:15-05:00",
  "total": 21.6, "subtotal": 20, "tax_total": 1.6, "total_paid": 21.6, "balance": 0,
  "parent_transaction_id": null, "created_at": "2026-01-04T20:20:00+00:00", "updated_at": "2026-01-04T20:24:15+00:00"
}`

func TestDocShapedPayloadsDecode(t *testing.T) {
	var it Item
	if err := json.Unmarshal([]byte(itemCreatedPayload), &it); err != nil {
		t.Fatal(err)
	}
	if it.ID != 106213 || !it.Active || !it.TrackInventory || !it.AvailableOnline || it.AllowFractionalQty ||
		!it.Price.Equal(Dec("39.95")) || !it.Cost.Equal(Dec("14.5")) || it.CustomString("upc") != "0123" ||
		it.GridID == nil || *it.GridID != 77 || it.CreatedAt.IsZero() {
		t.Fatalf("item: %+v", it)
	}
	p, err := DecodeWebhook("", []byte(itemCreatedPayload))
	if err != nil || p.Item == nil || p.Event != EventItemUpdated {
		t.Fatalf("infer item: %+v %v", p, err)
	}
	p, err = DecodeWebhook("", []byte(ticketPayload))
	if err != nil || p.Transaction == nil || !p.Transaction.Completed || !p.Transaction.Total.Equal(Dec("21.6")) {
		t.Fatalf("infer ticket: %+v %v", p, err)
	}
	p, err = DecodeWebhook("", []byte(`{"id":9,"public_id":"C9","first_name":"Jane","last_name":"Doe","email":"j@x.com","active?":true}`))
	if err != nil || p.Customer == nil || !p.Customer.Active || p.Event != EventCustomerCreated {
		t.Fatalf("infer customer: %+v %v", p, err)
	}
	if _, err := DecodeWebhook("", []byte(`{"foo":1}`)); !errors.Is(err, ErrUnknownPayload) {
		t.Fatalf("unknown: %v", err)
	}
	var pg Page[InventoryValue]
	rows := `{"total":1,"pages":1,"results":[{"item_id":9,"location_id":2,"qty":"5.0","qty_on_hand":5,"qty_available":3,"qty_committed":2,"qty_on_po":0,"qty_in_transit":null,"unit_cost":"4.25"}]}`
	if err := json.Unmarshal([]byte(rows), &pg); err != nil {
		t.Fatal(err)
	}
	if v := pg.Results[0]; !v.QtyAvailable.Equal(DecInt(3)) || !v.QtyInTransit.IsZero() || !v.UnitCost.Equal(Dec("4.25")) {
		t.Fatalf("value row: %+v", v)
	}
	code, msg, details := parseErrorBody([]byte(`{"error":"validation_error","message":"Qty is invalid","details":{"qty":["must be a whole number"],"base":"bad"}}`))
	if code != "validation_error" || msg != "Qty is invalid" || details["qty"][0] != "must be a whole number" || details["base"][0] != "bad" {
		t.Fatalf("error body: %q %q %v", code, msg, details)
	}
}

func TestWriteBodiesUseBareNames(t *testing.T) {
	b, _ := json.Marshal(ItemFields{Active: Bool(false), Price: Dec("1.10").Ptr()})
	if string(b) != `{"price":1.1,"active":false}` {
		t.Fatalf("body: %s", b)
	}
	it := Item{ID: 1, Active: true}
	b, _ = json.Marshal(it)
	var back Item
	if err := json.Unmarshal(b, &back); err != nil || !back.Active || strings.Contains(string(b), "?") {
		t.Fatalf("round trip %s %+v", b, back)
	}
	c := &Client{cfg: Config{FlatCustomWrites: true}}
	b, _ = c.encodeBody(ItemFields{Custom: map[string]any{"color": "Red"}})
	if string(b) != `{"custom@color":"Red"}` {
		t.Fatalf("flat custom: %s", b)
	}
}

func TestQueryEncoding(t *testing.T) {
	q := Query{Filters: []Filter{{"public_id": In("A", "B")}, {"active": true}}, Sort: []string{"id"}, Only: []string{"id"},
		Params: url.Values{"group[]": {"item_id", "location_id"}}}
	v, err := q.values(FilterJSON, 50)
	if err != nil {
		t.Fatal(err)
	}
	enc := encodeQuery(v)
	for _, want := range []string{"group[]=item_id&group[]=location_id", "sort[]=id", "_only[]=id", "per_page=50", "page=1",
		"_filter=" + url.QueryEscape(`[{"public_id":{"$in":["A","B"]}},{"active":true}]`)} {
		if !strings.Contains(enc, want) {
			t.Errorf("%s missing %s", enc, want)
		}
	}
	v, _ = Query{Filters: []Filter{{"a": 1}}}.values(FilterJSON, 10)
	if v.Get("_filter") != `{"a":1}` {
		t.Fatalf("single filter: %s", v.Get("_filter"))
	}
	v, _ = q.values(FilterRepeated, 10)
	if len(v["_filter[]"]) != 2 {
		t.Fatalf("repeated: %v", v)
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	const tok = "super-secret-token-123"
	var logs bytes.Buffer
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		// A server echoing the token must not leak it into our errors.
		fmt.Fprintf(w, `{"error":"bad","message":"token %s rejected"}`, tok)
	}))
	defer srv.Close()
	cfg := Config{BaseURL: srv.URL + "/api/", Token: tok, Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetItem(context.Background(), 1)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "cfg", cfg, "token", cfg.Token)
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg.Token), c.String(), fmt.Sprintf("%v %+v", c, c), err.Error(), logs.String()} {
		if strings.Contains(s, tok) {
			t.Fatalf("token leaked: %s", s)
		}
	}
	if b, _ := json.Marshal(cfg.Token); strings.Contains(string(b), tok) {
		t.Fatal("token leaked in JSON")
	}
	if !strings.Contains(logs.String(), "/items/1") {
		t.Fatalf("expected a log line for the call: %s", logs.String())
	}
}

func TestTransparentRateLimitRetry(t *testing.T) {
	var calls atomic.Int32
	fail := int32(2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= fail {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(`{"id":1,"public_id":"A","description":"a","active?":true}`))
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL + "/api/", Token: "t", RequestsPerSecond: -1, RateLimitRetries: 2})
	it, err := c.GetItem(context.Background(), 1)
	if err != nil || it.PublicID != "A" || calls.Load() != 3 {
		t.Fatalf("%+v %v calls=%d", it, err, calls.Load())
	}
	calls.Store(0)
	fail = 5
	_, err = c.GetItem(context.Background(), 1)
	if !errors.Is(err, ErrRateLimited) || calls.Load() != 3 {
		t.Fatalf("bounded retries: %v calls=%d", err, calls.Load())
	}
	// A Retry-After beyond MaxRateLimitWait is handed back, not waited.
	calls.Store(0)
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv2.Close()
	c2, _ := New(Config{BaseURL: srv2.URL + "/api/", Token: "t", RequestsPerSecond: -1, RateLimitRetries: 3, MaxRateLimitWait: time.Second})
	_, err = c2.GetItem(context.Background(), 1)
	if d, ok := RetryDelay(err); !ok || d != 120*time.Second || calls.Load() != 1 {
		t.Fatalf("long retry-after: %v %v calls=%d", d, err, calls.Load())
	}
}

func TestCreateWithoutIDIsProtocolError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/payment_types":
			w.WriteHeader(http.StatusCreated)
		case "/api/webhooks":
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":"42","url":"x"}`))
		default:
			w.Header().Set("Location", "https://acme.retail.heartland.us/api/customers/77/")
			w.WriteHeader(http.StatusCreated)
		}
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL + "/api", Token: "t", RequestsPerSecond: -1})
	_, err := c.CreatePaymentType(context.Background(), "x")
	if !errors.Is(err, ErrProtocol) || IsRetryable(err) {
		t.Fatalf("want protocol error, got %v", err)
	}
	if id, err := c.CreateWebhook(context.Background(), "http://x", nil); err != nil || id != 42 {
		t.Fatalf("id from body: %d %v", id, err)
	}
	if id, err := c.CreateCustomer(context.Background(), CustomerFields{}); err != nil || id != 77 {
		t.Fatalf("id from Location: %d %v", id, err)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{"5": 5 * time.Second, "0": 0, "1.5": 1500 * time.Millisecond,
		now.Add(10 * time.Second).Format(http.TimeFormat): 10 * time.Second} {
		if d, ok := parseRetryAfter(in, now); !ok || d != want {
			t.Errorf("%q: %v %v", in, d, ok)
		}
	}
	for _, in := range []string{"", "soon", "-1"} {
		if _, ok := parseRetryAfter(in, now); ok {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestNewValidates(t *testing.T) {
	if _, err := New(Config{Subdomain: "acme"}); err == nil {
		t.Fatal("missing token accepted")
	}
	if _, err := New(Config{Token: "t"}); err == nil {
		t.Fatal("missing subdomain accepted")
	}
	c, err := New(Config{Subdomain: "acme", Token: "t"})
	if err != nil || c.BaseURL() != "https://acme.retail.heartland.us/api/" {
		t.Fatalf("%v %v", c, err)
	}
}

func FuzzDecodeItem(f *testing.F) {
	f.Add([]byte(itemCreatedPayload))
	f.Add([]byte(`{"active?":"yes","price":"1e999999","custom":[]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var it Item
		_ = json.Unmarshal(b, &it)
		var o SalesOrder
		_ = json.Unmarshal(b, &o)
		var pg Page[InventoryValue]
		_ = json.Unmarshal(b, &pg)
	})
}

func FuzzDecodeWebhook(f *testing.F) {
	f.Add("", []byte(ticketPayload))
	f.Add("item_created", []byte(itemCreatedPayload))
	f.Add("", []byte(`{"type":"Ticket","total":"x"}`))
	f.Fuzz(func(t *testing.T, event string, b []byte) {
		_, _ = DecodeWebhook(event, b)
	})
}

func FuzzDecimal(f *testing.F) {
	for _, s := range []string{`1.25`, `"3"`, `null`, `"1e5"`, `-0.0001`, `"abc"`, `99999999999999999999999.9999`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Decimal
		if err := d.UnmarshalJSON(b); err != nil {
			return
		}
		out, _ := d.MarshalJSON()
		var back Decimal
		if err := back.UnmarshalJSON(out); err != nil || !back.Equal(d) {
			t.Fatalf("round trip %s -> %s: %v", b, out, err)
		}
	})
}

func FuzzErrorBody(f *testing.F) {
	f.Add([]byte(`{"error":"validation_error","message":"m","details":{"qty":["bad"]}}`), 422)
	f.Add([]byte(`<html>`), 500)
	f.Fuzz(func(t *testing.T, b []byte, status int) {
		code, msg, details := parseErrorBody(b)
		k := classify(status, code, msg, details)
		e := &APIError{Kind: k, Status: status, Code: code, Message: msg, Details: details}
		_ = e.Error()
	})
}

func TestKeysetWalkSurvivesServerPageCap(t *testing.T) {
	// The server caps per_page at 2 although the client asks for 5.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var f struct {
			ID struct {
				Gt int64 `json:"$gt"`
			} `json:"id"`
		}
		_ = json.Unmarshal([]byte(r.URL.Query().Get("_filter")), &f)
		var rows []string
		for id := f.ID.Gt + 1; id <= 7 && len(rows) < 2; id++ {
			rows = append(rows, fmt.Sprintf(`{"id":%d,"public_id":"P%d","description":"d","active?":true}`, id, id))
		}
		remaining := 7 - f.ID.Gt
		fmt.Fprintf(w, `{"total":%d,"pages":%d,"results":[%s]}`, remaining, (remaining+1)/2, strings.Join(rows, ","))
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL + "/api/", Token: "t", RequestsPerSecond: -1, PerPage: 5})
	items, err := c.WalkItems(Query{}, Cursor{}).All(context.Background())
	if err != nil || len(items) != 7 || items[6].PublicID != "P7" {
		t.Fatalf("%d items, %v", len(items), err)
	}
}
