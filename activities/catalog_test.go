package activities

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/activities/testclock"
	"github.com/shopspring/decimal"
)

// catFixture is both fakes, empty, with the catalog activities on them.
type catFixture struct {
	t       *testing.T
	bc      *bigcommercetest.Server
	hl      *heartlandtest.Server
	env     *testsuite.TestActivityEnvironment
	bcCalls *countingTransport
	hlCalls *countingTransport
}

func newCatFixture(t *testing.T, opts ...func(*Catalog)) *catFixture {
	t.Helper()
	return newCatFixtureAt(t, testclock.Seconds, opts...)
}

// newCatFixtureAt is newCatFixture with the store's record clock given.
func newCatFixtureAt(t *testing.T, storeClock func() time.Time, opts ...func(*Catalog)) *catFixture {
	t.Helper()
	f := &catFixture{t: t, bc: bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit(), bigcommercetest.WithClock(storeClock)), hl: heartlandtest.NewServer(heartlandtest.WithClock(testclock.Now)),
		bcCalls: &countingTransport{}, hlCalls: &countingTransport{}}
	t.Cleanup(f.bc.Close)
	t.Cleanup(f.hl.Close)
	bcCfg := f.bc.ClientConfig()
	bcCfg.HTTPClient = &http.Client{Transport: f.bcCalls}
	bcClient, err := bigcommerce.New(bcCfg)
	if err != nil {
		t.Fatal(err)
	}
	hlCfg := f.hl.ClientConfig()
	hlCfg.HTTPClient = &http.Client{Transport: f.hlCalls}
	hlClient, err := heartland.New(hlCfg)
	if err != nil {
		t.Fatal(err)
	}
	conns := NewConnections()
	conns.Add("shop", Clients{BigCommerce: bcClient, Heartland: hlClient})
	var suite testsuite.WorkflowTestSuite
	f.env = suite.NewTestActivityEnvironment()
	cat := &Catalog{Connections: conns}
	for _, o := range opts {
		o(cat)
	}
	f.env.RegisterActivity(cat)
	return f
}

func (f *catFixture) fields(dry bool) CatalogFieldKeys {
	f.t.Helper()
	v, err := f.env.ExecuteActivity("EnsureCatalogCustomFields", CatalogFieldsRequest{ConnectionID: "shop", DryRun: dry})
	if err != nil {
		f.t.Fatal(err)
	}
	var k CatalogFieldKeys
	if err := v.Get(&k); err != nil {
		f.t.Fatal(err)
	}
	return k
}

func (f *catFixture) pull(req PullPageRequest) CatalogPageResult {
	f.t.Helper()
	req.ConnectionID = "shop"
	v, err := f.env.ExecuteActivity("PullProductsPage", req)
	if err != nil {
		f.t.Fatal(err)
	}
	var res CatalogPageResult
	if err := v.Get(&res); err != nil {
		f.t.Fatal(err)
	}
	return res
}

