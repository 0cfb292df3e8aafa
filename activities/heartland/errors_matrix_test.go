package heartland_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// methodCall runs one client method against ids valid in the demo seed.
type methodCall struct {
	name string
	call func(context.Context, *heartland.Client) error
}

func allMethods(srv *heartlandtest.Server) []methodCall {
	main, _ := srv.LocationByName("Main Street")
	mug, _ := srv.ItemByPublicID("HR-MUG-01")
	ign := func(_ any, err error) error { return err }
	return []methodCall{
		{"GetItem", func(ctx context.Context, c *heartland.Client) error { return ign(c.GetItem(ctx, mug.ID)) }},
		{"FindItemByPublicID", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.FindItemByPublicID(ctx, "HR-MUG-01"))
		}},
		{"ItemsByPublicIDs", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.ItemsByPublicIDs(ctx, []string{"HR-MUG-01"}))
		}},
		{"ListItems", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListItems(ctx, heartland.Query{})) }},
		{"WalkItems", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.WalkItems(heartland.Query{}, heartland.Cursor{}).All(ctx))
		}},
		{"CreateItem", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.CreateItem(ctx, heartland.ItemFields{PublicID: heartland.String("M-1"), Description: heartland.String("m")}))
		}},
		{"UpdateItem", func(ctx context.Context, c *heartland.Client) error {
			return c.UpdateItem(ctx, mug.ID, heartland.ItemFields{Price: heartland.DecInt(13).Ptr()})
		}},
		{"SetItemCustomValues", func(ctx context.Context, c *heartland.Client) error {
			return c.SetItemCustomValues(ctx, mug.ID, map[string]any{"color": "White"})
		}},
		{"ListCustomFields", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListCustomFields(ctx, "item")) }},
		{"GetCustomField", func(ctx context.Context, c *heartland.Client) error { return ign(c.GetCustomField(ctx, 1)) }},
		{"CreateCustomField", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.CreateCustomField(ctx, heartland.CustomFieldFields{Name: heartland.String("Brand"), GroupID: heartland.String("item")}))
		}},
		{"UpdateCustomField", func(ctx context.Context, c *heartland.Client) error {
			return c.UpdateCustomField(ctx, 1, heartland.CustomFieldFields{Unique: heartland.Bool(false)})
		}},
		{"ListLocations", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListLocations(ctx)) }},
		{"GetLocation", func(ctx context.Context, c *heartland.Client) error { return ign(c.GetLocation(ctx, main.ID)) }},
		{"WalkInventoryValues", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.WalkInventoryValues(heartland.InventoryFilter{}, heartland.Cursor{}).All(ctx))
		}},
		{"WalkInventoryTransactions", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.WalkInventoryTransactions(time.Time{}, heartland.Cursor{}).All(ctx))
		}},
		{"InventoryChangesSince", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.InventoryChangesSince(ctx, time.Now().Add(-time.Hour)))
		}},
		{"ListAdjustmentReasons", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListAdjustmentReasons(ctx)) }},
		{"CreateAdjustmentSet", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.CreateAdjustmentSet(ctx, heartland.AdjustmentSetFields{LocationID: main.ID, AdjustmentReasonID: 1}))
		}},
		{"GetAdjustmentSet", func(ctx context.Context, c *heartland.Client) error { return ign(c.GetAdjustmentSet(ctx, 1)) }},
		{"AddAdjustmentLine", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.AddAdjustmentLine(ctx, 1, heartland.AdjustmentLine{ItemID: mug.ID, Qty: heartland.DecInt(1)}))
		}},
		{"CompleteAdjustmentSet", func(ctx context.Context, c *heartland.Client) error { return c.CompleteAdjustmentSet(ctx, 1) }},
		{"GetCustomer", func(ctx context.Context, c *heartland.Client) error { return ign(c.GetCustomer(ctx, 1)) }},
		{"FindCustomerByEmail", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.FindCustomerByEmail(ctx, "jane@example.com"))
		}},
		{"CreateCustomer", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.CreateCustomer(ctx, heartland.CustomerFields{Email: heartland.String("m@example.com")}))
		}},
		{"UpdateCustomer", func(ctx context.Context, c *heartland.Client) error {
			return c.UpdateCustomer(ctx, 1, heartland.CustomerFields{Phone: heartland.String("555")})
		}},
		{"ListCustomerAddresses", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListCustomerAddresses(ctx, 1)) }},
		{"CreateCustomerAddress", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.CreateCustomerAddress(ctx, 1, heartland.Address{Line1: "1 Main St", City: "Springfield"}))
		}},
		{"CreateSalesOrder", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.CreateSalesOrder(ctx, heartland.SalesOrderFields{PublicID: heartland.String("BC-M1"),
				SourceLocationID: heartland.ID(main.ID), StationID: heartland.ID(main.Stations[0].ID)}))
		}},
		{"GetSalesOrder", func(ctx context.Context, c *heartland.Client) error { return ign(c.GetSalesOrder(ctx, 1)) }},
		{"FindSalesOrderByPublicID", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.FindSalesOrderByPublicID(ctx, "BC-SEED"))
		}},
		{"ListSalesOrders", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.ListSalesOrders(ctx, heartland.Query{}))
		}},
		{"UpdateSalesOrder", func(ctx context.Context, c *heartland.Client) error {
			return c.UpdateSalesOrder(ctx, 1, heartland.SalesOrderFields{ShippingCharge: heartland.DecInt(5).Ptr()})
		}},
		{"SetSalesOrderStatus", func(ctx context.Context, c *heartland.Client) error { return c.SetSalesOrderStatus(ctx, 1, "open") }},
		{"ListSalesOrderLines", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListSalesOrderLines(ctx, 1)) }},
		{"AddSalesOrderLine", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.AddSalesOrderLine(ctx, 1, heartland.OrderLineFields{ItemLookup: "HR-CAP-01", Qty: heartland.DecInt(1)}))
		}},
		{"SetLineShipFrom", func(ctx context.Context, c *heartland.Client) error { return c.SetLineShipFrom(ctx, 1, 1, main.ID) }},
		{"AddSalesOrderPayment", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.AddSalesOrderPayment(ctx, 1, heartland.PaymentFields{PaymentTypeID: 1, Amount: heartland.DecInt(1)}))
		}},
		{"ListSalesOrderPayments", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListSalesOrderPayments(ctx, 1)) }},
		{"GetTicket", func(ctx context.Context, c *heartland.Client) error { return ign(c.GetTicket(ctx, 1)) }},
		{"ListTicketLines", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListTicketLines(ctx, 1)) }},
		{"ListInvoicesByOrder", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListInvoicesByOrder(ctx, 1)) }},
		{"CreateInvoice", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.CreateInvoice(ctx, heartland.InvoiceFields{OrderID: 1, SourceLocationID: main.ID, StationID: main.Stations[0].ID}))
		}},
		{"GetInvoice", func(ctx context.Context, c *heartland.Client) error { return ign(c.GetInvoice(ctx, 1)) }},
		{"ListInvoiceLines", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListInvoiceLines(ctx, 1)) }},
		{"CompleteInvoice", func(ctx context.Context, c *heartland.Client) error { return c.CompleteInvoice(ctx, 1) }},
		{"FindPaymentTypeByName", func(ctx context.Context, c *heartland.Client) error { return ign(c.FindPaymentTypeByName(ctx, "Cash")) }},
		{"CreatePaymentType", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.CreatePaymentType(ctx, heartland.ExternalPaymentTypeName))
		}},
		{"ListWebhooks", func(ctx context.Context, c *heartland.Client) error { return ign(c.ListWebhooks(ctx)) }},
		{"CreateWebhook", func(ctx context.Context, c *heartland.Client) error {
			return ign(c.CreateWebhook(ctx, "http://127.0.0.1:1/hook?secret=s", []string{heartland.EventItemCreated}))
		}},
		{"DeleteWebhook", func(ctx context.Context, c *heartland.Client) error { return c.DeleteWebhook(ctx, 1) }},
	}
}

