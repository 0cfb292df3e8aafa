package bigcommercetest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

func do(t *testing.T, s *Server, method, path, token string, body any, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	tr := &http.Transport{DisableCompression: true}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestAuthAndEnvelopes(t *testing.T) {
	s := NewServer(WithoutRateLimit())
	defer s.Close()
	api := "/stores/" + s.StoreHash
	tests := []struct {
		name, method, path, token string
		status                    int
		bodyPrefix                string
	}{
		{"v3 no token", "GET", api + "/v3/catalog/products", "", 401, `{"errors":{}`},
		{"v2 bad token", "GET", api + "/v2/orders", "nope", 401, `[{"message"`},
		{"v2 empty list is 204", "GET", api + "/v2/orders", s.Token, 204, ""},
		{"v3 empty list envelope", "GET", api + "/v3/catalog/products", s.Token, 200, `{"data":[],"meta":{"pagination"`},
		{"v2 404 shape", "GET", api + "/v2/orders/5", s.Token, 404, `[{"message":"The requested resource was not found."`},
		{"wrong store", "GET", "/stores/other/v3/catalog/products", s.Token, 404, `{`},
		{"unknown route", "GET", api + "/v3/nothing", s.Token, 404, `{`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, s, tc.method, tc.path, tc.token, nil, nil)
			if resp.StatusCode != tc.status || !strings.HasPrefix(string(body), tc.bodyPrefix) {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			if tc.status == 204 && len(body) != 0 {
				t.Fatalf("204 with body %q", body)
			}
		})
	}
}

func TestGzipWhenAsked(t *testing.T) {
	s := NewServer(WithoutRateLimit(), WithDemoSeed())
	defer s.Close()
	resp, body := do(t, s, "GET", "/stores/"+s.StoreHash+"/v3/catalog/products", s.Token, nil, map[string]string{"Accept-Encoding": "gzip"})
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("headers %v", resp.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.HasPrefix(plain, []byte(`{"data":[{`)) {
		t.Fatalf("body %s", plain)
	}
	// 204 stays bodiless even when gzip is asked for.
	resp, body = do(t, s, "GET", "/stores/"+s.StoreHash+"/v2/orders?status_id=4", s.Token, nil, map[string]string{"Accept-Encoding": "gzip"})
	if resp.StatusCode != 204 || len(body) != 0 || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("204: %d %q %v", resp.StatusCode, body, resp.Header)
	}
}

func TestBatchLimits(t *testing.T) {
	s := NewServer(WithoutRateLimit())
	defer s.Close()
	api := "/stores/" + s.StoreHash
	products := make([]bc.ProductUpdate, 11)
	variants := make([]bc.VariantUpdate, 51)
	for _, tc := range []struct {
		path   string
		method string
		body   any
	}{
		{api + "/v3/catalog/products", "PUT", products},
		{api + "/v3/catalog/variants", "PUT", variants},
		{api + "/v3/inventory/adjustments/relative", "POST", bc.AdjustmentRequest{Items: make([]bc.AdjustmentItem, 2001)}},
	} {
		resp, body := do(t, s, tc.method, tc.path, s.Token, tc.body, nil)
		if resp.StatusCode != 413 || !strings.Contains(string(body), "maximum items allowed") {
			t.Fatalf("%s: %d %s", tc.path, resp.StatusCode, body)
		}
	}
}

