package bigcommerce_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// receiver is a webhook destination that records what it got and answers
// with the statuses queued in fail (then 200).
type receiver struct {
	mu      sync.Mutex
	events  []bc.WebhookEvent
	headers []http.Header
	fail    []int
	srv     *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.fail) > 0 {
			code := r.fail[0]
			r.fail = r.fail[1:]
			w.WriteHeader(code)
			return
		}
		var ev bc.WebhookEvent
		if err := json.Unmarshal(body, &ev); err != nil {
			w.WriteHeader(400)
			return
		}
		r.events = append(r.events, ev)
		r.headers = append(r.headers, req.Header.Clone())
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) got() ([]bc.WebhookEvent, []http.Header) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bc.WebhookEvent(nil), r.events...), append([]http.Header(nil), r.headers...)
}

func okCount(n int) func([]bigcommercetest.Delivery) bool {
	return func(ds []bigcommercetest.Delivery) bool {
		ok := 0
		for _, d := range ds {
			if d.OK() {
				ok++
			}
		}
		return ok >= n
	}
}

func waitCtx(t *testing.T) context.Context {
	// Generous: this bounds a wait for an event, it does not time anything.
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestHooksCRUD(t *testing.T) {
	srv, c := newFake(t)
	h := must(c.CreateHook(ctx(t), bc.HookCreate{Scope: "store/order/*", Destination: "https://example.com/bc", IsActive: true, Headers: map[string]string{"X-Secret": "s3"}}))
	if h.ID == 0 || h.Headers["X-Secret"] != "s3" || h.CreatedAt.IsZero() || !h.IsActive {
		t.Fatalf("created = %+v", h)
	}
	if _, err := c.CreateHook(ctx(t), bc.HookCreate{Scope: "store/order/*", Destination: "https://example.com/bc"}); !errors.Is(err, bc.ErrValidation) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := c.CreateHook(ctx(t), bc.HookCreate{Scope: "orders", Destination: "https://example.com/bc"}); !errors.Is(err, bc.ErrValidation) {
		t.Fatalf("bad scope: %v", err)
	}
	up := must(c.UpdateHook(ctx(t), h.ID, bc.HookUpdate{IsActive: ptr(false)}))
	if up.IsActive || srv.Hooks()[0].IsActive {
		t.Fatalf("deactivate: %+v", up)
	}
	if hs := must(c.ListHooks(ctx(t))); len(hs) != 1 || hs[0].Scope != "store/order/*" {
		t.Fatalf("list = %+v", hs)
	}
	if _, err := c.UpdateHook(ctx(t), 1, bc.HookUpdate{IsActive: ptr(true)}); !errors.Is(err, bc.ErrNotFound) {
		t.Fatalf("update unknown: %v", err)
	}
	if del := must(c.DeleteHook(ctx(t), h.ID)); del.ID != h.ID || len(srv.Hooks()) != 0 {
		t.Fatalf("delete: %+v", del)
	}
	if _, err := c.DeleteHook(ctx(t), h.ID); !errors.Is(err, bc.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestWebhookDeliveryEnvelope(t *testing.T) {
	srv, c := orderStore(t)
	rcv := newReceiver(t)
	must(c.CreateHook(ctx(t), bc.HookCreate{Scope: "store/order/*", Destination: rcv.srv.URL, IsActive: true, Headers: map[string]string{"X-Hrbc-Secret": "shh"}}))
	must(c.CreateHook(ctx(t), bc.HookCreate{Scope: "store/shipment/created", Destination: rcv.srv.URL + "/ship", IsActive: true}))
	must(c.CreateHook(ctx(t), bc.HookCreate{Scope: "store/product/created", Destination: rcv.srv.URL + "/off", IsActive: false}))

	o := srv.MustAddOrder(bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
	if err := srv.WaitDeliveries(waitCtx(t), okCount(1)); err != nil {
		t.Fatal(err)
	}
	lines := must(c.ListOrderProducts(ctx(t), o.ID))
	must(c.CreateShipment(ctx(t), o.ID, bc.ShipmentCreate{OrderAddressID: lines[0].OrderAddressID, Items: []bc.ShipmentItem{{OrderProductID: lines[0].ID, Quantity: 1}}}))
	srv.AddProduct(bigcommercetest.ProductSeed{Name: "Inactive hook", SKU: "NOHOOK"})
	// created, shipment/created, updated, statusUpdated.
	if err := srv.WaitDeliveries(waitCtx(t), okCount(4)); err != nil {
		t.Fatal(err)
	}
	events, headers := rcv.got()
	scopes := map[string]bc.WebhookEvent{}
	for i, ev := range events {
		scopes[ev.Scope] = ev
		sum := sha1.Sum(ev.Data)
		if ev.Hash != hex.EncodeToString(sum[:]) || ev.StoreID != bigcommercetest.DefaultStoreID || ev.Producer != "stores/"+srv.StoreHash || ev.CreatedAt.IsZero() {
			t.Fatalf("envelope %+v", ev)
		}
		if ev.Scope != "store/shipment/created" && headers[i].Get("X-Hrbc-Secret") != "shh" {
			t.Fatalf("custom header missing on %s", ev.Scope)
		}
	}
	for _, want := range []string{"store/order/created", "store/order/updated", "store/order/statusUpdated", "store/shipment/created"} {
		if _, ok := scopes[want]; !ok {
			t.Fatalf("missing %s in %v", want, scopes)
		}
	}
	var st struct {
		ID     int `json:"id"`
		Status struct {
			Prev int `json:"previous_status_id"`
			New  int `json:"new_status_id"`
		} `json:"status"`
	}
	_ = json.Unmarshal(scopes["store/order/statusUpdated"].Data, &st)
	if st.ID != o.ID || st.Status.Prev != 11 || st.Status.New != 2 {
		t.Fatalf("statusUpdated data = %s", scopes["store/order/statusUpdated"].Data)
	}
	var ship struct {
		Type    string `json:"type"`
		OrderID int    `json:"orderId"`
	}
	_ = json.Unmarshal(scopes["store/shipment/created"].Data, &ship)
	if ship.Type != "shipment" || ship.OrderID != o.ID {
		t.Fatalf("shipment data = %s", scopes["store/shipment/created"].Data)
	}
	for _, d := range srv.Deliveries() {
		if d.Scope == "store/product/created" {
			t.Fatal("inactive hook received an event")
		}
	}
}

func TestWebhookRetriesThenDeactivates(t *testing.T) {
	srv, c := orderStore(t, bigcommercetest.WithWebhookRetrySchedule(time.Millisecond, time.Millisecond))
	rcv := newReceiver(t)
	rcv.fail = []int{500, 503}
	h := must(c.CreateHook(ctx(t), bc.HookCreate{Scope: "store/order/created", Destination: rcv.srv.URL, IsActive: true}))
	srv.MustAddOrder(bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
	if err := srv.WaitDeliveries(waitCtx(t), okCount(1)); err != nil {
		t.Fatal(err)
	}
	if ds := srv.Deliveries(); len(ds) != 3 || ds[2].Attempt != 3 || ds[0].Hash != ds[2].Hash {
		t.Fatalf("deliveries = %+v", ds)
	}
	// Now fail every attempt: the hook ends deactivated, as BigCommerce does.
	rcv.mu.Lock()
	rcv.fail = []int{500, 500, 500}
	rcv.mu.Unlock()
	srv.MustAddOrder(bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
	if err := srv.WaitDeliveries(waitCtx(t), func(ds []bigcommercetest.Delivery) bool { return len(ds) >= 6 }); err != nil {
		t.Fatal(err)
	}
	deadline := waitCtx(t)
	for srv.Hooks()[0].IsActive {
		select {
		case <-deadline.Done():
			t.Fatal("hook never deactivated")
		case <-time.After(5 * time.Millisecond):
		}
	}
	// Re-enable through the API and events flow again.
	must(c.UpdateHook(ctx(t), h.ID, bc.HookUpdate{IsActive: ptr(true)}))
	srv.MustAddOrder(bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
	if err := srv.WaitDeliveries(waitCtx(t), okCount(2)); err != nil {
		t.Fatal(err)
	}
}

func TestWebhookDuplicateAndReorder(t *testing.T) {
	srv, c := orderStore(t)
	rcv := newReceiver(t)
	must(c.CreateHook(ctx(t), bc.HookCreate{Scope: "store/order/created", Destination: rcv.srv.URL, IsActive: true}))
	srv.HoldWebhooks()
	srv.DuplicateWebhooks(true)
	a := srv.MustAddOrder(bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
	b := srv.MustAddOrder(bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
	srv.ReleaseWebhooks(true)
	if err := srv.WaitDeliveries(waitCtx(t), okCount(4)); err != nil {
		t.Fatal(err)
	}
	events, _ := rcv.got()
	var ids []int
	for _, ev := range events {
		var data struct{ ID int }
		_ = json.Unmarshal(ev.Data, &data)
		ids = append(ids, data.ID)
	}
	if len(ids) != 4 || ids[0] != b.ID || ids[1] != b.ID || ids[2] != a.ID || events[0].Hash != events[1].Hash {
		t.Fatalf("delivered ids %v", ids)
	}
}
