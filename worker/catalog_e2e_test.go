package worker_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/converter"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// newCatalogStack is a stack whose connection runs in the given catalog mode.
func newCatalogStack(t *testing.T, mode workflows.CatalogMode) *stack {
	t.Helper()
	settings := workflows.DefaultSettings()
	settings.CatalogMode = mode
	return newStack(t, workertest.Options{Settings: &settings})
}

// runCatalog starts a run and waits for its result.
func (s *stack) runCatalog(kind string, opts workflows.CatalogRunOptions) workflows.CatalogProgress {
	s.t.Helper()
	if err := s.Starter.StartCatalogSync(s.ctx(), s.ConnectionID, kind, opts); err != nil {
		s.t.Fatal(err)
	}
	p, err := s.Starter.WaitCatalogSync(s.ctx(), s.ConnectionID, kind)
	if err != nil {
		s.t.Fatalf("catalog %s: %v (%+v)", kind, err, p)
	}
	return p
}

// bcClient is a client on the stack's fake store, for assertions.
func (s *stack) bcClient() *bigcommerce.Client {
	s.t.Helper()
	c, err := bigcommerce.New(s.BC.ClientConfig())
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// bcProducts lists the fake store's products with their variants.
func (s *stack) bcProducts() []bigcommerce.Product {
	s.t.Helper()
	ps, err := s.bcClient().ListProducts(s.ctx(), bigcommerce.ProductFilter{IncludeVariants: true})
	if err != nil {
		s.t.Fatal(err)
	}
	return ps
}

func (s *stack) bcProductBySKU(sku string) (bigcommerce.Product, bool) {
	for _, p := range s.bcProducts() {
		if p.SKU == sku {
			return p, true
		}
		for _, v := range p.Variants {
			if v.SKU == sku {
				return p, true
			}
		}
	}
	return bigcommerce.Product{}, false
}

func problemFor(p workflows.CatalogProgress, sku string) (workflows.CatalogProblem, bool) {
	for _, pr := range p.Problems {
		if pr.SKU == sku {
			return pr, true
		}
	}
	return workflows.CatalogProblem{}, false
}

// seedStoreForPull fills the fake store with a small mixed catalog: two
// simple products, a product with three variants and one without a SKU.
func seedStoreForPull(s *stack) (tee bigcommerce.Product) {
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Enamel Mug", SKU: "MUG-01", Price: dec("14.00"), Weight: dec("0.5"),
		Description: "<p>Holds coffee.</p>", Categories: []int{21}})
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Canvas Tote", SKU: "TOTE-01", Price: dec("22.00")})
	tee = s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Logo Tee", SKU: "TEE", Price: dec("25.00"), Variants: []bigcommercetest.VariantSeed{
		{SKU: "TEE-S", Option: "Small"}, {SKU: "TEE-M", Option: "Medium"}, {SKU: "TEE-L", Option: "Large", Price: catalogDecPtr("27.00")}}})
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Gift Card"})
	return tee
}