func (f *catFixture) push(req PushPageRequest) CatalogPageResult {
	f.t.Helper()
	req.ConnectionID = "shop"
	v, err := f.env.ExecuteActivity("PushItemsPage", req)
	if err != nil {
		f.t.Fatal(err)
	}
	var res CatalogPageResult
	if err := v.Get(&res); err != nil {
		f.t.Fatal(err)
	}
	return res
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestPullProductsPageCreatesItemsOnce(t *testing.T) {
	f := newCatFixture(t)
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG", Price: d("12.50"), Weight: d("0.4"), Categories: []int{3, 7}})
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Price: d("20"), Variants: []bigcommercetest.VariantSeed{
		{SKU: "TEE-S", Option: "S"}, {SKU: "TEE-M", Option: "M", Price: ptrDec(d("22"))}}})
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Gift card"})

	keys := f.fields(false)
	if keys.ProductID == "" || keys.Options == "" || len(f.hl.CustomFields()) != 4 {
		t.Fatalf("keys = %+v, fields = %+v", keys, f.hl.CustomFields())
	}
	res := f.pull(PullPageRequest{Page: 1, Fields: keys})
	if res.Counts.Created != 3 || res.Counts.Failed != 1 || !res.Done || len(res.Problems) != 1 ||
		!strings.Contains(res.Problems[0].Reason, "no SKU") || res.Problems[0].Name != "Gift card" {
		t.Fatalf("first pull = %+v", res)
	}
	if len(res.LinkedItemIDs) != 3 {
		t.Errorf("linked items %v, want the three created", res.LinkedItemIDs)
	}
	mug, ok := f.hl.ItemByPublicID("MUG")
	if !ok || mug.Description != "Mug" || !mug.Price.Equal(heartland.Dec("12.50")) || mug.CustomString(keys.Categories) != "3,7" {
		t.Fatalf("MUG = %+v", mug)
	}
	teeM, _ := f.hl.ItemByPublicID("TEE-M")
	teeS, _ := f.hl.ItemByPublicID("TEE-S")
	if teeM.Description != "Tee - M" || !teeM.Price.Equal(heartland.Dec("22")) || teeM.CustomString(keys.Options) != "Option: M" ||
		teeM.CustomString(keys.ProductID) == "" || teeM.CustomString(keys.ProductID) != teeS.CustomString(keys.ProductID) {
		t.Fatalf("TEE-M = %+v, TEE-S = %+v", teeM, teeS)
	}
	if _, ok := f.hl.ItemByPublicID("TEE"); ok {
		t.Fatal("the parent SKU of a product with variants became an item")
	}

	again := f.pull(PullPageRequest{Page: 1, Fields: f.fields(false)})
	if again.Counts.Created != 0 || again.Counts.Skipped != 3 || len(f.hl.Items()) != 3 || len(f.hl.CustomFields()) != 4 {
		t.Fatalf("re-pull = %+v, items %d", again, len(f.hl.Items()))
	}

	// Pulled variants are linked by Item # = variant SKU: a push with
	// --update carries a Heartland price change to the variant.
	f.setPrice("TEE-M", "30")
	res = f.push(PushPageRequest{Update: true})
	if res.Counts.Updated != 1 || res.Counts.Created != 0 || res.Counts.Failed != 0 {
		t.Fatalf("push after pull = %+v", res)
	}
	for _, v := range f.product("TEE-M").Variants {
		if v.SKU == "TEE-M" && (v.Price == nil || !v.Price.Equal(d("30"))) {
			t.Fatalf("TEE-M variant = %+v", v)
		}
	}
}

func TestPullProductsPageRequiredCustomField(t *testing.T) {
	f := newCatFixture(t)
	f.hl.AddCustomField(heartland.GroupItem, "Department", true)
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG"})
	keys := f.fields(false)
	if len(keys.Required) != 1 {
		t.Fatalf("required = %+v", keys.Required)
	}
	res := f.pull(PullPageRequest{Page: 1, Fields: keys})
	if res.Counts.Failed != 1 || !strings.Contains(res.Problems[0].Reason, `"Department"`) || len(f.hl.Items()) != 0 {
		t.Fatalf("pull without default = %+v", res)
	}
	res = f.pull(PullPageRequest{Page: 1, Fields: keys, Defaults: map[string]string{"Department": "Web"}})
	it, ok := f.hl.ItemByPublicID("MUG")
	if res.Counts.Created != 1 || !ok || it.CustomString("department") != "Web" {
		t.Fatalf("pull with default = %+v, item %+v", res, it)
	}
}

