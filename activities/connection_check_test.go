package activities

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/activities/testclock"
)

// checkFixture is the sandbox's demo store and account (Heartland
// locations 1 Main Street, 2 Warehouse, 3 Website), with options to make
// each check fail.
type checkFixture struct {
	t      *testing.T
	bc     *bigcommercetest.Server
	hl     *heartlandtest.Server
	checks *ConnectionChecks
	conns  *Connections
	demo   bigcommercetest.Demo
}

// product finds a demo product by SKU.
func (f *checkFixture) product(sku string) bigcommerce.Product {
	f.t.Helper()
	for _, p := range f.demo.Products {
		if p.SKU == sku {
			return p
		}
	}
	f.t.Fatalf("no demo product %s", sku)
	return bigcommerce.Product{}
}

func newCheckFixture(t *testing.T, bcOpts []bigcommercetest.Option, hlOpts ...heartlandtest.Option) *checkFixture {
	t.Helper()
	bcs := bigcommercetest.NewServer(append([]bigcommercetest.Option{bigcommercetest.WithoutRateLimit(),
		bigcommercetest.WithClock(testclock.Seconds)}, bcOpts...)...)
	t.Cleanup(bcs.Close)
	if len(hlOpts) == 0 {
		hlOpts = []heartlandtest.Option{heartlandtest.WithDemoSeed()}
	}
	hls := heartlandtest.NewServer(append([]heartlandtest.Option{heartlandtest.WithClock(testclock.Now)}, hlOpts...)...)
	t.Cleanup(hls.Close)
	f := &checkFixture{t: t, bc: bcs, hl: hls, conns: NewConnections(), demo: bcs.DemoSeed()}
	f.connect(bcs.ClientConfig(), hls.ClientConfig())
	f.checks = &ConnectionChecks{Connections: f.conns, Now: testclock.Now}
	return f
}

// connect (re)registers the demo connection's clients.
func (f *checkFixture) connect(bcCfg bigcommerce.Config, hlCfg heartland.Config) {
	f.t.Helper()
	bcc, err := bigcommerce.New(bcCfg)
	if err != nil {
		f.t.Fatal(err)
	}
	hlc, err := heartland.New(hlCfg)
	if err != nil {
		f.t.Fatal(err)
	}
	f.conns.Add("demo", Clients{BigCommerce: bcc, Heartland: hlc})
}

// demoSettings are the sandbox demo connection's settings.
func demoSettings() CheckSettings {
	return CheckSettings{AllLocations: true, SourceLocationID: 3, OrderSync: true, InventorySync: true}
}

func (f *checkFixture) run(in ConnectionCheckInput) CheckReport {
	f.t.Helper()
	if in.ConnectionID == "" {
		in.ConnectionID = "demo"
	}
	rep, err := f.checks.CheckConnection(context.Background(), in)
	if err != nil {
		f.t.Fatal(err)
	}
	return rep
}

// line finds a check's line, failing the test when there is none.
func line(t *testing.T, rep CheckReport, check string) CheckLine {
	t.Helper()
	for _, l := range rep.Lines {
		if l.Check == check {
			return l
		}
	}
	t.Fatalf("no %q line in %+v", check, rep.Lines)
	return CheckLine{}
}

func expect(t *testing.T, rep CheckReport, check, status string, found ...string) CheckLine {
	t.Helper()
	l := line(t, rep, check)
	if l.Status != status {
		t.Errorf("%s: status %s, want %s (%s)", check, l.Status, status, l.Found)
	}
	for _, s := range found {
		if !strings.Contains(l.Found, s) {
			t.Errorf("%s: %q does not say %q", check, l.Found, s)
		}
	}
	return l
}