func TestCatalogPullEndToEnd(t *testing.T) {
	s := newCatalogStack(t, workflows.CatalogPull)
	s.HL.AddCustomField(heartland.GroupItem, "Department", true)
	tee := seedStoreForPull(s)

	// A required Heartland field without a value: every item is reported.
	p := s.runCatalog(workflows.CatalogKindPull, workflows.CatalogRunOptions{})
	if p.Counts.Created != 0 || p.Counts.Failed != 6 || len(s.HL.Items()) != 0 {
		t.Fatalf("pull without a Department = %+v", p)
	}
	if pr, ok := problemFor(p, "TEE-M"); !ok || !strings.Contains(pr.Reason, `"Department"`) || p.Attention == "" {
		t.Fatalf("TEE-M problem = %+v, attention %q", pr, p.Attention)
	}

	// A Heartland outage on the first create: the page is retried and
	// nothing is created twice.
	s.HL.FailNext("POST /items", 503, 1)
	p = s.runCatalog(workflows.CatalogKindPull, workflows.CatalogRunOptions{Defaults: map[string]string{"Department": "Online"}})
	if p.Counts.Created != 5 || p.Counts.Failed != 1 || p.Stage != workflows.CatalogStageDone || len(s.HL.Items()) != 5 {
		t.Fatalf("pull = %+v", p)
	}
	if pr, ok := problemFor(p, ""); !ok || pr.Name != "Gift Card" || !strings.Contains(pr.Reason, "no SKU") {
		t.Fatalf("no-SKU problem = %+v in %+v", pr, p.Problems)
	}
	fields := map[string]string{}
	for _, f := range s.HL.CustomFields() {
		fields[f.Name] = f.Key
	}
	mug, ok := s.HL.ItemByPublicID("MUG-01")
	if !ok || mug.Description != "Enamel Mug" || !mug.Price.Equal(heartland.Dec("14")) || mug.Weight == nil ||
		!mug.Weight.Equal(heartland.Dec("0.5")) || mug.CustomString(fields[activities.CatalogFieldCategories]) != "21" ||
		mug.CustomString(fields["Department"]) != "Online" {
		t.Fatalf("MUG-01 = %+v (fields %v)", mug, fields)
	}
	large, ok := s.HL.ItemByPublicID("TEE-L")
	if !ok || large.Description != "Logo Tee - Large" || !large.Price.Equal(heartland.Dec("27")) ||
		large.CustomString(fields[activities.CatalogFieldOptions]) != "Option: Large" {
		t.Fatalf("TEE-L = %+v", large)
	}
	for _, sku := range []string{"TEE-S", "TEE-M", "TEE-L"} {
		it, _ := s.HL.ItemByPublicID(sku)
		if got := it.CustomString(fields[activities.CatalogFieldProductID]); got != strconv.Itoa(tee.ID) {
			t.Errorf("%s product id = %q, want %d", sku, got, tee.ID)
		}
	}

	// Re-running the pull creates nothing twice.
	before := len(s.HL.Items())
	p = s.runCatalog(workflows.CatalogKindPull, workflows.CatalogRunOptions{Defaults: map[string]string{"Department": "Online"}})
	if p.Counts.Created != 0 || p.Counts.Skipped != 5 || len(s.HL.Items()) != before || len(s.HL.CustomFields()) != 5 {
		t.Fatalf("re-pull = %+v, items %d → %d", p, before, len(s.HL.Items()))
	}
	s.keepHistory("catalog-pull", workflows.CatalogWorkflowID(s.ConnectionID, workflows.CatalogKindPull))
}