func TestPushItemsPageCreatesUpdatesAndIsolatesRejections(t *testing.T) {
	f := newCatFixture(t)
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "MUG", Description: "Mug", Price: heartland.Dec("9"), Cost: heartland.Dec("3"), AvailableOnline: true})
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "CAP", Description: "Cap", Price: heartland.Dec("15"), Cost: heartland.Dec("5")})
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "OLD", Description: "Old", Price: heartland.Dec("1"), Inactive: true})
	f.hl.AddGrid(
		heartlandtest.ItemSeed{PublicID: "TEE-S", Description: "Tee - S", Price: heartland.Dec("20")},
		heartlandtest.ItemSeed{PublicID: "TEE-M", Description: "Tee - M", Price: heartland.Dec("21")})

	dry := f.push(PushPageRequest{DryRun: true})
	if dry.Counts.Created != 4 || len(dry.Planned) != 3 || len(f.productSKUs()) != 0 {
		t.Fatalf("dry run = %+v, products %v", dry, f.productSKUs())
	}

	// The first create is refused; the others go on.
	remove := f.bc.InjectFault(bigcommercetest.Fault{Method: "POST", Path: "/v3/catalog/products",
		Kind: bigcommercetest.FaultError, Status: 422, Title: "Invalid weight", Times: 1})
	res := f.push(PushPageRequest{PageSize: 2})
	remove()
	if res.Counts.Failed != 1 || res.Problems[0].SKU != "MUG" || !strings.Contains(res.Problems[0].Reason, "Invalid weight") || res.Done {
		t.Fatalf("page 1 = %+v", res)
	}
	res = f.push(PushPageRequest{PageSize: 2, Cursor: res.Cursor})
	if res.Counts.Created != 2 || !res.Done {
		t.Fatalf("page 2 = %+v", res)
	}
	// The grid's two items are linked now: their stock is to be written.
	if len(res.LinkedItemIDs) != 2 || len(dry.LinkedItemIDs) != 0 {
		t.Errorf("linked items %v (dry run %v), want the grid's two", res.LinkedItemIDs, dry.LinkedItemIDs)
	}
	if got := f.productSKUs(); strings.Join(got, ",") != "CAP,TEE-M,TEE-S" {
		t.Fatalf("BigCommerce SKUs = %v", got)
	}

	// Re-run creates MUG (207: saved with a warning) and leaves the rest.
	f.bc.InjectFault(bigcommercetest.Fault{Method: "POST", Path: "/v3/catalog/products", Kind: bigcommercetest.FaultPartial, Times: 1})
	res = f.push(PushPageRequest{})
	if res.Counts.Created != 1 || res.Counts.Skipped != 3 || len(res.Problems) != 1 || res.Problems[0].Kind != CatalogProblemPartial {
		t.Fatalf("re-push = %+v", res)
	}

	// --update: a changed price and a changed grid member.
	f.setPrice("CAP", "17")
	f.setPrice("TEE-M", "25")
	res = f.push(PushPageRequest{Update: true})
	if res.Counts.Updated != 2 || res.Counts.Failed != 0 {
		t.Fatalf("update = %+v", res)
	}
	cap := f.product("CAP")
	if !cap.Price.Equal(d("17")) {
		t.Fatalf("CAP = %+v", cap)
	}
	tee := f.product("TEE-M")
	for _, v := range tee.Variants {
		if v.SKU == "TEE-M" && (v.Price == nil || !v.Price.Equal(d("25"))) {
			t.Fatalf("TEE-M variant = %+v", v)
		}
	}
}

func TestCatalogLinksReportsBothSidesAndProblems(t *testing.T) {
	f := newCatFixture(t)
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "MUG", Description: "Mug"})
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "tee-s", Description: "Tee S"})
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "HL-ONLY", Description: "Only here"})
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG"})
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{{SKU: "TEE-S", Option: "S"}}})
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "No SKU"})
	v, err := f.env.ExecuteActivity("CatalogLinks", CatalogLinksRequest{ConnectionID: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	var rep CatalogLinksReport
	if err := v.Get(&rep); err != nil {
		t.Fatal(err)
	}
	if rep.Linked != 1 || strings.Join(rep.BigCommerceOnly, ",") != "TEE-S" || strings.Join(rep.HeartlandOnly, ",") != "HL-ONLY,tee-s" || rep.ProblemCount != 2 {
		t.Fatalf("report = %+v", rep)
	}
}

func (f *catFixture) productSKUs() []string {
	f.t.Helper()
	c, _ := bigcommerce.New(f.bc.ClientConfig())
	ps, err := c.ListProducts(f.t.Context(), bigcommerce.ProductFilter{IncludeVariants: true})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		for _, r := range linkRecords(p) {
			out = append(out, r.sku)
		}
	}
	sort.Strings(out)
	return out
}

func (f *catFixture) product(sku string) bigcommerce.Product {
	f.t.Helper()
	c, _ := bigcommerce.New(f.bc.ClientConfig())
	vs, err := c.ListVariants(f.t.Context(), bigcommerce.VariantFilter{SKU: sku})
	if err != nil || len(vs) != 1 {
		f.t.Fatalf("variant %s: %v %v", sku, vs, err)
	}
	p, err := c.GetProduct(f.t.Context(), vs[0].ProductID)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *catFixture) setPrice(sku, price string) {
	f.t.Helper()
	c, _ := heartland.New(f.hl.ClientConfig())
	it, ok := f.hl.ItemByPublicID(sku)
	if !ok {
		f.t.Fatalf("no item %s", sku)
	}
	if err := c.UpdateItem(f.t.Context(), it.ID, heartland.ItemFields{Price: heartland.Dec(price).Ptr()}); err != nil {
		f.t.Fatal(err)
	}
}

func ptrDec(v decimal.Decimal) *decimal.Decimal { return &v }

