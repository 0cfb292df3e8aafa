package bigcommercetest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

func TestOptionsAndAccessors(t *testing.T) {
	got := make(chan *http.Request, 4)
	dest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		got <- r
	}))
	defer dest.Close()
	s := NewServer(WithStoreHash("abc123"), WithToken("tok"), WithStoreID("777"), WithRequireHTTPSHooks(),
		WithWebhookClient(dest.Client()), WithLogger(nil), WithRateLimit(100, time.Minute))
	defer s.Close()
	if s.StoreHash != "abc123" || s.Token != "tok" || !strings.HasSuffix(s.BaseURL(), "/stores/abc123") {
		t.Fatalf("server %+v", s)
	}
	c, err := bc.New(s.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.CreateHook(ctx, bc.HookCreate{Scope: "store/sku/*", Destination: dest.URL, IsActive: true}); err == nil {
		t.Fatal("http destination accepted with WithRequireHTTPSHooks")
	}
	// Register directly (the fake only checks the scheme string).
	s.st.mu.Lock()
	s.st.hooks[1] = &bc.Hook{ID: 1, Scope: "store/sku/*", Destination: dest.URL, IsActive: true}
	s.st.mu.Unlock()
	s.EmitWebhook("store/sku/inventory/updated", map[string]any{"type": "sku", "id": 5})
	select {
	case r := <-got:
		var ev bc.WebhookEvent
		_ = json.NewDecoder(r.Body).Decode(&ev)
		if ev.StoreID != "777" || ev.Producer != "stores/abc123" || ev.Scope != "store/sku/inventory/updated" {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no delivery")
	}
	resp, err := http.Get(s.URL + "/__fake/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health %v %v", resp, err)
	}
	resp.Body.Close()

	s.SetRateLimit(1, time.Minute)
	var codes []int
	for range 2 {
		resp, _ := do(t, s, "GET", "/stores/abc123/v3/hooks", "tok", nil, nil)
		codes = append(codes, resp.StatusCode)
	}
	if codes[0] != 200 || codes[1] != 429 {
		t.Fatalf("quota of 1: %v", codes)
	}
	s.DisableRateLimit()

	s.AddProduct(ProductSeed{Name: "Mug", SKU: "MUG", Stock: map[int]int{0: 10}})
	if err := s.SetSafetyStock("MUG", 0, 3); err != nil {
		t.Fatal(err)
	}
	items, err := c.ListInventoryItems(ctx, bc.InventoryFilter{SKUs: []string{"MUG"}})
	if err != nil || items[0].Locations[0].AvailableToSell != 7 || items[0].Locations[0].Settings.SafetyStock != 3 {
		t.Fatalf("items %+v %v", items, err)
	}
	if err := s.SetStock("NOPE", 0, 1); err == nil {
		t.Fatal("unknown sku accepted")
	}
	o := s.MustAddOrder(OrderSeed{StatusID: bc.StatusCompleted, Lines: []OrderLine{{SKU: "MUG", Quantity: 2}}})
	if len(s.Orders()) != 1 || len(s.OrderProducts(o.ID)) != 1 || len(s.Transactions(o.ID)) != 1 || len(s.Refunds(o.ID)) != 0 {
		t.Fatal("accessors")
	}
	if o.PaymentStatus != bc.PaymentCaptured {
		t.Fatalf("completed order payment %q", o.PaymentStatus)
	}
	if _, err := s.AddOrder(OrderSeed{}); err == nil {
		t.Fatal("order without lines accepted")
	}
	if err := s.SetOrderStatus(o.ID, 99); err == nil {
		t.Fatal("bad status accepted")
	}
	inc := s.MustAddOrder(OrderSeed{Incomplete: true, Lines: []OrderLine{{SKU: "MUG", Quantity: 1}}})
	zero := 0
	if list, _ := c.ListOrders(ctx, bc.OrderFilter{}); len(list) != 1 {
		t.Fatalf("incomplete order listed by default: %d", len(list))
	}
	if list, _ := c.ListOrders(ctx, bc.OrderFilter{StatusID: &zero}); len(list) != 1 || list[0].ID != inc.ID {
		t.Fatalf("status_id=0: %+v", list)
	}
}

func TestGetHookRoute(t *testing.T) {
	s := NewServer(WithoutRateLimit())
	defer s.Close()
	c, _ := bc.New(s.ClientConfig())
	h, err := c.CreateHook(context.Background(), bc.HookCreate{Scope: "store/order/created", Destination: "https://x.example/h", IsActive: true})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := do(t, s, "GET", "/stores/"+s.StoreHash+"/v3/hooks/"+itoa(h.ID), s.Token, nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"scope":"store/order/created"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if resp, _ := do(t, s, "GET", "/stores/"+s.StoreHash+"/v3/hooks/1", s.Token, nil, nil); resp.StatusCode != 404 {
		t.Fatalf("unknown hook %d", resp.StatusCode)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