func TestLimiterHeadersAnd429(t *testing.T) {
	s := NewServer(WithRateLimit(3, time.Minute))
	defer s.Close()
	path := "/stores/" + s.StoreHash + "/v3/hooks"
	for i := range 3 {
		resp, _ := do(t, s, "GET", path, s.Token, nil, nil)
		if resp.StatusCode != 200 || resp.Header.Get("X-Rate-Limit-Requests-Left") != fmt.Sprint(2-i) ||
			resp.Header.Get("X-Rate-Limit-Requests-Quota") != "3" || resp.Header.Get("X-Rate-Limit-Time-Window-Ms") != "60000" ||
			resp.Header.Get("X-Rate-Limit-Time-Reset-Ms") == "" {
			t.Fatalf("call %d: %d %v", i, resp.StatusCode, resp.Header)
		}
	}
	resp, _ := do(t, s, "GET", path, s.Token, nil, nil)
	if resp.StatusCode != 429 || resp.Header.Get("X-Retry-After") == "" || resp.Header.Get("X-Rate-Limit-Requests-Left") != "0" {
		t.Fatalf("4th: %d %v", resp.StatusCode, resp.Header)
	}
	if st := s.Stats(); st.RateLimited != 1 || st.Requests != 4 {
		t.Fatalf("stats %+v", st)
	}
	// The refused call does not count towards the busiest window; a new
	// limit starts the count afresh.
	if n := s.BusiestWindow(); n != 3 {
		t.Fatalf("busiest window %d, want 3", n)
	}
	s.SetRateLimit(5, time.Minute)
	do(t, s, "GET", path, s.Token, nil, nil)
	if n := s.BusiestWindow(); n != 1 {
		t.Fatalf("busiest window after a new limit %d, want 1", n)
	}
	s.InjectFault(Fault{Kind: FaultLoadShed})
	s.DisableRateLimit()
	resp, _ = do(t, s, "GET", path, s.Token, nil, nil)
	if resp.StatusCode != 429 || resp.Header.Get("X-Rate-Limit-Requests-Left") != "" || resp.Header.Get("X-Retry-After") != "" {
		t.Fatalf("load shed: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestFaultTimesAndRemove(t *testing.T) {
	s := NewServer(WithoutRateLimit())
	defer s.Close()
	path := "/stores/" + s.StoreHash + "/v2/orders/7/shipments"
	remove := s.InjectFault(Fault{Method: "GET", Path: "/v2/orders/*/shipments", Kind: FaultError, Status: 503, Times: 2})
	var codes []int
	for range 3 {
		resp, _ := do(t, s, "GET", path, s.Token, nil, nil)
		codes = append(codes, resp.StatusCode)
	}
	if fmt.Sprint(codes) != "[503 503 404]" {
		t.Fatalf("codes %v", codes)
	}
	remove()
	s.InjectFault(Fault{Path: "/v2/orders/*/shipments", Kind: FaultError, Status: 500})
	s.ClearFaults()
	if resp, _ := do(t, s, "GET", path, s.Token, nil, nil); resp.StatusCode != 404 {
		t.Fatalf("after clear: %d", resp.StatusCode)
	}
}

func TestControlAPIOnLoopback(t *testing.T) {
	s, err := Start("127.0.0.1:0", WithDemoSeed())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// No token needed on /__fake/.
	resp, body := do(t, s, "POST", "/__fake/orders", "", ControlOrder{CustomerEmail: "cli@example.com", Lines: []ControlOrderLine{{SKU: "HR-TEE-BLK-S", Quantity: 2}}}, nil)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var created struct{ ID, StatusID int }
	_ = json.Unmarshal(body, &struct {
		ID       *int `json:"id"`
		StatusID *int `json:"status_id"`
	}{&created.ID, &created.StatusID})
	o, ok := s.Order(created.ID)
	if !ok || o.StatusID != 11 || o.PaymentStatus != bc.PaymentAuthorized || o.BillingAddress.Email != "cli@example.com" {
		t.Fatalf("order %+v", o)
	}
	resp, body = do(t, s, "PUT", fmt.Sprintf("/__fake/orders/%d/status", created.ID), "", ControlStatus{StatusID: 5}, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status: %d %s", resp.StatusCode, body)
	}
	if o, _ := s.Order(created.ID); o.StatusID != 5 || o.Status != "Cancelled" {
		t.Fatalf("after status: %+v", o)
	}
	resp, body = do(t, s, "GET", "/__fake/inventory?sku=HR-TEE-BLK-S", "", nil, nil)
	var inv ControlInventory
	_ = json.Unmarshal(body, &inv)
	if resp.StatusCode != 200 || inv.Tracking != "variant" || len(inv.Locations) != 3 || inv.Locations[0].OnHand != 3 || !inv.Locations[0].IsDefault {
		t.Fatalf("inventory: %d %s", resp.StatusCode, body)
	}
	for _, bad := range []struct{ method, path string }{
		{"GET", "/__fake/inventory?sku=NOPE"}, {"PUT", "/__fake/orders/999999/status"}, {"GET", "/__fake/unknown"},
	} {
		if resp, _ := do(t, s, bad.method, bad.path, "", ControlStatus{StatusID: 2}, nil); resp.StatusCode != 404 {
			t.Fatalf("%s %s: %d", bad.method, bad.path, resp.StatusCode)
		}
	}
	if resp, _ := do(t, s, "POST", "/__fake/orders", "", ControlOrder{Lines: []ControlOrderLine{{SKU: "NOPE", Quantity: 1}}}, nil); resp.StatusCode != 400 {
		t.Fatalf("unknown sku: %d", resp.StatusCode)
	}
}

func TestDemoSeed(t *testing.T) {
	s := NewServer(WithoutRateLimit())
	defer s.Close()
	d := s.DemoSeed()
	if len(d.Locations) != 3 || len(d.Products) != 9 || len(d.Orders) != 2 {
		t.Fatalf("demo: %d locations %d products %d orders", len(d.Locations), len(d.Products), len(d.Orders))
	}
	modes := map[string]int{}
	for _, p := range d.Products {
		modes[p.InventoryTracking]++
	}
	if modes[bc.TrackingNone] == 0 || modes[bc.TrackingProduct] == 0 || modes[bc.TrackingVariant] == 0 {
		t.Fatalf("tracking modes %v", modes)
	}
	for _, o := range d.Orders {
		if o.StatusID != bc.StatusAwaitingFulfillment || s.PaymentStatus(o.ID) != bc.PaymentAuthorized {
			t.Fatalf("order %+v", o)
		}
	}
	// Product-tracked product sold in variants keeps stock under its own SKU.
	if lvl, ok := s.StockLevel("STK", 0); !ok || lvl != 30 {
		t.Fatalf("STK %d %v", lvl, ok)
	}
}

func TestScopeMatches(t *testing.T) {
	for _, tc := range []struct {
		hook, event string
		want        bool
	}{
		{"store/order/*", "store/order/created", true},
		{"store/order/*", "store/order/refund/created", true},
		{"store/order/*", "store/shipment/created", false},
		{"store/order/created", "store/order/created", true},
		{"store/order/created", "store/order/updated", false},
		{"store/*", "store/product/created", true},
	} {
		if got := scopeMatches(tc.hook, tc.event); got != tc.want {
			t.Errorf("%s vs %s = %v", tc.hook, tc.event, got)
		}
	}
}

// Every link an order advertises is a route the fake serves.
func TestOrderLinksAreServed(t *testing.T) {
	srv := NewServer(WithoutRateLimit())
	t.Cleanup(srv.Close)
	srv.AddProduct(ProductSeed{Name: "Mug", SKU: "MUG"})
	o, err := srv.AddOrder(OrderSeed{Lines: []OrderLine{{SKU: "MUG", Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	srv.st.mu.Lock()
	rendered := srv.renderOrder(srv.st.orders[o.ID])
	srv.st.mu.Unlock()
	for _, link := range []*bc.Resource{rendered.Products, rendered.ShippingAddresses, rendered.Coupons} {
		req, _ := http.NewRequest(http.MethodGet, link.URL, nil)
		req.Header.Set("X-Auth-Token", srv.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
			t.Errorf("%s: %d, want 200 or 204", link.Resource, resp.StatusCode)
		}
	}
}