// TestPullDemoStoreCallCounts pulls the sandbox's demo store into an empty
// Heartland account and counts the API calls: one product page, one field
// list, four field creates with their read-backs, one Item # lookup and one
// create per SKU is the least the APIs allow. A re-pull reads and writes
// nothing more than the product page, the field list and the lookup.
func TestPullDemoStoreCallCounts(t *testing.T) {
	f := newCatFixture(t)
	f.bc.DemoSeed()
	f.bcCalls.n.Store(0)
	f.hlCalls.n.Store(0)
	res := f.pull(PullPageRequest{Page: 1, Fields: f.fields(false)})
	bcN, hlN := f.bcCalls.n.Load(), f.hlCalls.n.Load()
	t.Logf("pull of the demo store: %d records, %d created; %d BigCommerce + %d Heartland calls", res.Counts.Read, res.Counts.Created, bcN, hlN)
	if res.Counts.Created != 13 || bcN != 1 || hlN != 1+4*2+1+13 {
		t.Fatalf("pull = %+v; calls BigCommerce %d, Heartland %d", res, bcN, hlN)
	}
	f.bcCalls.n.Store(0)
	f.hlCalls.n.Store(0)
	res = f.pull(PullPageRequest{Page: 1, Fields: f.fields(false)})
	bcN, hlN = f.bcCalls.n.Load(), f.hlCalls.n.Load()
	t.Logf("re-pull: %d skipped; %d BigCommerce + %d Heartland calls", res.Counts.Skipped, bcN, hlN)
	if res.Counts.Created != 0 || res.Counts.Skipped != 13 || bcN != 1 || hlN != 2 {
		t.Fatalf("re-pull = %+v; calls BigCommerce %d, Heartland %d", res, bcN, hlN)
	}
}

func TestPushItemsPageFilter(t *testing.T) {
	f := newCatFixture(t)
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "WEB", Description: "Web item", Price: heartland.Dec("5"), AvailableOnline: true})
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "SHOP", Description: "Shop item", Price: heartland.Dec("5")})
	f.hl.AddCustomField(heartland.GroupItem, "Sold Online", false)
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "TAGGED", Description: "Tagged", Price: heartland.Dec("5"), Custom: map[string]any{"sold_online": "yes"}})
	res := f.push(PushPageRequest{Filter: []byte(`{"available_online":true}`)})
	if res.Counts.Created != 1 || strings.Join(f.productSKUs(), ",") != "WEB" {
		t.Fatalf("available_online push = %+v, %v", res, f.productSKUs())
	}
	res = f.push(PushPageRequest{Filter: []byte(`{"custom@sold_online":"yes"}`)})
	if res.Counts.Created != 1 || strings.Join(f.productSKUs(), ",") != "TAGGED,WEB" {
		t.Fatalf("custom field push = %+v, %v", res, f.productSKUs())
	}
	if _, err := f.env.ExecuteActivity("PushItemsPage", PushPageRequest{ConnectionID: "shop", Filter: []byte(`[1]`)}); err == nil ||
		!strings.Contains(err.Error(), "JSON object") {
		t.Fatalf("bad filter: %v", err)
	}
}

// TestPushDemoAccountCallCounts pushes the sandbox's demo account into an
// empty store and counts the calls: per page one item read, one read of
// each grid's members and one sku:in product lookup; per new simple item
// a variant lookup (its SKU may be another product's variant) and the
// create; per grid a variant lookup per member and one create.
func TestPushDemoAccountCallCounts(t *testing.T) {
	f := newCatFixture(t)
	heartlandtest.DemoSeed(f.hl)
	f.bcCalls.n.Store(0)
	f.hlCalls.n.Store(0)
	res := f.push(PushPageRequest{})
	bcN, hlN := f.bcCalls.n.Load(), f.hlCalls.n.Load()
	t.Logf("push of the demo account: %d items, %d created; %d BigCommerce + %d Heartland calls", res.Counts.Read, res.Counts.Created, bcN, hlN)
	if res.Counts.Created != 10 || hlN != 2 || bcN != 1+5*2+5+1 {
		t.Fatalf("push = %+v; calls BigCommerce %d, Heartland %d", res, bcN, hlN)
	}
	tee := f.product("HR-TEE-WHT-M")
	if tee.Name != "Heartland Tee" || len(tee.Variants) != 5 {
		t.Fatalf("grid product = %+v", tee)
	}
	f.bcCalls.n.Store(0)
	res = f.push(PushPageRequest{Update: true})
	t.Logf("re-push --update: %d skipped, %d updated; %d BigCommerce calls", res.Counts.Skipped, res.Counts.Updated, f.bcCalls.n.Load())
	if res.Counts.Updated != 0 || res.Counts.Skipped != 10 {
		t.Fatalf("re-push = %+v", res)
	}
}