func TestCheckSandboxDemoPassesWithWarnings(t *testing.T) {
	f := newCheckFixture(t, nil)
	rep := f.run(ConnectionCheckInput{Settings: demoSettings()})
	if rep.Fails != 0 {
		t.Errorf("the demo connection fails checks: %+v", rep.Lines)
	}
	expect(t, rep, "credentials", CheckOK)
	expect(t, rep, "bigcommerce token", CheckOK, "every scope")
	expect(t, rep, "heartland account", CheckOK, "3 locations")
	expect(t, rep, "locations", CheckOK, "1 Main Street, 2 Warehouse, 3 Website")
	expect(t, rep, "website location", CheckOK)
	expect(t, rep, "payment type", CheckWarn, "BigCommerce External")
	expect(t, rep, "payment capture", CheckWarn, "2 of 2 recent orders are only authorized")
	expect(t, rep, "customized products", CheckOK)
	expect(t, rep, "gift wrapping", CheckWarn, "accept gift wrapping")
	expect(t, rep, "sku links", CheckOK)
	expect(t, rep, "one-sided skus", CheckWarn, "3 only in BigCommerce", "GIFT-DIG")
	expect(t, rep, "inventory blast radius", CheckOK, "0 of 11 in-stock SKUs to 0")
	expect(t, rep, "webhooks", CheckWarn, "no public URL")
}

func TestCheckCredentialsMissing(t *testing.T) {
	f := newCheckFixture(t, nil)
	rep := f.run(ConnectionCheckInput{ConnectionID: "acme", Settings: demoSettings()})
	expect(t, rep, "credentials", CheckFail, "order or inventory sync is on")
	if len(rep.Lines) != 1 || rep.Fails != 1 {
		t.Errorf("nothing else can be checked without credentials: %+v", rep.Lines)
	}
	rep = f.run(ConnectionCheckInput{ConnectionID: "acme", Settings: CheckSettings{AllLocations: true}})
	expect(t, rep, "credentials", CheckWarn, "no credentials")
}

func TestCheckBigCommerceTokenScopes(t *testing.T) {
	f := newCheckFixture(t, []bigcommercetest.Option{bigcommercetest.WithScopes(bigcommerce.ScopeProducts, bigcommerce.ScopeInventory,
		bigcommerce.ScopeLocationsRead, bigcommerce.ScopeOrders)})
	rep := f.run(ConnectionCheckInput{Settings: demoSettings()})
	l := expect(t, rep, "bigcommerce token", CheckFail, "lacks the scope store_v2_transactions")
	if strings.Contains(l.Found, "store_v2_products") || !strings.Contains(l.Fix, "store_v2_transactions") {
		t.Errorf("names the wrong scopes: %+v", l)
	}
	// A read-only products scope cannot push a catalog.
	f = newCheckFixture(t, []bigcommercetest.Option{bigcommercetest.WithScopes(bigcommerce.ScopeProductsReadOnly, bigcommerce.ScopeInventory,
		bigcommerce.ScopeLocationsRead, bigcommerce.ScopeOrders, bigcommerce.ScopeTransactions)})
	rep = f.run(ConnectionCheckInput{Settings: demoSettings(), SettingsOnly: true})
	expect(t, rep, "bigcommerce token", CheckOK, "answers")
	rep = f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "bigcommerce token", CheckFail, "store_v2_products")
}

func TestCheckTokensRefused(t *testing.T) {
	f := newCheckFixture(t, nil)
	bcCfg, hlCfg := f.bc.ClientConfig(), f.hl.ClientConfig()
	bcCfg.AccessToken, hlCfg.Token = bigcommerce.Secret("wrong-token-0123456789"), heartland.Secret("wrong-token-0123456789")
	f.connect(bcCfg, hlCfg)
	rep := f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "bigcommerce token", CheckFail, "401")
	expect(t, rep, "heartland account", CheckFail, "refused the token")
}

func TestCheckHeartlandSubdomain(t *testing.T) {
	f := newCheckFixture(t, nil)
	hlCfg := f.hl.ClientConfig()
	hlCfg.BaseURL = f.hl.URL + "/nosuchaccount"
	f.connect(f.bc.ClientConfig(), hlCfg)
	rep := f.run(ConnectionCheckInput{Settings: demoSettings()})
	l := expect(t, rep, "heartland account", CheckFail)
	if !strings.Contains(l.Fix, "SUBDOMAIN") {
		t.Errorf("fix = %q", l.Fix)
	}
}