// seedForMatrix gives every id used by allMethods something to point at:
// an open order (id 1) with a line distributed to Main Street, an invoice
// (id 1, at Warehouse), a ticket (id 1), an adjustment set (id 1) and a webhook (id 1).
func seedForMatrix(t *testing.T, srv *heartlandtest.Server, c *heartland.Client) {
	t.Helper()
	main := mustLoc(t, srv, "Main Street")
	wh := mustLoc(t, srv, "Warehouse")
	oid, err := c.CreateSalesOrder(ctx, heartland.SalesOrderFields{PublicID: heartland.String("BC-SEED"), Status: heartland.String("open"),
		SourceLocationID: heartland.ID(main.ID), StationID: heartland.ID(main.Stations[0].ID),
		Lines: []heartland.OrderLineFields{
			{ItemLookup: "HR-MUG-01", Qty: heartland.DecInt(3), ShipFromLocationID: heartland.ID(main.ID)},
			{ItemLookup: "HR-SOCK-01", Qty: heartland.DecInt(1), ShipFromLocationID: heartland.ID(wh.ID)},
		}})
	if err != nil || oid != 1 {
		t.Fatalf("seed order: %d %v", oid, err)
	}
	// Invoice 1 covers the Warehouse line; the Main Street line stays open
	// so the matrix can create another invoice there.
	if _, err := srv.InvoiceOrderAt(oid, wh.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.RingUpSale(main.ID, heartlandtest.SaleLine{PublicID: "HR-CAP-01", Qty: heartland.DecInt(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAdjustmentSet(ctx, heartland.AdjustmentSetFields{LocationID: main.ID, AdjustmentReasonID: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateWebhook(ctx, "http://127.0.0.1:1/seed", []string{"item_updated"}); err != nil {
		t.Fatal(err)
	}
}

// TestEveryMethodSucceeds runs each method once against a prepared account.
func TestEveryMethodSucceeds(t *testing.T) {
	srv, c := newFake(t)
	seedForMatrix(t, srv, c)
	for _, m := range allMethods(srv) {
		if err := m.call(ctx, c); err != nil {
			t.Errorf("%s: %v", m.name, err)
		}
	}
}

// TestEveryMethodErrorClasses checks that each error class reaches the
// caller of every method as the right typed error.
func TestEveryMethodErrorClasses(t *testing.T) {
	classes := []struct {
		name      string
		fault     heartlandtest.Fault
		sentinel  error
		retryable bool
	}{
		{"not found", heartlandtest.Fault{Status: 404}, heartland.ErrNotFound, false},
		{"validation", heartlandtest.Fault{Status: 422, Details: map[string]any{"qty": []string{"is bad"}}}, heartland.ErrValidation, false},
		{"conflict", heartlandtest.Fault{Status: 409}, heartland.ErrConflict, false},
		{"unauthorized", heartlandtest.Fault{Status: 401}, heartland.ErrUnauthorized, false},
		{"rate limited", heartlandtest.Fault{Status: 429, RetryAfter: 7 * time.Second}, heartland.ErrRateLimited, true},
		{"server", heartlandtest.Fault{Status: 500}, heartland.ErrServer, true},
		{"unavailable", heartlandtest.Fault{Status: 503, RetryAfter: 7 * time.Second}, heartland.ErrRateLimited, true},
	}
	srv, c := newFake(t)
	seedForMatrix(t, srv, c)
	for _, cl := range classes {
		t.Run(cl.name, func(t *testing.T) {
			srv.InjectFault("*", cl.fault)
			defer srv.ClearFaults()
			for _, m := range allMethods(srv) {
				err := m.call(ctx, c)
				if !errors.Is(err, cl.sentinel) {
					t.Errorf("%s: want %v, got %v", m.name, cl.sentinel, err)
					continue
				}
				if heartland.IsRetryable(err) != cl.retryable {
					t.Errorf("%s: IsRetryable=%v", m.name, !cl.retryable)
				}
				var he *heartland.APIError
				if !errors.As(err, &he) || he.Method == "" || !strings.HasPrefix(he.Path, "/") || he.Message == "" {
					t.Errorf("%s: error lacks method/path/message: %+v", m.name, he)
				}
				if d, ok := heartland.RetryDelay(err); ok != (cl.sentinel == heartland.ErrRateLimited) || (ok && d != 7*time.Second) {
					t.Errorf("%s: RetryDelay=%v,%v", m.name, d, ok)
				}
			}
		})
	}
	t.Run("transport", func(t *testing.T) {
		dead := heartlandtest.NewServer()
		dead.Close()
		dc, err := heartland.New(heartland.Config{BaseURL: dead.URL, Token: "t", RequestsPerSecond: -1})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range allMethods(srv) {
			err := m.call(ctx, dc)
			if !errors.Is(err, heartland.ErrTransport) || !heartland.IsRetryable(err) {
				t.Errorf("%s: want retryable transport error, got %v", m.name, err)
			}
		}
	})
	t.Run("bad token", func(t *testing.T) {
		bad := newClient(t, srv, func(cfg *heartland.Config) { cfg.Token = "wrong-token-value" })
		for _, m := range allMethods(srv) {
			err := m.call(ctx, bad)
			if !errors.Is(err, heartland.ErrUnauthorized) {
				t.Errorf("%s: want unauthorized, got %v", m.name, err)
			}
			if strings.Contains(err.Error(), "wrong-token-value") {
				t.Errorf("%s: token leaked in %q", m.name, err)
			}
		}
	})
}

func TestCallerCancellationIsNotRetryable(t *testing.T) {
	srv, c := newFake(t)
	srv.InjectFault("*", heartlandtest.Fault{Latency: time.Hour})
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := c.GetItem(cctx, 1)
	if !errors.Is(err, heartland.ErrTransport) || !errors.Is(err, context.Canceled) || heartland.IsRetryable(err) {
		t.Fatalf("cancelled call: %v retryable=%v", err, heartland.IsRetryable(err))
	}
	_ = http.StatusOK
}