func TestCatalogPushEndToEnd(t *testing.T) {
	s := newCatalogStack(t, workflows.CatalogPush)
	s.HL.AddItem(heartlandtest.ItemSeed{PublicID: "HR-MUG-01", Description: "Mug", Price: heartland.Dec("12"), Cost: heartland.Dec("4"), AvailableOnline: true})
	s.HL.AddItem(heartlandtest.ItemSeed{PublicID: "HR-CAP-01", Description: "Cap", Price: heartland.Dec("18"), Cost: heartland.Dec("6"), AvailableOnline: true})
	s.HL.AddItem(heartlandtest.ItemSeed{PublicID: "HR-SOCK-01", Description: "Socks", Price: heartland.Dec("8"), Cost: heartland.Dec("2")})
	s.HL.AddItem(heartlandtest.ItemSeed{PublicID: "HR-OLD-01", Description: "Retired", Price: heartland.Dec("1"), Inactive: true})
	s.HL.AddGrid(
		heartlandtest.ItemSeed{PublicID: "HR-TEE-S", Description: "Tee - Black - S", Price: heartland.Dec("24"), AvailableOnline: true},
		heartlandtest.ItemSeed{PublicID: "HR-TEE-M", Description: "Tee - Black - M", Price: heartland.Dec("24"), AvailableOnline: true})

	// A dry run writes nothing.
	p := s.runCatalog(workflows.CatalogKindPush, workflows.CatalogRunOptions{DryRun: true})
	if p.Counts.Created != 5 || len(p.Planned) != 4 || len(s.bcProducts()) != 0 {
		t.Fatalf("dry run = %+v", p)
	}

	// The first create is refused (422), the second saved with a 207; the
	// rest go on, and each rejection names its item.
	s.BC.InjectFault(bigcommercetest.Fault{Method: "POST", Path: "/v3/catalog/products", Kind: bigcommercetest.FaultError,
		Status: 422, Title: "The field 'weight' is invalid", Times: 1})
	p = s.runCatalog(workflows.CatalogKindPush, workflows.CatalogRunOptions{PageSize: 2})
	s.BC.ClearFaults()
	if p.Counts.Failed != 1 || p.Counts.Created != 4 || p.Pages < 2 {
		t.Fatalf("push = %+v", p)
	}
	if pr, ok := problemFor(p, "HR-MUG-01"); !ok || pr.Kind != "failed" || !strings.Contains(pr.Reason, "weight") || !strings.Contains(p.Attention, "1 catalog record(s) failed") {
		t.Fatalf("MUG problem = %+v, attention %q", pr, p.Attention)
	}
	if _, ok := s.bcProductBySKU("HR-MUG-01"); ok {
		t.Fatal("the rejected item is in BigCommerce")
	}
	if got := s.searchKeyword(workflows.CatalogWorkflowID(s.ConnectionID, workflows.CatalogKindPush), workflows.AttentionAttr.GetName()); got != p.Attention {
		t.Fatalf("HrbcAttention = %q, want %q", got, p.Attention)
	}
	tee, ok := s.bcProductBySKU("HR-TEE-M")
	if !ok || tee.Name != "Tee" || len(tee.Variants) != 2 {
		t.Fatalf("grid product = %+v", tee)
	}
	if socks, ok := s.bcProductBySKU("HR-SOCK-01"); !ok || socks.IsVisible || !socks.Price.Equal(dec("8")) {
		t.Fatalf("socks = %+v", socks)
	}
	if _, ok := s.bcProductBySKU("HR-OLD-01"); ok {
		t.Fatal("an inactive item was pushed")
	}

	// Create-only: a second push creates the missing one (207: saved with
	// a warning) and leaves changed prices alone.
	setHLPrice(s, "HR-CAP-01", "19.50")
	s.BC.InjectFault(bigcommercetest.Fault{Method: "POST", Path: "/v3/catalog/products", Kind: bigcommercetest.FaultPartial, Times: 1})
	p = s.runCatalog(workflows.CatalogKindPush, workflows.CatalogRunOptions{})
	s.BC.ClearFaults()
	if pr, ok := problemFor(p, "HR-MUG-01"); p.Counts.Created != 1 || p.Counts.Updated != 0 || !ok || pr.Kind != "partial" {
		t.Fatalf("second push = %+v", p)
	}
	if cp, _ := s.bcProductBySKU("HR-CAP-01"); !cp.Price.Equal(dec("18")) {
		t.Fatalf("create-only push changed a price: %+v", cp)
	}

	// --update: name, price and visibility follow Heartland; a batch the
	// store refuses is split and the refused product named.
	setHLPrice(s, "HR-TEE-M", "26")
	s.BC.InjectFault(bigcommercetest.Fault{Method: "PUT", Path: "/v3/catalog/variants", Kind: bigcommercetest.FaultError,
		Status: 422, Title: "Invalid price", Times: 2})
	p = s.runCatalog(workflows.CatalogKindPush, workflows.CatalogRunOptions{Update: true})
	s.BC.ClearFaults()
	if p.Counts.Updated != 1 || p.Counts.Failed != 1 {
		t.Fatalf("update = %+v", p)
	}
	if cp, _ := s.bcProductBySKU("HR-CAP-01"); !cp.Price.Equal(dec("19.50")) {
		t.Fatalf("cap after --update = %+v", cp)
	}
	if pr, ok := problemFor(p, "HR-TEE-M"); !ok || !strings.Contains(pr.Reason, "Invalid price") {
		t.Fatalf("TEE-M problem = %+v in %+v", pr, p.Problems)
	}
	p = s.runCatalog(workflows.CatalogKindPush, workflows.CatalogRunOptions{Update: true})
	tee, _ = s.bcProductBySKU("HR-TEE-M")
	for _, v := range tee.Variants {
		if v.SKU == "HR-TEE-M" && (v.Price == nil || !v.Price.Equal(dec("26"))) {
			t.Fatalf("variant after retry = %+v (%+v)", v, p)
		}
	}
	if p.Counts.Updated != 1 || p.Attention != "" {
		t.Fatalf("retry update = %+v", p)
	}

	// The mode guards the run.
	if err := s.Starter.StartCatalogSync(s.ctx(), s.ConnectionID, workflows.CatalogKindPull, workflows.CatalogRunOptions{}); !errors.Is(err, starter.ErrCatalogMode) {
		t.Fatalf("pull on a push connection: %v", err)
	}
}

