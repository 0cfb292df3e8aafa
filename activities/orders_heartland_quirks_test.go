package activities

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/activities/testclock"
)

// These tests run the order activities against accounts that behave each
// way Heartland's unconfirmed behaviour could: cancel-status spelling,
// invoices with or without lines, the payment class.

// quirkFixture is newOrderFixture on a fake with opts, its Heartland
// client configured by cfg, counting the Heartland calls by "METHOD path".
type quirkFixture struct {
	*orderFixture
	calls *hlCallCounter
}

type hlCallCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *hlCallCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n[r.Method+" "+r.URL.Path]++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// count returns how many calls matched method and path prefix.
func (c *hlCallCounter) count(method, prefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range c.n {
		if strings.HasPrefix(k, method+" "+prefix) {
			n += v
		}
	}
	return n
}

func newQuirkFixture(t *testing.T, cfg func(*heartland.Config), opts ...heartlandtest.Option) *quirkFixture {
	t.Helper()
	f := &orderFixture{ctx: context.Background()}
	f.bc = bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit(), bigcommercetest.WithClock(testclock.Seconds))
	t.Cleanup(f.bc.Close)
	f.hl = heartlandtest.NewServer(append([]heartlandtest.Option{heartlandtest.WithClock(testclock.Now)}, opts...)...)
	t.Cleanup(f.hl.Close)
	f.main = f.hl.AddLocation("01", "Main Street", "Register 1")
	f.website = f.hl.AddLocation("WEB", "Website", "Web Station")
	f.itemA = f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "SKU-A", Description: "A", Price: heartland.DecInt(10), Cost: heartland.DecInt(4)}).ID
	f.hl.SetStock("SKU-A", f.main.ID, heartland.DecInt(10))
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "A", SKU: "SKU-A", Price: decimal.RequireFromString("10.00"), Stock: map[int]int{0: 10}})
	o, err := f.bc.AddOrder(bigcommercetest.OrderSeed{CustomerEmail: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
		ShippingCost: decimal.RequireFromString("5.00"), Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	f.orderID = o.ID
	bcClient, err := bigcommerce.New(f.bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	calls := &hlCallCounter{n: map[string]int{}}
	hc := f.hl.ClientConfig()
	hc.HTTPClient = &http.Client{Transport: calls, Timeout: 10 * time.Second}
	if cfg != nil {
		cfg(&hc)
	}
	hlClient, err := heartland.New(hc)
	if err != nil {
		t.Fatal(err)
	}
	conns := NewConnections()
	conns.Add("shop", Clients{BigCommerce: bcClient, Heartland: hlClient})
	f.acts = &Orders{Connections: conns}
	return &quirkFixture{orderFixture: f, calls: calls}
}

// plain is a second Heartland client, for what staff do in Heartland.
func (f *quirkFixture) plain(t *testing.T) *heartland.Client {
	t.Helper()
	c, err := heartland.New(f.hl.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *quirkFixture) cancel(ref SalesOrderRef) error {
	return f.acts.SetSalesOrderStatus(f.ctx, SalesOrderStatusRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID, Status: heartland.OrderCanceled})
}

// wantReleased checks the cancelled order commits no stock any more.
func (f *quirkFixture) wantReleased(t *testing.T) {
	t.Helper()
	if st := f.hl.Stock("SKU-A", f.website.ID); !st.Committed.IsZero() {
		t.Errorf("stock still committed after the cancel: %s", st)
	}
}

func (f *quirkFixture) wantStatus(t *testing.T, ref SalesOrderRef, account string) {
	t.Helper()
	o, _ := f.hl.OrderByPublicID("BC-1")
	if o.Order.Status != account {
		t.Errorf("Heartland order status %q, want the account's %q", o.Order.Status, account)
	}
	snap, err := f.acts.ReadHeartlandOrder(f.ctx, HeartlandOrderRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID})
	if err != nil || snap.Status != heartland.OrderCanceled {
		t.Errorf("the workflow reads %q (%v), want %q", snap.Status, err, heartland.OrderCanceled)
	}
}

// An account that spells it "cancelled" refuses "canceled": hrbc tries the
// other spellings, keeps the one taken, and reads it back as "canceled".
func TestCancelStatusLearnedFromARefusal(t *testing.T) {
	f := newQuirkFixture(t, nil, heartlandtest.WithOrderStatuses("cancelled", "closed"))
	ref := f.importOrder(t)
	if st := f.hl.Stock("SKU-A", f.website.ID); st.Committed.IsZero() {
		t.Fatal("the open order commits nothing")
	}
	if err := f.cancel(ref); err != nil {
		t.Fatal(err)
	}
	f.wantStatus(t, ref, "cancelled")
	f.wantReleased(t)
	if got, _ := f.acts.vocab.learned("shop", f.acts.Connections.clients["shop"].Heartland, heartland.OrderCanceled); got != "cancelled" {
		t.Errorf("learned %q", got)
	}
	// Cancelling again is a no-op: the order is cancelled in hrbc's words.
	puts := f.calls.count("PUT", "/api/sales/orders/")
	if err := f.cancel(ref); err != nil || f.calls.count("PUT", "/api/sales/orders/") != puts {
		t.Errorf("second cancel: %v, %d more PUTs", err, f.calls.count("PUT", "/api/sales/orders/")-puts)
	}
}

// An account with cancelled orders already shows its spelling: the first
// cancel sends it, with no refusal on the way.
func TestCancelStatusLearnedFromExistingOrders(t *testing.T) {
	f := newQuirkFixture(t, nil, heartlandtest.WithOrderStatuses("voided", "closed"))
	staff := f.plain(t)
	old, err := staff.CreateSalesOrder(f.ctx, heartland.SalesOrderFields{PublicID: new("POS-1"),
		SourceLocationID: &f.main.ID, StationID: &f.main.Stations[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := staff.SetSalesOrderStatus(f.ctx, old, "voided"); err != nil {
		t.Fatal(err)
	}
	ref := f.importOrder(t)
	puts := f.calls.count("PUT", "/api/sales/orders/")
	if err := f.cancel(ref); err != nil {
		t.Fatal(err)
	}
	if n := f.calls.count("PUT", "/api/sales/orders/") - puts; n != 1 {
		t.Errorf("%d status PUTs, want 1: the spelling comes from the existing order", n)
	}
	f.wantStatus(t, ref, "voided")
	f.wantReleased(t)
}

// An answer that names the allowed values is read: the named spelling is
// tried next, before the others.
func TestCancelStatusNamedInTheRefusal(t *testing.T) {
	f := newQuirkFixture(t, nil, heartlandtest.WithOrderStatuses("void", "closed"))
	ref := f.importOrder(t)
	f.hl.InjectFault("PUT /sales/orders/{id}", heartlandtest.Fault{Status: 422, Times: 1,
		Message: "Status must be one of: pending, open, closed, void", Details: map[string]any{"status": []string{"is not included in the list"}}})
	puts := f.calls.count("PUT", "/api/sales/orders/")
	if err := f.cancel(ref); err != nil {
		t.Fatal(err)
	}
	if n := f.calls.count("PUT", "/api/sales/orders/") - puts; n != 2 {
		t.Errorf("%d status PUTs, want 2: refused, then the spelling the answer named", n)
	}
	f.wantStatus(t, ref, "void")
}

// A configured spelling (HRBC_CONNECTION_<n>_HEARTLAND_CANCEL_STATUS) is
// sent as it is and read back as "canceled".
func TestCancelStatusOverride(t *testing.T) {
	f := newQuirkFixture(t, func(c *heartland.Config) { c.OrderCancelStatus = "abandoned" },
		heartlandtest.WithOrderStatuses("abandoned", "closed"))
	ref := f.importOrder(t)
	gets := f.calls.count("GET", "/api/sales/orders")
	if err := f.cancel(ref); err != nil {
		t.Fatal(err)
	}
	if n := f.calls.count("GET", "/api/sales/orders") - gets; n != 1 {
		t.Errorf("%d order reads, want only the order itself: nothing to learn", n)
	}
	f.wantStatus(t, ref, "abandoned")
	f.wantReleased(t)
}

// An account that cannot cancel an order by status refuses every
// spelling: the activity fails for good with Heartland's message (the
// Order workflow shows it as attention), never silently.
func TestRefusedCancelIsAnAttentionWithHeartlandsMessage(t *testing.T) {
	f := newQuirkFixture(t, nil, heartlandtest.WithOrderStatuses("", "closed"))
	ref := f.importOrder(t)
	err := f.cancel(ref)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != ErrTypeHeartlandStatusRefused || !appErr.NonRetryable() ||
		!strings.Contains(err.Error(), "Status is not included in the list") {
		t.Fatalf("refused cancel: %v", err)
	}
	if o, _ := f.hl.OrderByPublicID("BC-1"); o.Order.Status != heartland.OrderOpen {
		t.Errorf("order %q", o.Order.Status)
	}
}

// Outside fulfillment gives the invoice its lines whether Heartland fills
// an invoice by itself or not: either way the invoice carries the line,
// its total the goods plus shipping, and completing it takes the stock.
func TestOutsideFulfillmentInvoiceLines(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []heartlandtest.Option
	}{{"account fills invoices", nil}, {"account leaves invoices empty", []heartlandtest.Option{heartlandtest.WithEmptyInvoices()}}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newQuirkFixture(t, nil, tc.opts...)
			ref := f.importOrder(t)
			if err := f.acts.DistributeLines(f.ctx, DistributeRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
				Lines: []LineLocation{{LineID: ref.Lines[0].LineID, LocationID: f.main.ID}}}); err != nil {
				t.Fatal(err)
			}
			if err := f.acts.RecordOutsideFulfillment(f.ctx, OutsideFulfillmentRequest{ConnectionID: "shop",
				HeartlandOrderID: ref.ID, LocationID: f.main.ID, Amount: "25.00"}); err != nil {
				t.Fatal(err)
			}
			invs := f.hl.InvoicesOfOrder(ref.ID)
			if len(invs) != 1 || len(invs[0].Lines) != 1 || !invs[0].Lines[0].Qty.Equal(heartland.DecInt(2)) ||
				!invs[0].Invoice.Completed || !invs[0].Invoice.Total.Equal(heartland.DecInt(25)) {
				t.Fatalf("invoices %+v", invs)
			}
			if st := f.hl.Stock("SKU-A", f.main.ID); !st.OnHand.Equal(heartland.DecInt(8)) || !st.Committed.IsZero() {
				t.Errorf("stock at Main after the invoice: %s", st)
			}
			// A rerun adds nothing.
			if err := f.acts.RecordOutsideFulfillment(f.ctx, OutsideFulfillmentRequest{ConnectionID: "shop",
				HeartlandOrderID: ref.ID, LocationID: f.main.ID, Amount: "25.00"}); err != nil {
				t.Fatal(err)
			}
			if invs := f.hl.InvoicesOfOrder(ref.ID); len(invs) != 1 || len(invs[0].Lines) != 1 {
				t.Errorf("after a rerun: %+v", invs)
			}
		})
	}
}

