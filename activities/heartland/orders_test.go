package heartland_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// TestOrderLifecycle drives a web order the way hrbc will: create pending
// with our public_id, open (commits at the source location), distribute
// (commitment moves), pay, invoice per fulfilling location (consumes stock,
// releases the commitment) and close.
func TestOrderLifecycle(t *testing.T) {
	srv, c := newFake(t)
	web, main, wh := mustLoc(t, srv, "Website"), mustLoc(t, srv, "Main Street"), mustLoc(t, srv, "Warehouse")
	jane, _ := srv.CustomerByEmail("jane@example.com")
	oid, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{
		PublicID: heartland.String("BC-100"), CustomerID: heartland.ID(jane.ID),
		SourceLocationID: heartland.ID(web.ID), StationID: heartland.ID(web.Stations[0].ID),
		ShippingCharge: heartland.Dec("4.50").Ptr(),
		Lines:          []heartland.OrderLineFields{{ItemLookup: "HR-MUG-01", Qty: heartland.DecInt(2)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tee := mustItem(t, srv, "HR-TEE-BLK-M")
	teeLine, err := c.AddSalesOrderLine(ctx, oid, heartland.OrderLineFields{ItemID: tee.ID, Qty: heartland.DecInt(3), AdjustedUnitPrice: heartland.Dec("20.00").Ptr()})
	if err != nil {
		t.Fatal(err)
	}
	// Pending: nothing committed.
	wantStock(t, srv, "HR-MUG-01", web.ID, 12, 12, 0)
	o, err := c.FindSalesOrderByPublicID(ctx, "BC-100")
	if err != nil || o.ID != oid || o.Status != heartland.OrderPending || !o.Total.Equal(heartland.Dec("88.50")) {
		t.Fatalf("order: %+v %v", o, err)
	}
	_, err = c.CreateSalesOrder(ctx, heartland.SalesOrderFields{PublicID: heartland.String("BC-100"),
		SourceLocationID: heartland.ID(web.ID), StationID: heartland.ID(web.Stations[0].ID)})
	wantKind(t, err, heartland.ErrConflict)

	if err := c.SetSalesOrderStatus(ctx, oid, heartland.OrderOpen); err != nil {
		t.Fatal(err)
	}
	// Open, undistributed: committed at the source location.
	wantStock(t, srv, "HR-MUG-01", web.ID, 12, 10, 2)
	wantStock(t, srv, "HR-TEE-BLK-M", web.ID, 8, 5, 3)

	lines, err := c.ListSalesOrderLines(ctx, oid)
	if err != nil || len(lines) != 2 || lines[0].ShipFromLocationID != nil {
		t.Fatalf("lines: %+v %v", lines, err)
	}
	if err := c.SetLineShipFrom(ctx, oid, lines[0].ID, main.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.SetLineShipFrom(ctx, oid, teeLine, wh.ID); err != nil {
		t.Fatal(err)
	}
	// Distributed: the commitment follows the ship-from location.
	wantStock(t, srv, "HR-MUG-01", web.ID, 12, 12, 0)
	wantStock(t, srv, "HR-MUG-01", main.ID, 10, 8, 2)
	wantStock(t, srv, "HR-TEE-BLK-M", wh.ID, 25, 22, 3)

	pt, err := c.CreatePaymentType(ctx, heartland.ExternalPaymentTypeName)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddSalesOrderPayment(ctx, oid, heartland.PaymentFields{PaymentTypeID: pt, Amount: heartland.Dec("88.50"), Deposit: true, Description: "BigCommerce order 100"}); err != nil {
		t.Fatal(err)
	}
	pays, err := c.ListSalesOrderPayments(ctx, oid)
	if err != nil || len(pays) != 1 || pays[0].Type != "CustomPayment" || !pays[0].Deposit {
		t.Fatalf("payments: %+v %v", pays, err)
	}

	// Invoice at Main Street only.
	inv, err := c.CreateInvoice(ctx, heartland.InvoiceFields{OrderID: oid, SourceLocationID: main.ID, StationID: main.Stations[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	wantStock(t, srv, "HR-MUG-01", main.ID, 10, 8, 2) // created, not completed: nothing consumed yet
	if err := c.CompleteInvoice(ctx, inv); err != nil {
		t.Fatal(err)
	}
	wantStock(t, srv, "HR-MUG-01", main.ID, 8, 8, 0)
	wantStock(t, srv, "HR-TEE-BLK-M", wh.ID, 25, 22, 3)
	got, err := c.GetInvoice(ctx, inv)
	if err != nil || !got.Completed || got.Status != "complete" || got.OrderID != oid || !got.Total.Equal(heartland.Dec("28.50")) {
		// 2 mugs at 12.00 plus the order's 4.50 shipping, which the first invoice carries.
		t.Fatalf("invoice: %+v %v", got, err)
	}
	il, err := c.ListInvoiceLines(ctx, inv)
	if err != nil || len(il) != 1 || il[0].OrderLineID != lines[0].ID || !il[0].Qty.Equal(heartland.DecInt(2)) {
		t.Fatalf("invoice lines: %+v %v", il, err)
	}
	// A second invoice at Main Street has nothing left to take.
	_, err = c.CreateInvoice(ctx, heartland.InvoiceFields{OrderID: oid, SourceLocationID: main.ID, StationID: main.Stations[0].ID})
	wantKind(t, err, heartland.ErrValidation)
	// A station from another location is rejected.
	_, err = c.CreateInvoice(ctx, heartland.InvoiceFields{OrderID: oid, SourceLocationID: wh.ID, StationID: main.Stations[0].ID})
	wantKind(t, err, heartland.ErrValidation)

	if st, _ := srv.OrderByPublicID("BC-100"); st.Order.Status != heartland.OrderOpen {
		t.Fatalf("order closed too early: %s", st.Order.Status)
	}
	inv2, err := c.CreateInvoice(ctx, heartland.InvoiceFields{OrderID: oid, SourceLocationID: wh.ID, StationID: wh.Stations[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CompleteInvoice(ctx, inv2); err != nil {
		t.Fatal(err)
	}
	wantStock(t, srv, "HR-TEE-BLK-M", wh.ID, 22, 22, 0)
	invs, err := c.ListInvoicesByOrder(ctx, oid)
	if err != nil || len(invs) != 2 {
		t.Fatalf("invoices: %+v %v", invs, err)
	}
	st, _ := srv.OrderByPublicID("BC-100")
	if st.Order.Status != heartland.OrderClosed || !st.Order.Balance.IsZero() || len(st.Lines) != 2 || len(st.Payments) != 1 {
		t.Fatalf("final order: %+v", st)
	}
	if len(srv.InvoicesOfOrder(oid)) != 2 {
		t.Fatal("fake lost invoices")
	}
	err = c.SetSalesOrderStatus(ctx, oid, heartland.OrderOpen)
	wantKind(t, err, heartland.ErrValidation)
	if pg, err := c.ListSalesOrders(ctx, heartland.Query{Filters: []heartland.Filter{{"status": "closed"}}}); err != nil || pg.Total != 1 {
		t.Fatalf("list closed: %+v %v", pg, err)
	}
}

func TestOrderRequiredCustomFieldBlocksRelease(t *testing.T) {
	srv, c := newFake(t)
	srv.AddCustomField(heartland.GroupTransaction, "Channel", true)
	web := mustLoc(t, srv, "Website")
	oid, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{PublicID: heartland.String("BC-7"),
		SourceLocationID: heartland.ID(web.ID), StationID: heartland.ID(web.Stations[0].ID),
		Lines: []heartland.OrderLineFields{{ItemLookup: "HR-MUG-01", Qty: heartland.DecInt(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	err = c.SetSalesOrderStatus(ctx, oid, heartland.OrderOpen)
	if he := wantKind(t, err, heartland.ErrValidation); he.Details["custom@channel"] == nil {
		t.Fatalf("details %+v", he)
	}
	wantStock(t, srv, "HR-MUG-01", web.ID, 12, 12, 0)
	if err := c.UpdateSalesOrder(ctx, oid, heartland.SalesOrderFields{Status: heartland.String("open"), Custom: map[string]any{"channel": "BigCommerce"}}); err != nil {
		t.Fatal(err)
	}
	wantStock(t, srv, "HR-MUG-01", web.ID, 12, 11, 1)
	// Cancelling releases the commitment.
	if err := c.SetSalesOrderStatus(ctx, oid, heartland.OrderCanceled); err != nil {
		t.Fatal(err)
	}
	wantStock(t, srv, "HR-MUG-01", web.ID, 12, 12, 0)
}

func TestTicketsAndWebhooks(t *testing.T) {
	srv, c := newFake(t)
	var mu sync.Mutex
	var got []heartland.WebhookPayload
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("secret") != "s3cret" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		b, _ := io.ReadAll(r.Body)
		p, err := heartland.DecodeWebhook(r.URL.Query().Get("event"), b)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, p)
		mu.Unlock()
	}))
	defer recv.Close()
	for _, ev := range []string{heartland.EventSalesTransactionCompleted, heartland.EventItemCreated, heartland.EventItemUpdated, heartland.EventCustomerCreated} {
		if _, err := c.CreateWebhook(ctx, recv.URL+"/hooks?secret=s3cret&event="+ev, []string{ev}); err != nil {
			t.Fatal(err)
		}
	}
	hooks, err := c.ListWebhooks(ctx)
	if err != nil || len(hooks) != 4 || !strings.Contains(hooks[0].URL, "secret=s3cret") || !hooks[0].Active {
		t.Fatalf("hooks: %+v %v", hooks, err)
	}
	_, err = c.CreateWebhook(ctx, "not a url", []string{"item_created"})
	wantKind(t, err, heartland.ErrValidation)

	main := mustLoc(t, srv, "Main Street")
	srv.SetDuplicateDeliveries(1)
	tk, err := srv.RingUpSale(main.ID, heartlandtest.SaleLine{PublicID: "HR-SOCK-01", Qty: heartland.DecInt(3)})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetDuplicateDeliveries(0)
	id, err := c.CreateItem(ctx, heartland.ItemFields{PublicID: heartland.String("HR-HOOK-1"), Description: heartland.String("Hooked")})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateItem(ctx, id, heartland.ItemFields{Active: heartland.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateCustomer(ctx, heartland.CustomerFields{Email: heartland.String("hook@example.com")}); err != nil {
		t.Fatal(err)
	}
	srv.WaitWebhooks()
	mu.Lock()
	defer mu.Unlock()
	counts := map[string]int{}
	for _, p := range got {
		counts[p.Event]++
		switch {
		case p.Transaction != nil:
			if p.Transaction.ID != tk.ID || p.Transaction.Type != "Ticket" || !p.Transaction.Completed {
				t.Errorf("ticket payload %+v", p.Transaction)
			}
		case p.Item != nil && p.Event == heartland.EventItemUpdated:
			if p.Item.Active || p.Item.PublicID != "HR-HOOK-1" {
				t.Errorf("item_updated payload %+v", p.Item)
			}
		}
	}
	if counts[heartland.EventSalesTransactionCompleted] != 2 || counts[heartland.EventItemCreated] != 1 || counts[heartland.EventItemUpdated] != 1 || counts[heartland.EventCustomerCreated] != 1 {
		t.Fatalf("deliveries: %v", counts)
	}
	// The raw body is the bare resource with "?" booleans.
	var raw map[string]any
	for _, d := range srv.Deliveries() {
		if d.Event == heartland.EventItemCreated {
			_ = json.Unmarshal(d.Body, &raw)
		}
	}
	if _, ok := raw["active?"]; !ok || raw["event"] != nil {
		t.Fatalf("item_created body not bare resource: %v", raw)
	}
	// The ticket is readable over REST with its lines.
	tt, err := c.GetTicket(ctx, tk.ID)
	if err != nil || !tt.Total.Equal(heartland.Dec("29.97")) {
		t.Fatalf("ticket: %+v %v", tt, err)
	}
	tl, err := c.ListTicketLines(ctx, tk.ID)
	if err != nil || len(tl) != 1 || tl[0].ItemPublicID != "HR-SOCK-01" || !tl[0].Qty.Equal(heartland.DecInt(3)) {
		t.Fatalf("ticket lines: %+v %v", tl, err)
	}
	if err := c.DeleteWebhook(ctx, hooks[0].ID); err != nil {
		t.Fatal(err)
	}
	err = c.DeleteWebhook(ctx, hooks[0].ID)
	wantKind(t, err, heartland.ErrNotFound)
	if len(srv.Webhooks()) != 3 {
		t.Fatal("webhook not deleted")
	}
}