func TestCheckLocations(t *testing.T) {
	f := newCheckFixture(t, nil)
	s := demoSettings()
	s.AllLocations, s.LocationIDs, s.AutoDistributeLocationID = false, []int64{1, 99}, 42
	rep := f.run(ConnectionCheckInput{Settings: s, SettingsOnly: true})
	if !rep.SettingsOnly || rep.Fails != 2 {
		t.Fatalf("report = %+v", rep)
	}
	var fields []string
	for _, l := range rep.Lines {
		if l.Status == CheckFail {
			fields = append(fields, l.Field)
			if !strings.Contains(l.Found, "valid: 1 Main Street, 2 Warehouse, 3 Website") {
				t.Errorf("%q does not list the valid locations", l.Found)
			}
		}
	}
	if strings.Join(fields, ",") != "location_ids,auto_distribute_location_id" {
		t.Errorf("failed fields = %v", fields)
	}
	// Order sync on without a source location, and Heartland's Website
	// location suggested.
	s = CheckSettings{AllLocations: true, OrderSync: true}
	rep = f.run(ConnectionCheckInput{Settings: s, SettingsOnly: true})
	expect(t, rep, "locations", CheckFail, "without a source location")
	l := expect(t, rep, "website location", CheckWarn, `"Website" (3)`)
	if l.Fix != "starter connection configure demo --source-location 3" {
		t.Errorf("fix = %q", l.Fix)
	}
}

func TestCheckSuggestsAWebsiteLocation(t *testing.T) {
	f := newCheckFixture(t, nil, heartlandtest.WithSeed(func(s *heartlandtest.Server) {
		s.AddLocation("01", "Main Street", "Register 1")
	}))
	rep := f.run(ConnectionCheckInput{Settings: CheckSettings{AllLocations: true}, SettingsOnly: true})
	expect(t, rep, "website location", CheckWarn, `no "Website" location`)
}

func TestCheckPaymentTypeFix(t *testing.T) {
	f := newCheckFixture(t, nil)
	rep := f.run(ConnectionCheckInput{Settings: demoSettings(), Fix: true})
	expect(t, rep, "payment type", CheckOK, "created")
	var found bool
	for _, pt := range f.hl.PaymentTypes() {
		found = found || pt.Name == ExternalPaymentTypeName
	}
	if !found || len(rep.Fixed) != 1 {
		t.Fatalf("--fix did not create the payment type: %+v, fixed %v", f.hl.PaymentTypes(), rep.Fixed)
	}
	rep = f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "payment type", CheckOK, "exists")
}

func TestCheckCaptureMode(t *testing.T) {
	f := newCheckFixture(t, nil)
	f.bc.MustAddOrder(bigcommercetest.OrderSeed{CustomerEmail: "c@example.com", PaymentStatus: bigcommerce.PaymentCaptured,
		Lines: []bigcommercetest.OrderLine{{SKU: "HR-MUG-01", Quantity: 1}}})
	rep := f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "payment capture", CheckWarn, "2 of 3 recent orders are only authorized")

	for _, o := range f.demo.Orders {
		if err := f.bc.SetOrderStatus(o.ID, bigcommerce.StatusCancelled); err != nil {
			t.Fatal(err)
		}
	}
	rep = f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "payment capture", CheckOK, "captures at checkout: 1 of 1")
	onShipment := demoSettings()
	onShipment.Capture = CaptureOnFirstShipment
	rep = f.run(ConnectionCheckInput{Settings: onShipment})
	expect(t, rep, "payment capture", CheckWarn, "but the connection's capture is on_first_shipment")

	// An authorize-only store: orders wait in Awaiting Payment (7).
	f.bc.MustAddOrder(bigcommercetest.OrderSeed{CustomerEmail: "d@example.com", StatusID: bigcommerce.StatusAwaitingPayment,
		PaymentStatus: bigcommerce.PaymentAuthorized, Lines: []bigcommercetest.OrderLine{{SKU: "HR-MUG-01", Quantity: 1}}})
	rep = f.run(ConnectionCheckInput{Settings: demoSettings()})
	l := expect(t, rep, "payment capture", CheckFail, "1 of 2 recent orders wait in Awaiting Payment")
	if !strings.Contains(l.Fix, "on_first_shipment") {
		t.Errorf("fix = %q", l.Fix)
	}
	rep = f.run(ConnectionCheckInput{Settings: onShipment})
	expect(t, rep, "payment capture", CheckWarn, "1 of 2 recent orders are only authorized")
}