func TestCatalogFollowBySignal(t *testing.T) {
	// A manual-mode connection starts no follower of its own and registers
	// no webhook: the test starts the follower and plays the webhook itself.
	s := newCatalogStack(t, workflows.CatalogManual)
	settings := workflows.DefaultSettings()
	settings.CatalogMode = workflows.CatalogPull
	if err := s.Starter.StartCatalogFollow(s.ctx(), workflows.CatalogFollowInput{ConnectionID: s.ConnectionID,
		Settings: settings, SweepInterval: time.Hour}); err != nil {
		t.Fatal(err)
	}
	p := s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "New Beanie", SKU: "BEANIE-01", Price: dec("16")})
	// What the intake does with store/product/created.
	if err := s.Starter.ProductCreated(s.ctx(), s.ConnectionID, p.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "BEANIE-01 in Heartland", func() bool { _, ok := s.HL.ItemByPublicID("BEANIE-01"); return ok })
	it, _ := s.HL.ItemByPublicID("BEANIE-01")
	if it.Description != "New Beanie" || !it.Price.Equal(heartland.Dec("16")) {
		t.Fatalf("item = %+v", it)
	}
	// A duplicate webhook creates nothing twice.
	if err := s.Starter.ProductCreated(s.ctx(), s.ConnectionID, p.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "second signal handled", func() bool {
		st, err := s.Starter.CatalogFollowStatus(s.ctx(), s.ConnectionID)
		return err == nil && st.Signals == 2 && st.Counts.Skipped == 1
	})
	if n := len(s.HL.Items()); n != 1 {
		t.Fatalf("items = %d", n)
	}

	// Pull mode off: the follower ends, and later webhooks are no-ops.
	settings.CatalogMode = workflows.CatalogManual
	if err := s.Temporal.SignalWorkflow(s.ctx(), workflows.CatalogFollowWorkflowID(s.ConnectionID), "", workflows.CatalogSettingsSignal, settings); err != nil {
		t.Fatal(err)
	}
	if err := s.Temporal.GetWorkflow(s.ctx(), workflows.CatalogFollowWorkflowID(s.ConnectionID), "").Get(s.ctx(), nil); err != nil {
		t.Fatalf("follower did not end cleanly: %v", err)
	}
	if err := s.Starter.ProductCreated(s.ctx(), s.ConnectionID, p.ID); err != nil {
		t.Fatalf("webhook without a follower: %v", err)
	}
}

func TestCatalogFollowBySweep(t *testing.T) {
	// A manual-mode connection starts no follower of its own and registers
	// no webhook: the test starts the follower and plays the webhook itself.
	s := newCatalogStack(t, workflows.CatalogManual)
	settings := workflows.DefaultSettings()
	settings.CatalogMode = workflows.CatalogPull
	if err := s.Starter.StartCatalogFollow(s.ctx(), workflows.CatalogFollowInput{ConnectionID: s.ConnectionID,
		Settings: settings, SweepInterval: time.Second}); err != nil {
		t.Fatal(err)
	}
	// No webhook reaches hrbc (none is registered): the sweep finds it.
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Scarf", SKU: "", Variants: []bigcommercetest.VariantSeed{
		{SKU: "SCARF-RED", Option: "Red"}, {SKU: "SCARF-BLU", Option: "Blue"}}})
	waitFor(t, "scarf variants in Heartland", func() bool {
		_, red := s.HL.ItemByPublicID("SCARF-RED")
		_, blue := s.HL.ItemByPublicID("SCARF-BLU")
		return red && blue
	})
	st, err := s.Starter.CatalogFollowStatus(s.ctx(), s.ConnectionID)
	if err != nil || st.Sweeps == 0 || st.Counts.Created != 2 || st.Watermark.IsZero() {
		t.Fatalf("status = %+v, %v", st, err)
	}
}

func TestCatalogLinksEndToEnd(t *testing.T) {
	s := newCatalogStack(t, workflows.CatalogManual)
	for _, sku := range []string{"LINKED-1", "LINKED-2", "HL-ONLY"} {
		s.HL.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: sku, Price: heartland.Dec("5")})
	}
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "One", SKU: "LINKED-1"})
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Two", SKU: "PARENT", Variants: []bigcommercetest.VariantSeed{
		{SKU: "LINKED-2", Option: "A"}, {SKU: "BC-ONLY", Option: "B"}}})
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Blank"})
	rep, err := s.Starter.CatalogLinks(s.ctx(), s.ConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Linked != 2 || strings.Join(rep.HeartlandOnly, ",") != "HL-ONLY" || strings.Join(rep.BigCommerceOnly, ",") != "BC-ONLY" ||
		rep.ProblemCount != 1 || rep.Problems[0].Name != "Blank" {
		t.Fatalf("links = %+v", rep)
	}
}

func setHLPrice(s *stack, sku, price string) {
	s.t.Helper()
	c, err := heartland.New(s.HL.ClientConfig())
	if err != nil {
		s.t.Fatal(err)
	}
	it, ok := s.HL.ItemByPublicID(sku)
	if !ok {
		s.t.Fatalf("no item %s", sku)
	}
	if err := c.UpdateItem(s.ctx(), it.ID, heartland.ItemFields{Price: heartland.Dec(price).Ptr()}); err != nil {
		s.t.Fatal(err)
	}
}

// catalogDecPtr is a decimal literal's pointer.
func catalogDecPtr(v string) *decimal.Decimal { d := dec(v); return &d }