// The payment class is learned: an account that takes only
// Payments::ExternalPayment refuses the others and gets that one.
func TestPaymentClassLearnedFromTheAccount(t *testing.T) {
	f := newQuirkFixture(t, nil, heartlandtest.WithPaymentClasses("Payments::ExternalPayment"))
	ref, inv := f.invoiced(t)
	if err := f.acts.RecordInvoicePayment(f.ctx, InvoicePaymentRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		InvoiceID: inv.ID, Amount: inv.Total}); err != nil {
		t.Fatal(err)
	}
	o, _ := f.hl.OrderByPublicID("BC-1")
	if len(o.Payments) != 1 || o.Payments[0].Type != "Payments::ExternalPayment" {
		t.Fatalf("payments %+v", o.Payments)
	}
	// Known from now on: the next payment is one POST.
	posts := f.calls.count("POST", "/api/sales/orders/")
	if err := f.acts.RecordInvoicePayment(f.ctx, InvoicePaymentRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		InvoiceID: inv.ID + 1000, Amount: "1.00"}); err != nil {
		t.Fatal(err)
	}
	if n := f.calls.count("POST", "/api/sales/orders/") - posts; n != 1 {
		t.Errorf("%d payment POSTs, want 1", n)
	}
}

// A payment already on the order shows the class in use: the first POST
// uses it.
func TestPaymentClassReadFromBookedPayments(t *testing.T) {
	f := newQuirkFixture(t, nil, heartlandtest.WithPaymentClasses("ExternalPayment"))
	ref, inv := f.invoiced(t)
	staff := f.plain(t)
	pt, err := staff.CreatePaymentType(f.ctx, ExternalPaymentTypeName)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := staff.AddSalesOrderPayment(f.ctx, ref.ID, heartland.PaymentFields{Type: "ExternalPayment", PaymentTypeID: pt,
		Amount: heartland.DecInt(1), Deposit: true, Description: "by hand"}); err != nil {
		t.Fatal(err)
	}
	posts := f.calls.count("POST", "/api/sales/orders/")
	if err := f.acts.RecordInvoicePayment(f.ctx, InvoicePaymentRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		InvoiceID: inv.ID, Amount: "2.00"}); err != nil {
		t.Fatal(err)
	}
	if n := f.calls.count("POST", "/api/sales/orders/") - posts; n != 1 {
		t.Errorf("%d payment POSTs, want 1", n)
	}
}