// seedPullProducts adds n products of v variants each (simple when v is 0)
// to the fake store, with SKUs PULL-00001….
func (f *catFixture) seedPullProducts(n, v int) {
	for i := range n {
		sku := fmt.Sprintf("PULL-%05d", i+1)
		seed := bigcommercetest.ProductSeed{Name: "Product " + sku, SKU: sku, Price: d("20")}
		for j := range v {
			seed.Variants = append(seed.Variants, bigcommercetest.VariantSeed{SKU: fmt.Sprintf("%s-%d", sku, j+1), Option: fmt.Sprintf("Size %d", j+1)})
		}
		f.bc.AddProduct(seed)
	}
}

// TestPullProductsPageLooksUpAPageAtOnce: a full page of 250 products is
// one BigCommerce read, one Heartland $in lookup and one create per SKU;
// with two variants each, its 500 SKUs take two lookups (the query string
// stays short enough for proxies). A re-pull only reads and looks up.
func TestPullProductsPageLooksUpAPageAtOnce(t *testing.T) {
	for _, tc := range []struct{ products, variants, lookups int }{{250, 0, 1}, {250, 2, 2}} {
		t.Run(fmt.Sprintf("%dx%d", tc.products, tc.variants), func(t *testing.T) {
			f := newCatFixture(t)
			f.seedPullProducts(tc.products, tc.variants)
			keys := f.fields(false)
			skus := tc.products * max(tc.variants, 1)
			f.bcCalls.n.Store(0)
			f.hlCalls.n.Store(0)
			res := f.pull(PullPageRequest{Page: 1, PageSize: 250, Fields: keys})
			if res.Counts.Created != skus || !res.Done || len(f.hl.Items()) != skus {
				t.Fatalf("pull = %+v, items %d", res.Counts, len(f.hl.Items()))
			}
			if bcN, hlN := f.bcCalls.n.Load(), f.hlCalls.n.Load(); bcN != 1 || hlN != int64(tc.lookups+skus) {
				t.Fatalf("calls BigCommerce %d, Heartland %d; want 1 and %d lookup(s) + %d creates", bcN, hlN, tc.lookups, skus)
			}
			f.hlCalls.n.Store(0)
			again := f.pull(PullPageRequest{Page: 1, PageSize: 250, Fields: keys})
			if again.Counts.Skipped != skus || again.Counts.Created != 0 || f.hlCalls.n.Load() != int64(tc.lookups) {
				t.Fatalf("re-pull = %+v with %d Heartland calls", again.Counts, f.hlCalls.n.Load())
			}
		})
	}
}

// TestPullProductsPageTimeBudget: a page that outlasts the budget is
// handed on record by record; the activities that follow go on where the
// last stopped, and together they create every item once and report the
// product without a SKU once.
func TestPullProductsPageTimeBudget(t *testing.T) {
	f := newCatFixture(t, func(c *Catalog) { c.PageBudget = time.Nanosecond })
	f.seedPullProducts(3, 2)
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Gift card"})
	keys := f.fields(false)
	f.hlCalls.n.Store(0)
	var total CatalogCounts
	problems, parts := 0, 0
	for resume := 0; ; parts++ {
		res := f.pull(PullPageRequest{Page: 1, Resume: resume, Fields: keys})
		total = total.Add(res.Counts)
		problems += len(res.Problems)
		if res.ResumeAt == 0 {
			if !res.Done || res.NextPage != 0 {
				t.Fatalf("last part = %+v", res)
			}
			break
		}
		if res.ResumeAt <= resume || res.NextPage != 1 || res.Done {
			t.Fatalf("part at %d = %+v", resume, res)
		}
		resume = res.ResumeAt
	}
	if parts != 5 || total.Created != 6 || total.Read != 7 || total.Failed != 1 || problems != 1 || len(f.hl.Items()) != 6 {
		t.Fatalf("%d activities, counts %+v, %d problems, %d items", parts+1, total, problems, len(f.hl.Items()))
	}
	// Each part is one lookup and one create: nothing is looked up or
	// written twice.
	if n := f.hlCalls.n.Load(); n != 12 {
		t.Fatalf("Heartland calls = %d, want 6 lookups + 6 creates", n)
	}
}