func TestCheckCustomizedProducts(t *testing.T) {
	f := newCheckFixture(t, nil)
	tote := f.product("HR-TOTE-01")
	f.bc.SetModifiers(tote.ID, bigcommerce.Modifier{DisplayName: "Engraving", Type: "text"})
	for _, p := range f.demo.Products {
		f.bc.SetGiftWrapping(p.ID, bigcommerce.GiftWrapNone)
	}
	f.bc.SetGiftWrapping(f.product("HR-CAP-01").ID, bigcommerce.GiftWrapList)
	rep := f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "customized products", CheckWarn, "1 products take customizations", "HR-TOTE-01", "Engraving: text")
	l := expect(t, rep, "gift wrapping", CheckWarn, "1 products accept gift wrapping", "HR-CAP-01")
	if strings.Contains(l.Found, "HR-MUG-01") {
		t.Errorf("lists a product without wrapping: %s", l.Found)
	}
}

func TestCheckSKUsThatCannotLink(t *testing.T) {
	f := newCheckFixture(t, nil)
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug again", SKU: "hr-mug-02"})
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "HR-MUG-02", Description: "Mug 2", Price: heartland.Dec("1"), Cost: heartland.Dec("1")})
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "HL-ONLY", Description: "Only here", Price: heartland.Dec("1"), Cost: heartland.Dec("1")})
	rep := f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "sku links", CheckWarn, "1 SKUs cannot link", "hr-mug-02", "case or spaces")
	expect(t, rep, "one-sided skus", CheckWarn, "4 only in BigCommerce", "2 only in Heartland")
}

// TestCheckBlastRadiusOfStockOnlyInBigCommerce is a store whose stock was
// never entered in Heartland: a first sync would zero it.
func TestCheckBlastRadiusOfStockOnlyInBigCommerce(t *testing.T) {
	f := newCheckFixture(t, nil)
	for _, sku := range heartlandtest.DemoSKUs {
		for _, loc := range f.hl.Locations() {
			f.hl.SetStock(sku, loc.ID, heartland.DecInt(0))
		}
	}
	before, _ := f.bc.StockLevel("HR-MUG-01", 0)
	rep := f.run(ConnectionCheckInput{Settings: demoSettings()})
	l := expect(t, rep, "inventory blast radius", CheckFail, "10 of 11 in-stock SKUs to 0", "HR-MUG-01 18→0", "limit 20%")
	if !strings.Contains(l.Fix, "--confirm") {
		t.Errorf("fix = %q", l.Fix)
	}
	if after, _ := f.bc.StockLevel("HR-MUG-01", 0); after != before {
		t.Errorf("the check wrote the store: %d → %d", before, after)
	}
	s := demoSettings()
	s.InventorySync = false
	rep = f.run(ConnectionCheckInput{Settings: s})
	expect(t, rep, "inventory blast radius", CheckWarn, "10 of 11")
}

func TestCheckWebhookDestination(t *testing.T) {
	f := newCheckFixture(t, nil)
	health := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(health.Close)
	f.checks.HTTPClient = health.Client()
	f.checks.PublicURL = health.URL
	rep := f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "webhooks", CheckOK, "/webhooks/bigcommerce/demo", "answers")

	f.checks.PublicURL = "http://hrbc.example.invalid"
	rep = f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "webhooks", CheckFail, "not https", "does not answer")

	f.checks.PublicURL = "http://127.0.0.1:1"
	rep = f.run(ConnectionCheckInput{Settings: demoSettings()})
	expect(t, rep, "webhooks", CheckWarn, "fine for the sandbox")
}