// searchKeyword reads a Keyword search attribute of a workflow's latest run.
func (s *stack) searchKeyword(workflowID, name string) string {
	s.t.Helper()
	d, err := s.Temporal.DescribeWorkflowExecution(s.ctx(), workflowID, "")
	if err != nil {
		s.t.Fatal(err)
	}
	p, ok := d.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields()[name]
	if !ok {
		return ""
	}
	var v string
	if err := converter.GetDefaultDataConverter().FromPayload(p, &v); err != nil {
		s.t.Fatal(err)
	}
	return v
}

func TestCatalogFollowByWebhookFromTheConnection(t *testing.T) {
	// Pull mode on the connection starts the follower and registers the
	// product webhook; a product created in the store reaches Heartland.
	s := newCatalogStack(t, workflows.CatalogPull)
	waitFor(t, "product webhook registered", func() bool {
		for _, h := range s.BC.Hooks() {
			if h.Scope == "store/product/created" && h.IsActive {
				return true
			}
		}
		return false
	})
	waitFor(t, "catalog follower running", func() bool {
		_, err := s.Starter.CatalogFollowStatus(s.ctx(), s.ConnectionID)
		return err == nil
	})
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Webhook Lamp", SKU: "LAMP-1", Price: decimal.RequireFromString("30.00")})
	waitFor(t, "new product pulled into Heartland", func() bool {
		_, ok := s.HL.ItemByPublicID("LAMP-1")
		return ok
	})
}

// TestCatalogPullWhileTheFollowerSweeps: products created in the minute
// before a full pull are in the follower's first sweeps too. Before the
// pull told the follower, both went through them at the same moment and
// each item was created twice (the second rejected as a duplicate Item #);
// now every item is written once (the follower leaves them to the pull
// once told; what it took before that, the pull finds and skips).
func TestCatalogPullWhileTheFollowerSweeps(t *testing.T) {
	s := newCatalogStack(t, workflows.CatalogManual)
	const products = 40
	for i := range products {
		sku := "RACE-" + strconv.Itoa(i+1)
		s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Race " + sku, SKU: sku, Price: dec("9"), Variants: []bigcommercetest.VariantSeed{
			{SKU: sku + "-A", Option: "A"}, {SKU: sku + "-B", Option: "B"}}})
	}
	// BigCommerce dates have whole seconds: products created in the second
	// the pull starts are the follower's too (and harmless, a few at most).
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(1100 * time.Millisecond)))
	// Slow Heartland writes make the pull last several sweep intervals.
	s.HL.InjectFault("POST /items", heartlandtest.Fault{Latency: 40 * time.Millisecond})
	settings := workflows.DefaultSettings()
	settings.CatalogMode = workflows.CatalogPull
	if err := s.Starter.StartCatalogFollow(s.ctx(), workflows.CatalogFollowInput{ConnectionID: s.ConnectionID,
		Settings: settings, SweepInterval: 500 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Starter.ConfigureConnection(s.ctx(), s.ConnectionID, settings, 0); err != nil {
		t.Fatal(err)
	}
	p := s.runCatalog(workflows.CatalogKindPull, workflows.CatalogRunOptions{})
	st, err := s.Starter.CatalogFollowStatus(s.ctx(), s.ConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	during := st.Sweeps
	// Let a sweep under way finish, so its counts are in.
	waitFor(t, "a sweep after the pull", func() bool {
		st, err = s.Starter.CatalogFollowStatus(s.ctx(), s.ConnectionID)
		return err == nil && st.Sweeps >= during+2
	})
	t.Logf("pull %+v in %v; follower swept %d time(s) meanwhile, %+v", p.Counts, p.FinishedAt.Sub(p.StartedAt), during, st.Counts)
	if during == 0 {
		t.Fatalf("the follower did not sweep during the pull (%v): the test proves nothing", p.FinishedAt.Sub(p.StartedAt))
	}
	// Every item is created exactly once, by one of the two: none is
	// refused as a duplicate, none is written twice. Which of the two
	// takes which depends on whether the follower's first sweep began
	// before the pull told it (on a busy machine it can), so only the sum
	// is fixed.
	if p.Counts.Failed != 0 || st.Counts.Failed != 0 || p.Counts.Created+st.Counts.Created != 2*products ||
		p.Counts.Created+p.Counts.Skipped != 2*products || len(s.HL.Items()) != 2*products {
		t.Fatalf("pull = %+v, follower = %+v, items %d: want each of %d items created once", p.Counts, st.Counts, len(s.HL.Items()), 2*products)
	}
	if !st.Watermark.Equal(p.StartedAt) {
		t.Fatalf("follower watermark %v, want the pull's start %v", st.Watermark, p.StartedAt)
	}
}