// TestPullProductsPageResumesAfterACrash: an attempt created three items
// but its last heartbeat said one; the retry looks the rest up in one call
// and creates only the two that are missing.
func TestPullProductsPageResumesAfterACrash(t *testing.T) {
	f := newCatFixture(t)
	f.seedPullProducts(5, 0)
	keys := f.fields(false)
	for _, sku := range []string{"PULL-00001", "PULL-00002", "PULL-00003"} {
		f.hl.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: sku})
	}
	f.env.SetHeartbeatDetails(CatalogPageResult{Counts: CatalogCounts{Read: 1, Created: 1}, Position: 1})
	f.hlCalls.n.Store(0)
	res := f.pull(PullPageRequest{Page: 1, Fields: keys})
	if res.Counts.Created != 3 || res.Counts.Skipped != 2 || res.Counts.Read != 5 || len(f.hl.Items()) != 5 {
		t.Fatalf("retry = %+v, items %d", res.Counts, len(f.hl.Items()))
	}
	if n := f.hlCalls.n.Load(); n != 3 {
		t.Fatalf("Heartland calls = %d, want 1 lookup + 2 creates", n)
	}
}

// A keyset pull reads the products after the last id done, so a product
// deleted between two pages cannot shift another past the pull (page
// numbers would skip one).
func TestPullProductsPageKeysetSurvivesADelete(t *testing.T) {
	for _, keyset := range []bool{true, false} {
		t.Run(fmt.Sprintf("keyset=%v", keyset), func(t *testing.T) {
			f := newCatFixture(t)
			oldest := f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Oldest", SKU: "PULL-OLDEST", Price: d("20")})
			f.seedPullProducts(4, 0)
			keys := f.fields(false)
			first := f.pull(PullPageRequest{Page: 1, PageSize: 2, Keyset: keyset, Fields: keys})
			if first.Counts.Created != 2 || first.Done || first.TotalPages != 3 || first.Total != 5 {
				t.Fatalf("first page = %+v", first)
			}
			if keyset && first.NextAfterID == 0 {
				t.Fatalf("first page gave no keyset position: %+v", first)
			}
			// The first product goes while the pull is between pages.
			if !f.bc.DeleteProduct(oldest.ID) {
				t.Fatal("no product to delete")
			}
			req := PullPageRequest{Page: first.NextPage, PageSize: 2, Keyset: keyset, AfterID: first.NextAfterID, Fields: keys}
			created := first.Counts.Created
			for {
				res := f.pull(req)
				created += res.Counts.Created
				if res.Done {
					break
				}
				req.Page, req.AfterID = res.NextPage, res.NextAfterID
			}
			if keyset && (created != 5 || len(f.hl.Items()) != 5) {
				t.Errorf("keyset pull created %d items (%d in Heartland), want all 5", created, len(f.hl.Items()))
			}
			if !keyset && created != 4 {
				t.Errorf("page-number pull created %d, expected it to skip one (4): the test no longer shows the shift", created)
			}
		})
	}
}

// The follower's sweep asks the store with a filter the API documents
// (date_modified:min; a store ignores date_created:min and would hand over
// its whole catalog every minute) and pulls only the products created
// since, not the older ones edited since.
func TestPullCreatedSinceAsksByModificationAndKeepsTheNew(t *testing.T) {
	start := testclock.Seconds()
	now := start
	f := newCatFixtureAt(t, func() time.Time { return now })
	edited := f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Edited", SKU: "OLD-EDITED"})
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Untouched", SKU: "OLD-UNTOUCHED"})
	since := start.Add(time.Hour)
	now = since.Add(time.Minute)
	bcClient, err := bigcommerce.New(f.bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	name := "Edited again"
	if _, err := bcClient.UpdateProducts(t.Context(), []bigcommerce.ProductUpdate{{ID: edited.ID, Name: &name}}); err != nil {
		t.Fatal(err)
	}
	now = since.Add(2 * time.Minute)
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "New", SKU: "NEW"})

	res := f.pull(PullPageRequest{CreatedSince: since, Fields: f.fields(false)})
	var got []string
	for _, it := range f.hl.Items() {
		got = append(got, it.PublicID)
	}
	if len(got) != 1 || got[0] != "NEW" || res.Counts.Created != 1 || res.Counts.Read != 1 {
		t.Fatalf("Heartland items %v, counts %+v; want only NEW pulled", got, res.Counts)
	}
	// The store was asked for the two products modified since, not all three.
	if res.Total != 2 {
		t.Errorf("the store listed %d products, want the 2 modified since the watermark", res.Total)
	}
	if !res.NewestCreated.Equal(now) {
		t.Errorf("newest created %v, want %v", res.NewestCreated, now)
	}
}