// Two registrations racing (a cold start runs two) leave one Heartland
// hook per event, as the BigCommerce half already does.
func TestEnsureWebhooksConcurrentlyRegistersOnce(t *testing.T) {
	f := newOrderFixture(t)
	w := &Webhooks{Connections: f.acts.Connections, PublicURL: "https://hrbc.example.com"}
	// Both look up before either creates: latency on the create holds the
	// first one back until the second has listed too.
	f.hl.InjectFault("POST /webhooks", heartlandtest.Fault{Latency: 200 * time.Millisecond})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.EnsureWebhooks(f.ctx, ConnectionRequest{ConnectionID: "shop"})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	count := map[string]int{}
	for _, h := range f.hl.Webhooks() {
		for _, e := range h.Events {
			count[e]++
		}
	}
	for _, e := range HeartlandWebhookEvents {
		if count[e] != 1 {
			t.Errorf("event %s: %d Heartland hooks, want 1 (%v)", e, count[e], count)
		}
	}
}

// Where the invoice carries the shipping (Heartland's help pages), the
// invoice's payment is goods plus shipping and settling books nothing
// more: the balance is 0 and the total paid what BigCommerce captured.
func TestSettleWhenTheInvoiceCarriesTheShipping(t *testing.T) {
	f := newQuirkFixture(t, nil)
	ref := f.paidInvoice(t)
	res, err := f.acts.SettleOrderPayment(f.ctx, SettleRequest{ConnectionID: "shop", OrderID: f.orderID, HeartlandOrderID: ref.ID})
	if err != nil || res.Problem != "" || res.Balance != "0.00" || res.TotalPaid != "25.00" || res.Captured != "25.00" {
		t.Fatalf("settle = %+v %v", res, err)
	}
	if o, _ := f.hl.OrderByPublicID("BC-1"); len(o.Payments) != 1 || !o.Payments[0].Amount.Equal(heartland.DecInt(25)) {
		t.Errorf("payments %+v, want the invoice's 25.00 only", o.Payments)
	}
}
