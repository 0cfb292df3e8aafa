package heartlandtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/heartland"
)

func stateClient(t *testing.T, s *Server) *heartland.Client {
	t.Helper()
	c, err := heartland.New(s.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// stateCall sends one raw request to the fake and returns "status body".
func stateCall(t *testing.T, s *Server, method, path, body string) string {
	t.Helper()
	url := s.URL + path
	if strings.HasPrefix(path, "/__fake/") {
		url = s.RootURL + path
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return fmt.Sprintf("%d %s", res.StatusCode, b)
}

// importOrder creates a web order the way hrbc's import does: customer,
// address, an open sales order at the Website with its lines.
func importOrder(t *testing.T, s *Server, c *heartland.Client, publicID string, qty int64) int64 {
	t.Helper()
	ctx := context.Background()
	web, _ := s.LocationByName("Website")
	first, last, email := "Lin", "Park", publicID+"@example.com"
	cust, err := c.CreateCustomer(ctx, heartland.CustomerFields{FirstName: &first, LastName: &last, Email: &email})
	if err != nil {
		t.Fatal(err)
	}
	addr, err := c.CreateCustomerAddress(ctx, cust, heartland.Address{FirstName: first, LastName: last, Line1: "1 Elm St", City: "Austin"})
	if err != nil {
		t.Fatal(err)
	}
	open, station := "open", web.Stations[0].ID
	id, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{PublicID: &publicID, Status: &open, CustomerID: &cust,
		SourceLocationID: &web.ID, StationID: &station, BillingAddressID: &addr, ShippingAddressID: &addr,
		Lines: []heartland.OrderLineFields{{ItemLookup: "HR-MUG-01", Qty: heartland.DecInt(qty)}, {ItemLookup: "HR-TEE-BLK-M", Qty: heartland.DecInt(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// mutateLikeTheProduct drives the account the way hrbc and the sandbox CLI
// do: a webhook, a catalog pull, an order distributed, invoiced and paid,
// a stock adjustment, a POS sale and a receipt.
func mutateLikeTheProduct(t *testing.T, s *Server, hookURL string) {
	t.Helper()
	ctx := context.Background()
	c := stateClient(t, s)
	if _, err := c.CreateWebhook(ctx, hookURL, []string{"sales_transaction_completed"}); err != nil {
		t.Fatal(err)
	}
	name, group := "BigCommerce Product ID", "item"
	if _, err := c.CreateCustomField(ctx, heartland.CustomFieldFields{Name: &name, GroupID: &group}); err != nil {
		t.Fatal(err)
	}
	pid, desc, price := "GIFT-DIG", "Gift Card (digital)", heartland.Dec("25.00")
	if _, err := c.CreateItem(ctx, heartland.ItemFields{PublicID: &pid, Description: &desc, Price: &price,
		Custom: map[string]any{"bigcommerce_product_id": "118"}}); err != nil {
		t.Fatal(err)
	}

	main, _ := s.LocationByName("Main Street")
	order := importOrder(t, s, c, "BC-102", 2)
	lines, err := c.ListSalesOrderLines(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if err := c.SetLineShipFrom(ctx, order, l.ID, main.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := stateCall(t, s, "POST", "/__fake/invoice", `{"order":"BC-102","location":"Main Street"}`); !strings.HasPrefix(got, "201 ") {
		t.Fatalf("invoice: %s", got)
	}
	ext, err := c.CreatePaymentType(ctx, "BigCommerce External")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddSalesOrderPayment(ctx, order, heartland.PaymentFields{PaymentTypeID: ext, Amount: heartland.Dec("48.00")}); err != nil {
		t.Fatal(err)
	}
	importOrder(t, s, c, "BC-103", 1) // still open: commits stock at the Website

	reasons, err := c.ListAdjustmentReasons(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set, err := c.CreateAdjustmentSet(ctx, heartland.AdjustmentSetFields{LocationID: main.ID, AdjustmentReasonID: reasons[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	capItem, _ := s.ItemByPublicID("HR-CAP-01")
	if _, err := c.AddAdjustmentLine(ctx, set, heartland.AdjustmentLine{ItemID: capItem.ID, Qty: heartland.Dec("-1.5")}); err != nil {
		t.Fatal(err)
	}
	if err := c.CompleteAdjustmentSet(ctx, set); err != nil {
		t.Fatal(err)
	}
	for _, ctl := range []string{"/__fake/sale", "/__fake/receive"} {
		if got := stateCall(t, s, "POST", ctl, `{"sku":"HR-TOTE-01","qty":3,"location":"Warehouse"}`); !strings.HasPrefix(got, "20") {
			t.Fatalf("%s: %s", ctl, got)
		}
	}
}

// statePaths are the GET endpoints whose answers must survive a restart.
func statePaths(s *Server) []string {
	paths := []string{
		"/items?per_page=all", "/custom_fields?per_page=all", "/locations?per_page=all&_include[]=stations",
		"/inventory/values?per_page=all", "/inventory/values?per_page=all&group[]=item_id",
		"/inventory/transactions?per_page=all", "/reason_codes/inventory_adjustment_reasons?per_page=all",
		"/customers?per_page=all", "/sales/orders?per_page=all&_include[]=lines", "/sales/invoices?per_page=all",
		"/sales/tickets?per_page=all", "/payment_types?per_page=all", "/webhooks?per_page=all",
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.items.all() {
		paths = append(paths, fmt.Sprintf("/items/%d", getInt(d, "id")))
	}
	for _, d := range s.customers.all() {
		paths = append(paths, fmt.Sprintf("/customers/%d/addresses?per_page=all", getInt(d, "id")))
	}
	for _, d := range s.orders.all() {
		id := getInt(d, "id")
		paths = append(paths, fmt.Sprintf("/sales/orders/%d", id), fmt.Sprintf("/sales/orders/%d/lines?per_page=all", id),
			fmt.Sprintf("/sales/orders/%d/payments?per_page=all", id))
	}
	for _, d := range s.invoices.all() {
		paths = append(paths, fmt.Sprintf("/sales/invoices/%d/lines?per_page=all", getInt(d, "id")))
	}
	for _, d := range s.tickets.all() {
		paths = append(paths, fmt.Sprintf("/sales/tickets/%d/lines?per_page=all", getInt(d, "id")))
	}
	for _, d := range s.adjSets.all() {
		id := getInt(d, "id")
		paths = append(paths, fmt.Sprintf("/inventory/adjustment_sets/%d", id), fmt.Sprintf("/inventory/adjustment_sets/%d/lines?per_page=all", id))
	}
	for _, sku := range []string{"HR-MUG-01", "HR-TEE-BLK-M", "HR-CAP-01", "HR-TOTE-01", "GIFT-DIG"} {
		paths = append(paths, "/__fake/stock?sku="+sku)
	}
	return paths
}

func TestStateSurvivesSaveAndLoad(t *testing.T) {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer receiver.Close()
	old := NewServer(WithDemoSeed())
	defer old.Close()
	mutateLikeTheProduct(t, old, receiver.URL+"/webhooks/heartland/demo?secret=s")

	var saved bytes.Buffer
	if err := old.SaveState(&saved); err != nil {
		t.Fatal(err)
	}
	fresh := NewServer()
	defer fresh.Close()
	if err := fresh.LoadState(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	for _, p := range statePaths(old) {
		want, got := stateCall(t, old, "GET", p, ""), stateCall(t, fresh, "GET", p, "")
		if got != want {
			t.Errorf("GET %s after load:\n got %s\nwant %s", p, got, want)
		}
		if !strings.HasPrefix(want, "200 ") {
			t.Errorf("GET %s answered %s; the comparison proves nothing", p, want)
		}
	}
	// Numbers must come back as json.Number, as readBody stores them:
	// getStr and the filters treat a float64 differently.
	fresh.mu.Lock()
	for name, c := range fresh.collections() {
		for _, d := range c.all() {
			if f := findFloat(d); f != "" {
				t.Errorf("%s record %v holds %s as float64", name, d["id"], f)
			}
		}
	}
	fresh.mu.Unlock()
	var again bytes.Buffer
	if err := fresh.SaveState(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), saved.Bytes()) {
		t.Errorf("saving the loaded account gives other bytes:\n%s\nwant\n%s", again.Bytes(), saved.Bytes())
	}

	// The loaded account goes on exactly like the original: the next
	// records get the same fresh ids, and a new order commits stock on top
	// of what the saved open order commits.
	var ids [2][]int64
	for i, s := range []*Server{old, fresh} {
		c := stateClient(t, s)
		order := importOrder(t, s, c, "BC-104", 1)
		hook, err := c.CreateWebhook(context.Background(), "http://127.0.0.1:1/x", []string{"item_created"})
		if err != nil {
			t.Fatal(err)
		}
		web, _ := s.LocationByName("Website")
		var sale struct {
			TicketID int64 `json:"ticket_id"`
		}
		got := stateCall(t, s, "POST", "/__fake/sale", `{"sku":"HR-MUG-01","qty":1,"location":"Website"}`)
		if err := json.Unmarshal([]byte(strings.TrimPrefix(got, "201 ")), &sale); err != nil {
			t.Fatalf("sale: %s", got)
		}
		st := s.Stock("HR-MUG-01", web.ID)
		ids[i] = []int64{order, hook, sale.TicketID, st.OnHand.IntPart(), st.Committed.IntPart()}
	}
	if !reflect.DeepEqual(ids[0], ids[1]) {
		t.Errorf("after load: order, webhook, ticket, on hand, committed = %v, want %v", ids[1], ids[0])
	}
	if ids[1][0] != 3 || ids[1][4] != 2 {
		t.Errorf("third order got id %d and the Website commits %d HR-MUG-01, want id 3 and 2 committed", ids[1][0], ids[1][4])
	}
	for _, p := range []string{"/inventory/transactions?per_page=all", "/sales/orders?per_page=all&_include[]=lines"} {
		want := stripTimes(stateCall(t, old, "GET", p, ""))
		if got := stripTimes(stateCall(t, fresh, "GET", p, "")); got != want {
			t.Errorf("GET %s after the same changes:\n got %s\nwant %s", p, got, want)
		}
	}
}

// findFloat names the first float64 inside v, or "".
func findFloat(v any) string {
	switch v := v.(type) {
	case float64:
		return fmt.Sprint(v)
	case map[string]any:
		for k, x := range v {
			if f := findFloat(x); f != "" {
				return k + "=" + f
			}
		}
	case []any:
		for _, x := range v {
			if f := findFloat(x); f != "" {
				return f
			}
		}
	}
	return ""
}

// stripTimes blanks timestamps, which differ between two servers doing the
// same thing a few milliseconds apart only when a second boundary passes.
func stripTimes(body string) string {
	var v any
	if err := json.Unmarshal([]byte(strings.SplitN(body, " ", 2)[1]), &v); err != nil {
		return body
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, y := range x {
				if strings.HasSuffix(k, "_at") {
					x[k] = "<time>"
				}
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	b, _ := json.Marshal(v)
	return string(b)
}

func TestLoadStateRefusesOtherVersionsAndDamage(t *testing.T) {
	src := NewServer(WithDemoSeed())
	defer src.Close()
	var saved bytes.Buffer
	if err := src.SaveState(&saved); err != nil {
		t.Fatal(err)
	}
	edit := func(f func(map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(saved.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	items := func(m map[string]any) map[string]any {
		return m["collections"].(map[string]any)["items"].(map[string]any)
	}
	for _, tc := range []struct {
		name, state, want string
		version           bool
	}{
		{"newer version", edit(func(m map[string]any) { m["version"] = 2 }), "version 2", true},
		{"no version", `{"collections":{}}`, "version 0", true},
		{"not JSON", `{"version":1,`, "decode state", false},
		{"counter behind the records", edit(func(m map[string]any) { items(m)["next"] = 3 }), "beyond the id counter 3", false},
		{"repeated id", edit(func(m map[string]any) {
			docs := items(m)["docs"].([]any)
			docs[1].(map[string]any)["id"] = 1
		}), "collection items: record id 1 missing or repeated", false},
		{"stock of an unknown item", edit(func(m map[string]any) {
			m["on_hand"].([]any)[0].(map[string]any)["item_id"] = 999
		}), "item 999", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewServer(WithDemoSeed())
			defer s.Close()
			before := stateCall(t, s, "GET", "/inventory/values?per_page=all", "")
			err := s.LoadState(strings.NewReader(tc.state))
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, ErrStateVersion) != tc.version {
				t.Fatalf("LoadState = %v, want an error containing %q (version error: %v)", err, tc.want, tc.version)
			}
			if after := stateCall(t, s, "GET", "/inventory/values?per_page=all", ""); after != before {
				t.Errorf("a refused state changed the account:\n%s\nwas\n%s", after, before)
			}
		})
	}
}

// TestStateCoversEveryCollection fails when a table or a stock map is
// added to the Server without being saved.
func TestStateCoversEveryCollection(t *testing.T) {
	s := newServer(nil)
	distinct := map[*collection]bool{}
	for _, c := range s.collections() {
		distinct[c] = true
	}
	typ := reflect.TypeOf(s).Elem()
	var tables, stockMaps []string
	for i := range typ.NumField() {
		switch f := typ.Field(i); f.Type {
		case reflect.TypeOf(&collection{}):
			tables = append(tables, f.Name)
		case reflect.TypeOf(map[position]decimal.Decimal{}):
			stockMaps = append(stockMaps, f.Name)
		}
	}
	if len(tables) != len(distinct) {
		t.Errorf("the Server has %d tables %v, collections() saves %d: add the new one", len(tables), tables, len(distinct))
	}
	if !reflect.DeepEqual(stockMaps, []string{"onHand", "committed"}) {
		t.Errorf("stock maps %v; state.go saves onHand and committed", stockMaps)
	}
}
