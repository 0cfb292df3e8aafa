package worker_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/worker/apppage"
	"github.com/hrbc/hrbc/workflows"
)

// pageKey signs the test page's sessions.
var pageKey = []byte("app-client-secret-for-tests")

// appPage serves hrbc's app page over the order shop's stack. /open stands
// in for BigCommerce's load callback: it opens the page for the shop's
// connection as a verified user.
type appPage struct {
	*orderShop
	srv   *httptest.Server
	token string
}

func newAppPage(t *testing.T, sh *orderShop) *appPage {
	t.Helper()
	page, err := apppage.New(apppage.Options{Starter: sh.Starter, SessionKey: pageKey})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(page.Prefix(), page)
	mux.HandleFunc("/open", func(w http.ResponseWriter, r *http.Request) {
		page.Open(w, r, sh.ConnectionID, "owner@example.com")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &appPage{orderShop: sh, srv: srv}
}

// open follows the load stand-in to the page and keeps its session.
func (a *appPage) open(t *testing.T) string {
	t.Helper()
	resp, err := http.Get(a.srv.URL + "/open")
	if err != nil {
		t.Fatal(err)
	}
	a.token = resp.Request.URL.Query().Get("s")
	return a.read(t, resp, http.StatusOK)
}

func (a *appPage) read(t *testing.T, resp *http.Response, want int) string {
	t.Helper()
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, body)
	}
	return string(body)
}

func (a *appPage) tab(t *testing.T, tab string) string {
	t.Helper()
	resp, err := http.Get(a.srv.URL + "/app/?" + url.Values{"s": {a.token}, "tab": {tab}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return a.read(t, resp, http.StatusOK)
}

// post sends a form as the page's buttons do and returns the page it lands on.
func (a *appPage) post(t *testing.T, path string, form url.Values) string {
	t.Helper()
	form.Set("s", a.token)
	resp, err := http.PostForm(a.srv.URL+"/app/"+path, form)
	if err != nil {
		t.Fatal(err)
	}
	return a.read(t, resp, http.StatusOK)
}

// heartlandItem is the Heartland item a merchant makes for a store SKU.
func heartlandItem(sku string) heartlandtest.ItemSeed {
	return heartlandtest.ItemSeed{PublicID: sku, Description: "Item " + sku, Price: heartland.DecInt(7), Cost: heartland.DecInt(3)}
}

func mustContain(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestAppPageRefusesRequestsWithoutItsSession(t *testing.T) {
	sh := newOrderShop(t, nil)
	a := newAppPage(t, sh)
	a.open(t)
	forged := strings.Replace(a.token, ".", "x.", 1)
	for _, q := range []string{"", "?s=", "?s=garbage", "?s=" + url.QueryEscape(forged)} {
		resp, err := http.Get(a.srv.URL + "/app/" + q)
		if err != nil {
			t.Fatal(err)
		}
		body := a.read(t, resp, http.StatusUnauthorized)
		if strings.Contains(body, sh.ConnectionID) {
			t.Errorf("refusal names the connection: %q", body)
		}
	}
	// An action without the session changes nothing.
	resp, err := http.PostForm(a.srv.URL+"/app/orders", url.Values{"order_sync": {"off"}})
	if err != nil {
		t.Fatal(err)
	}
	a.read(t, resp, http.StatusUnauthorized)
	if st, _ := sh.Starter.ConnectionStatus(sh.ctx(), sh.ConnectionID); !st.Settings.OrderSync {
		t.Error("a refused action turned order sync off")
	}
}

func TestAppPageConfiguresDistributesAndRetries(t *testing.T) {
	sh := newOrderShop(t, nil)
	a := newAppPage(t, sh)
	resp, err := http.Get(a.srv.URL + "/open")
	if err != nil {
		t.Fatal(err)
	}
	// Shown in BigCommerce's control-panel frame only, the session never
	// leaks through Referer or caches.
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self' https://*.bigcommerce.com") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Frame-Options") != "" {
		t.Errorf("headers = %v", resp.Header)
	}
	resp.Body.Close()
	page := a.open(t)
	mustContain(t, page, "Items Information", "Inventory", "Order Fulfillment", "Errors", sh.ConnectionID)

	// Order Fulfillment: a bad location is refused with the field named,
	// and nothing changes.
	page = a.post(t, "orders", url.Values{"order_sync": {"on"}, "source_location_id": {"web"}})
	mustContain(t, page, "source_location_id", "not a Heartland location number")
	page = a.post(t, "orders", url.Values{"order_sync": {"on"}, "source_location_id": {"987654"}})
	mustContain(t, page, `class="err"`)
	if st, _ := sh.Starter.ConnectionStatus(sh.ctx(), sh.ConnectionID); st.Settings.SourceLocationID != sh.website.ID {
		t.Fatalf("a refused configure changed the source location to %d", st.Settings.SourceLocationID)
	}
	page = a.post(t, "orders", url.Values{"order_sync": {"on"}, "source_location_id": {strconv.FormatInt(sh.website.ID, 10)},
		"capture": {"on_first_shipment"}})
	mustContain(t, page, "Order settings saved.")
	if st, _ := sh.Starter.ConnectionStatus(sh.ctx(), sh.ConnectionID); st.Settings.Capture != workflows.CaptureOnFirstShipment {
		t.Errorf("capture = %q after saving the form", st.Settings.Capture)
	}

	// A web order waits: the alert shows on every tab, the form on Orders.
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 2}}})
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)
	mustContain(t, a.tab(t, "items"), "1 web order is ready to distribute")
	mustContain(t, a.tab(t, "orders"), "distribute-"+strconv.Itoa(id), "SKU-A")
	page = a.post(t, "orders/distribute", url.Values{"order": {strconv.Itoa(id)}, "location_id": {strconv.FormatInt(sh.main.ID, 10)}})
	mustContain(t, page, "Order "+strconv.Itoa(id)+" distributed")
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	for _, l := range sh.heartlandOrder(t, id).Lines {
		if l.ShipFromLocationID == nil || *l.ShipFromLocationID != sh.main.ID {
			t.Errorf("Heartland line ships from %v, want Main Street %d", l.ShipFromLocationID, sh.main.ID)
		}
	}

	// Errors: an order with an SKU Heartland lacks is listed with its
	// reason; after the item is made, the retry button imports it.
	sh.BC.AddProduct(bigcommercetest.ProductSeed{Name: "New Thing", SKU: "SKU-NEW", Price: dec("7.00"), Stock: map[int]int{0: 5}})
	bad := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-NEW", Quantity: 1}}})
	sh.waitStage(t, bad, workflows.OrderStageAttention)
	waitFor(t, "the order on the Errors tab", func() bool {
		return strings.Contains(a.tab(t, "errors"), "unknown SKU: SKU-NEW")
	})
	sh.HL.AddItem(heartlandItem("SKU-NEW"))
	page = a.post(t, "errors/retry", url.Values{"workflow_id": {workflows.OrderWorkflowID(sh.ConnectionID, bad)}, "workflow_type": {"Order"}})
	mustContain(t, page, "is being retried")
	sh.waitStage(t, bad, workflows.OrderStageAwaitingDistribution)

	// Inventory: turn the sync on for all locations, start it, see it run.
	page = a.post(t, "inventory", url.Values{"inventory_sync": {"on"}, "all_locations": {"on"}})
	mustContain(t, page, "Inventory settings saved.")
	page = a.post(t, "inventory/sync", url.Values{"safety_buffer": {"-1"}})
	mustContain(t, page, "safety_buffer")
	page = a.post(t, "inventory/sync", url.Values{"safety_buffer": {"1"}})
	mustContain(t, page, "Full inventory sync started.")
	var last string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last Inventory tab:\n%s", last)
		}
	})
	// SKU-NEW is in the store only: the guard holds the first sync and
	// the tab shows what it would do, with the box to write it anyway.
	waitFor(t, "the held sync on the Inventory tab", func() bool {
		last = a.tab(t, "inventory")
		return strings.Contains(last, `id="inventory-hold"`)
	})
	mustContain(t, last, "1 of 4 items in stock would go to 0")
	if got, _ := sh.BC.StockLevel("SKU-NEW", 0); got != 4 {
		t.Errorf("held sync wrote SKU-NEW: %d, want the store's 4", got)
	}
	page = a.post(t, "inventory/sync", url.Values{"safety_buffer": {"1"}, "confirm": {"on"}})
	mustContain(t, page, "writes even where the guard would hold it")
	waitFor(t, "the confirmed full sync on the Inventory tab", func() bool {
		last = a.tab(t, "inventory")
		return strings.Contains(last, "done 1 time(s)")
	})
	if got, _ := sh.BC.StockLevel("SKU-NEW", 0); got != 0 {
		t.Errorf("SKU-NEW in the store after the confirmed sync = %d, want 0 (Heartland has none)", got)
	}
}
