package activities

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/activities/testclock"
)

// countingTransport counts the HTTP calls a client makes.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// invFixture is both fakes seeded with a small mixed catalog:
//
//	MUG    product-tracked; Heartland 5 @main, 3 @warehouse, 100 @outlet
//	TEE-S  variant-tracked;  Heartland 2 @main
//	TEE-M  variant-tracked;  Heartland 7 @warehouse
//	CAP    untracked on BigCommerce; Heartland 4 @main
//	HL-ONLY no BigCommerce SKU;  BC-ONLY no Heartland item
type invFixture struct {
	t                     *testing.T
	bc                    *bigcommercetest.Server
	hl                    *heartlandtest.Server
	inv                   *Inventory
	env                   *testsuite.TestActivityEnvironment
	main, warehouse, outl int64
	hlCalls               *countingTransport
}

func newInvFixture(t *testing.T, hlOpts ...heartlandtest.Option) *invFixture {
	t.Helper()
	return newInvFixtureWith(t, nil, hlOpts...)
}

// newInvFixtureWith is newInvFixture with options for the fake store too.
func newInvFixtureWith(t *testing.T, bcOpts []bigcommercetest.Option, hlOpts ...heartlandtest.Option) *invFixture {
	t.Helper()
	bc := bigcommercetest.NewServer(append([]bigcommercetest.Option{bigcommercetest.WithoutRateLimit(), bigcommercetest.WithClock(testclock.Seconds)}, bcOpts...)...)
	t.Cleanup(bc.Close)
	hl := heartlandtest.NewServer(append([]heartlandtest.Option{heartlandtest.WithClock(testclock.Now)}, hlOpts...)...)
	t.Cleanup(hl.Close)
	f := &invFixture{t: t, bc: bc, hl: hl, hlCalls: &countingTransport{}}
	f.main = hl.AddLocation("01", "Main", "Register 1").ID
	f.warehouse = hl.AddLocation("02", "Warehouse", "Dock").ID
	f.outl = hl.AddLocation("03", "Outlet", "Till").ID
	for _, sku := range []string{"MUG", "TEE-S", "TEE-M", "CAP", "HL-ONLY"} {
		hl.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: sku, Price: heartland.Dec("10"), Cost: heartland.Dec("4")})
	}
	hl.SetStock("MUG", f.main, heartland.DecInt(5))
	hl.SetStock("MUG", f.warehouse, heartland.DecInt(3))
	hl.SetStock("MUG", f.outl, heartland.DecInt(100))
	hl.SetStock("TEE-S", f.main, heartland.DecInt(2))
	hl.SetStock("TEE-M", f.warehouse, heartland.DecInt(7))
	hl.SetStock("CAP", f.main, heartland.DecInt(4))

	bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG", Stock: map[int]int{0: 1}})
	bc.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{
		{SKU: "TEE-S", Option: "S", Stock: map[int]int{0: 2}}, {SKU: "TEE-M", Option: "M"},
	}})
	bc.AddProduct(bigcommercetest.ProductSeed{Name: "Cap", SKU: "CAP", Tracking: bigcommerce.TrackingNone})
	bc.AddProduct(bigcommercetest.ProductSeed{Name: "Only online", SKU: "BC-ONLY"})

	bcClient, err := bigcommerce.New(bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	hlCfg := hl.ClientConfig()
	hlCfg.HTTPClient = &http.Client{Transport: f.hlCalls}
	hlClient, err := heartland.New(hlCfg)
	if err != nil {
		t.Fatal(err)
	}
	conns := NewConnections()
	conns.Add("shop", Clients{BigCommerce: bcClient, Heartland: hlClient})
	f.inv = &Inventory{Connections: conns}
	var suite testsuite.WorkflowTestSuite
	f.env = suite.NewTestActivityEnvironment()
	f.env.RegisterActivity(f.inv)
	return f
}

func (f *invFixture) scope() InventoryScope {
	return InventoryScope{LocationIDs: []int64{f.main, f.warehouse}}
}

func (f *invFixture) level(sku string) int {
	f.t.Helper()
	n, ok := f.bc.StockLevel(sku, 0)
	if !ok {
		f.t.Fatalf("BigCommerce has no tracked SKU %s", sku)
	}
	return n
}

// changes runs one incremental round for the fixture's connection and scope.
func (f *invFixture) changes(in InventoryChangesInput) InventoryChangesResult {
	f.t.Helper()
	in.ConnectionID, in.Scope = "shop", f.scope()
	v, err := f.env.ExecuteActivity(f.inv.SyncInventoryChanges, in)
	if err != nil {
		f.t.Fatal(err)
	}
	var res InventoryChangesResult
	if err := v.Get(&res); err != nil {
		f.t.Fatal(err)
	}
	return res
}

// pass runs a whole pass chunk by chunk.
func (f *invFixture) pass(passID string, scope InventoryScope, maxItems int) (InventoryPassResult, int) {
	f.t.Helper()
	var total InventoryPassResult
	chunks := 0
	for {
		v, err := f.env.ExecuteActivity(f.inv.SyncInventoryChunk, InventoryPassInput{
			ConnectionID: "shop", Scope: scope, PassID: passID, Cursor: total.Cursor, MaxItems: maxItems,
		})
		if err != nil {
			f.t.Fatal(err)
		}
		var res InventoryPassResult
		if err := v.Get(&res); err != nil {
			f.t.Fatal(err)
		}
		chunks++
		total.Cursor, total.Done = res.Cursor, res.Done
		total.Total = max(total.Total, res.Total)
		total.Counts = total.Counts.Add(res.Counts)
		total.Writes += res.Writes
		total.UnmatchedSample = append(total.UnmatchedSample, res.UnmatchedSample...)
		total.UntrackedSample = append(total.UntrackedSample, res.UntrackedSample...)
		if res.Done {
			return total, chunks
		}
	}
}

func TestInventoryFullPassWritesOnlyDifferences(t *testing.T) {
	f := newInvFixture(t)
	bcBefore := f.bc.Stats().Requests
	hlBefore := f.hlCalls.n.Load()
	res, _ := f.pass("p1", f.scope(), 0)
	want := InventoryPassCounts{Read: 5, Written: 2, Skipped: 1, Unmatched: 1, Untracked: 1}
	if res.Counts != want || !res.Done || res.Total != 5 || res.Writes != 1 {
		t.Fatalf("pass = %+v, want counts %+v, total 5, one write", res, want)
	}
	// Outlet does not contribute: MUG = 5 + 3.
	if got := f.level("MUG"); got != 8 {
		t.Errorf("MUG = %d, want 8", got)
	}
	if got := f.level("TEE-S"); got != 2 {
		t.Errorf("TEE-S = %d, want 2 (already right)", got)
	}
	if got := f.level("TEE-M"); got != 7 {
		t.Errorf("TEE-M = %d, want 7", got)
	}
	if !slices.Equal(res.UnmatchedSample, []string{"HL-ONLY"}) || !slices.Equal(res.UntrackedSample, []string{"CAP"}) {
		t.Errorf("samples = %v / %v", res.UnmatchedSample, res.UntrackedSample)
	}
	// Minimum: BigCommerce default location + products + levels + 1 write;
	// Heartland items (their count comes with the page) + values.
	if bc := f.bc.Stats().Requests - bcBefore; bc != 4 {
		t.Errorf("BigCommerce calls = %d, want 4", bc)
	}
	if hl := f.hlCalls.n.Load() - hlBefore; hl != 2 {
		t.Errorf("Heartland calls = %d, want 2", hl)
	}

	fin := f.finish("p1")
	if fin.BigCommerceOnly != 1 || !slices.Equal(fin.BigCommerceOnlySample, []string{"BC-ONLY"}) {
		t.Errorf("finish = %+v, want BC-ONLY", fin)
	}

	// A second pass finds nothing to correct.
	again, _ := f.pass("p2", f.scope(), 0)
	if again.Counts.Written != 0 || again.Counts.Skipped != 3 || again.Writes != 0 {
		t.Errorf("second pass = %+v, want 0 written, 3 skipped", again.Counts)
	}
}

func TestInventoryPassInChunksAndAllLocations(t *testing.T) {
	f := newInvFixture(t)
	res, chunks := f.pass("p1", InventoryScope{AllLocations: true, SafetyBuffer: 1}, 2)
	if chunks != 3 || res.Counts.Read != 5 || !res.Done {
		t.Fatalf("%d chunks, %+v; want 3 chunks reading 5", chunks, res)
	}
	// All locations, one unit held back: MUG 108-1, TEE-S 2-1, TEE-M 7-1.
	for sku, want := range map[string]int{"MUG": 107, "TEE-S": 1, "TEE-M": 6} {
		if got := f.level(sku); got != want {
			t.Errorf("%s = %d, want %d", sku, got, want)
		}
	}
}

func TestInventoryChangesFollowSalesAndReceipts(t *testing.T) {
	f := newInvFixture(t)
	f.pass("p1", f.scope(), 0)
	since := time.Now().Add(-time.Minute)
	// The seed movements are all read once.
	first := f.changes(InventoryChangesInput{Since: since})
	if first.Movements != 6 || first.Touched != 4 || first.Written != 3 || first.Untracked != 1 {
		t.Fatalf("first round = %+v", first)
	}
	// Nothing new: the movements at the watermark are not read again.
	idle := f.changes(InventoryChangesInput{Since: first.Since, SeenIDs: first.SeenIDs})
	if idle.Movements != 0 || idle.Touched != 0 || idle.Written != 0 {
		t.Fatalf("idle round = %+v", idle)
	}
	if _, err := f.hl.RingUpSale(f.main, heartlandtest.SaleLine{PublicID: "MUG", Qty: heartland.DecInt(2)}); err != nil {
		t.Fatal(err)
	}
	if err := f.hl.ReceiveStock(f.warehouse, "TEE-M", heartland.DecInt(5)); err != nil {
		t.Fatal(err)
	}
	if err := f.hl.ReceiveStock(f.outl, "TEE-S", heartland.DecInt(50)); err != nil {
		t.Fatal(err)
	}
	next := f.changes(InventoryChangesInput{Since: idle.Since, SeenIDs: idle.SeenIDs})
	if next.Movements != 3 || next.Touched != 2 || next.Written != 2 {
		t.Fatalf("round after sale = %+v, want 3 movements, 2 touched (outlet does not count)", next)
	}
	if got := f.level("MUG"); got != 6 {
		t.Errorf("MUG = %d, want 6 after selling 2", got)
	}
	if got := f.level("TEE-M"); got != 12 {
		t.Errorf("TEE-M = %d, want 12 after receiving 5", got)
	}
	if got := f.level("TEE-S"); got != 2 {
		t.Errorf("TEE-S = %d, want 2 (outlet receipt does not count)", got)
	}
	// Items named by a signal are recomputed without a poll.
	f.bc.SetStock("TEE-S", 0, 40)
	tee, _ := f.hl.ItemByPublicID("TEE-S")
	named := f.changes(InventoryChangesInput{ItemIDs: []int64{tee.ID}})
	if named.Touched != 1 || named.Written != 1 || f.level("TEE-S") != 2 {
		t.Errorf("named round = %+v, TEE-S = %d", named, f.level("TEE-S"))
	}
}

func TestInventoryChangesFallBackToSnapshot(t *testing.T) {
	f := newInvFixture(t, heartlandtest.WithoutInventoryTransactions())
	f.pass("p1", f.scope(), 0)
	f.bc.SetStock("MUG", 0, 99)
	v, err := f.env.ExecuteActivity(f.inv.SyncInventoryChanges, InventoryChangesInput{
		ConnectionID: "shop", Scope: f.scope(), Since: time.Now().Add(-time.Minute),
	})
	if err != nil {
		t.Fatal(err)
	}
	var res InventoryChangesResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	// The snapshot is compared with the levels the pass left; the drift
	// written behind its back is for reconciliation to find.
	if !res.FullSnapshot || res.Written != 0 || res.Since.IsZero() {
		t.Fatalf("snapshot round = %+v", res)
	}
	if _, err := f.hl.RingUpSale(f.main, heartlandtest.SaleLine{PublicID: "MUG", Qty: heartland.DecInt(1)}); err != nil {
		t.Fatal(err)
	}
	v, err = f.env.ExecuteActivity(f.inv.SyncInventoryChanges, InventoryChangesInput{
		ConnectionID: "shop", Scope: f.scope(), Since: res.Since,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	if res.Written != 1 || f.level("MUG") != 7 {
		t.Errorf("after sale: %+v, MUG = %d, want 7", res, f.level("MUG"))
	}
}

func TestInventoryUnauthorizedIsNonRetryable(t *testing.T) {
	f := newInvFixture(t)
	f.bc.InjectFault(bigcommercetest.Fault{Method: http.MethodPut, Path: "/v3/inventory/adjustments/absolute",
		Kind: bigcommercetest.FaultError, Status: 401, Title: "You are not authorized"})
	_, err := f.env.ExecuteActivity(f.inv.SyncInventoryChunk, InventoryPassInput{ConnectionID: "shop", Scope: f.scope(), PassID: "p1"})
	if err == nil || !containsType(err, ErrTypeBigCommerceRejected) {
		t.Fatalf("err = %v, want a BigCommerceRejected application error", err)
	}
}

func TestInventoryRejectedBatchIsSplit(t *testing.T) {
	f := newInvFixture(t)
	// One 422 for the whole batch: the halves go through.
	f.bc.InjectFault(bigcommercetest.Fault{Method: http.MethodPut, Path: "/v3/inventory/adjustments/absolute",
		Kind: bigcommercetest.FaultError, Status: 422, Title: "Missing Required Fields", Times: 1})
	res, _ := f.pass("p1", f.scope(), 0)
	if res.Counts.Written != 2 || res.Counts.Rejected != 0 || res.Writes != 3 || f.level("MUG") != 8 || f.level("TEE-M") != 7 {
		t.Fatalf("pass = %+v, MUG %d, TEE-M %d", res, f.level("MUG"), f.level("TEE-M"))
	}

	// A clean pass leaves an index in memory.
	if again, _ := f.pass("p2", f.scope(), 0); again.Counts.Skipped != 3 {
		t.Fatalf("second pass = %+v", again)
	}
	// The merchant switches Mug to variant tracking behind the index: its
	// row is refused and reported, the other row of the batch is written.
	bcClient, _ := bigcommerce.New(f.bc.ClientConfig())
	mug, err := bcClient.ListProducts(t.Context(), bigcommerce.ProductFilter{SKU: "MUG"})
	if err != nil || len(mug) != 1 {
		t.Fatalf("mug: %v %v", mug, err)
	}
	variant := bigcommerce.TrackingVariant
	if _, err := bcClient.UpdateProducts(t.Context(), []bigcommerce.ProductUpdate{{ID: mug[0].ID, InventoryTracking: &variant}}); err != nil {
		t.Fatal(err)
	}
	mugItem, _ := f.hl.ItemByPublicID("MUG")
	teeItem, _ := f.hl.ItemByPublicID("TEE-M")
	f.hl.SetStock("TEE-M", f.warehouse, heartland.DecInt(9))
	round := func() InventoryChangesResult {
		t.Helper()
		v, err := f.env.ExecuteActivity(f.inv.SyncInventoryChanges, InventoryChangesInput{
			ConnectionID: "shop", Scope: f.scope(), ItemIDs: []int64{mugItem.ID, teeItem.ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		var res InventoryChangesResult
		if err := v.Get(&res); err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := round()
	if first.Written != 1 || len(first.Rejected) != 1 || !strings.HasPrefix(first.Rejected[0], "MUG: ") || f.level("TEE-M") != 9 {
		t.Fatalf("round = %+v, TEE-M = %d", first, f.level("TEE-M"))
	}
	// The rejection dropped the index: the next round writes by variant.
	if second := round(); second.Written != 2 || len(second.Rejected) != 0 || f.level("MUG") != 8 {
		t.Fatalf("round after re-reading the catalog = %+v, MUG = %d", second, f.level("MUG"))
	}
}

func TestInventoryQuantity(t *testing.T) {
	cases := []struct {
		buffer int
		avail  string
		want   int
	}{
		{0, "5", 5}, {0, "2.9", 2}, {0, "-3", 0}, {2, "5", 3}, {10, "5", 0}, {0, "9999999999", maxStock},
	}
	for _, c := range cases {
		got := InventoryScope{SafetyBuffer: c.buffer}.Quantity(decimal.RequireFromString(c.avail))
		if got != c.want {
			t.Errorf("Quantity(%s, buffer %d) = %d, want %d", c.avail, c.buffer, got, c.want)
		}
	}
}

// containsType reports whether err wraps an ApplicationError of type typ.
func containsType(err error, typ string) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app) && app.Type() == typ
}

func TestInventoryChunkResumesFromHeartbeat(t *testing.T) {
	f := newInvFixture(t)
	tee, _ := f.hl.ItemByPublicID("TEE-S")
	// A previous attempt wrote MUG and TEE-S, then the worker died.
	f.env.SetHeartbeatDetails(passHeartbeat{Result: InventoryPassResult{
		Cursor: tee.ID, Total: 5, Counts: InventoryPassCounts{Read: 2, Written: 1, Skipped: 1},
	}})
	v, err := f.env.ExecuteActivity(f.inv.SyncInventoryChunk, InventoryPassInput{ConnectionID: "shop", Scope: f.scope(), PassID: "p1"})
	if err != nil {
		t.Fatal(err)
	}
	var res InventoryPassResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	want := InventoryPassCounts{Read: 5, Written: 2, Skipped: 1, Unmatched: 1, Untracked: 1}
	if res.Counts != want || !res.Done || res.Total != 5 {
		t.Fatalf("resumed chunk = %+v, want counts %+v", res, want)
	}
	// Items before the cursor were not read again: MUG keeps its level.
	if got := f.level("MUG"); got != 1 {
		t.Errorf("MUG = %d, want 1 (not revisited)", got)
	}
	if got := f.level("TEE-M"); got != 7 {
		t.Errorf("TEE-M = %d, want 7", got)
	}
}

func TestInventoryLeavesStocklessItemsAlone(t *testing.T) {
	f := newInvFixture(t)
	cl, err := f.inv.Connections.Get("shop")
	if err != nil {
		t.Fatal(err)
	}
	sku, desc, off := "GIFT", "Gift card", false
	cost, price := heartland.Dec("0"), heartland.Dec("25")
	gift, err := cl.Heartland.CreateItem(t.Context(), heartland.ItemFields{PublicID: &sku, Description: &desc,
		TrackInventory: &off, Cost: &cost, Price: &price})
	if err != nil {
		t.Fatal(err)
	}
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Gift card", SKU: "GIFT", Stock: map[int]int{0: 500}})
	res, _ := f.pass("p1", f.scope(), 0)
	if res.Counts.NotStocked != 1 || res.Counts.Read != 6 || f.level("GIFT") != 500 {
		t.Fatalf("pass = %+v, GIFT = %d; want the gift card left at 500", res.Counts, f.level("GIFT"))
	}
	v, err := f.env.ExecuteActivity(f.inv.SyncInventoryChanges, InventoryChangesInput{ConnectionID: "shop", Scope: f.scope(), ItemIDs: []int64{gift}})
	if err != nil {
		t.Fatal(err)
	}
	var round InventoryChangesResult
	if err := v.Get(&round); err != nil {
		t.Fatal(err)
	}
	if round.NotStocked != 1 || round.Written != 0 || f.level("GIFT") != 500 {
		t.Errorf("round = %+v, GIFT = %d", round, f.level("GIFT"))
	}
}

// A big pass reads whole pages, fills whole adjustment requests and asks
// for the store's default location once, not on every pass.
func TestInventoryPassReadsWholePagesAndWritesFullBatches(t *testing.T) {
	const skus = 2500
	bc := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit(), bigcommercetest.WithClock(testclock.Seconds))
	t.Cleanup(bc.Close)
	hl := heartlandtest.NewServer(heartlandtest.WithClock(testclock.Now))
	t.Cleanup(hl.Close)
	main := hl.AddLocation("01", "Main", "Register 1").ID
	for i := range skus {
		sku := fmt.Sprintf("SKU-%04d", i)
		hl.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: sku, Price: heartland.Dec("1")})
		hl.SetStock(sku, main, heartland.DecInt(int64(i%7)))
		bc.AddProduct(bigcommercetest.ProductSeed{Name: sku, SKU: sku, Stock: map[int]int{0: 100}})
	}
	bcClient, err := bigcommerce.New(bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	hlCalls := &countingTransport{}
	hlCfg := hl.ClientConfig()
	hlCfg.PerPage = 1000
	hlCfg.HTTPClient = &http.Client{Transport: hlCalls}
	hlClient, err := heartland.New(hlCfg)
	if err != nil {
		t.Fatal(err)
	}
	conns := NewConnections()
	conns.Add("shop", Clients{BigCommerce: bcClient, Heartland: hlClient})
	f := &invFixture{t: t, bc: bc, hl: hl, hlCalls: hlCalls, inv: &Inventory{Connections: conns}}
	var suite testsuite.WorkflowTestSuite
	f.env = suite.NewTestActivityEnvironment()
	f.env.RegisterActivity(f.inv)
	scope := InventoryScope{LocationIDs: []int64{main}}

	res, chunks := f.pass("p1", scope, 3000)
	if chunks != 1 || res.Counts.Written != skus || res.Writes != 2 || res.Total != skus {
		t.Fatalf("pass = %+v in %d chunks, want %d written in 2 writes, one chunk", res, chunks, skus)
	}
	for i := range skus {
		if got, want := f.level(fmt.Sprintf("SKU-%04d", i)), i%7; got != want {
			t.Fatalf("SKU-%04d = %d, want %d", i, got, want)
		}
	}
	// Heartland: 3 item pages + 3 value pages (one per item page).
	if got := hlCalls.n.Load(); got != 6 {
		t.Errorf("Heartland calls = %d, want 6", got)
	}

	// Drift every level and sync again: the location is not looked up again.
	for i := range skus {
		if err := bc.SetStock(fmt.Sprintf("SKU-%04d", i), 0, 50); err != nil {
			t.Fatal(err)
		}
	}
	before := bc.Stats().Requests
	if res, _ := f.pass("p2", scope, 3000); res.Counts.Written != skus || res.Writes != 2 {
		t.Fatalf("second pass = %+v", res)
	}
	// 10 product pages (250) + 3 inventory item pages (1000) + 2 writes.
	if got := bc.Stats().Requests - before; got != 15 {
		t.Errorf("BigCommerce calls of the second pass = %d, want 15", got)
	}
}

// A backlog longer than one round's pages is worked off over several
// rounds: each stops with a cursor, the watermark moves only at the end,
// and no movement is lost.
func TestInventoryChangesWorkOffABacklogInRounds(t *testing.T) {
	f := newInvFixture(t) // the Heartland client reads 100 rows a page
	f.pass("p1", f.scope(), 0)
	since := time.Now().Add(-time.Minute)
	const moves = 100*maxRoundMovementPages + 150
	for i := range moves {
		f.hl.SetStock("TEE-M", f.warehouse, heartland.DecInt(int64(100+i)))
	}
	first := f.changes(InventoryChangesInput{Since: since})
	if !first.More || first.AfterID == 0 || first.Movements != 100*maxRoundMovementPages || !first.Since.Equal(since) {
		t.Fatalf("first round = %+v, want a cursor, %d movements and the watermark kept", first, 100*maxRoundMovementPages)
	}
	rest := f.changes(InventoryChangesInput{Since: first.Since, SeenIDs: first.SeenIDs, AfterID: first.AfterID})
	// 6 seed movements plus the backlog.
	if rest.More || first.Movements+rest.Movements != moves+6 || !rest.Since.After(since) {
		t.Fatalf("second round = %+v, want the rest of %d movements and a new watermark", rest, moves+6)
	}
	if got, want := f.level("TEE-M"), 100+moves-1; got != want {
		t.Errorf("TEE-M = %d, want %d", got, want)
	}
	idle := f.changes(InventoryChangesInput{Since: rest.Since, SeenIDs: rest.SeenIDs, AfterID: rest.AfterID})
	if idle.Movements != 0 || idle.More || idle.AfterID != rest.AfterID {
		t.Errorf("idle round = %+v", idle)
	}
}

// A SKU pushed to BigCommerce after the index was built gets its stock at
// its first movement, however young the index; a POS-only SKU is looked up
// once, not at every movement, unless a signal names it (newly linked).
func TestInventoryChangesLookUpSKUsTheIndexHasNotSeen(t *testing.T) {
	f := newInvFixture(t)
	f.pass("p1", f.scope(), 0)
	first := f.changes(InventoryChangesInput{Since: time.Now().Add(-time.Minute)})
	f.hl.AddItem(heartlandtest.ItemSeed{PublicID: "NEW", Description: "New", Price: heartland.Dec("10"), Cost: heartland.Dec("4")})
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Lamp", SKU: "LAMP", Variants: []bigcommercetest.VariantSeed{
		{SKU: "NEW", Option: "Blue", Stock: map[int]int{0: 0}}}})
	if err := f.hl.ReceiveStock(f.main, "NEW", heartland.DecInt(9)); err != nil {
		t.Fatal(err)
	}
	next := f.changes(InventoryChangesInput{Since: first.Since, SeenIDs: first.SeenIDs})
	if next.Written != 1 || next.Unmatched != 0 || f.level("NEW") != 9 {
		t.Fatalf("round = %+v, NEW = %d; want the new variant written 9", next, f.level("NEW"))
	}
	// HL-ONLY is not in BigCommerce: looked up once, then remembered.
	if err := f.hl.ReceiveStock(f.main, "HL-ONLY", heartland.DecInt(1)); err != nil {
		t.Fatal(err)
	}
	r1 := f.changes(InventoryChangesInput{Since: next.Since, SeenIDs: next.SeenIDs})
	if r1.Unmatched != 1 {
		t.Fatalf("round = %+v, want HL-ONLY unmatched", r1)
	}
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Linked", SKU: "HL-ONLY", Stock: map[int]int{0: 0}})
	only, _ := f.hl.ItemByPublicID("HL-ONLY")
	linked := f.changes(InventoryChangesInput{ItemIDs: []int64{only.ID}})
	if linked.Written != 1 || f.level("HL-ONLY") != 1 {
		t.Errorf("named round after linking = %+v, HL-ONLY = %d; want 1 written at once", linked, f.level("HL-ONLY"))
	}
}

// BigCommerce-only SKUs are the ones the store keeps stock under: the
// variants of a product tracked by product, and untracked SKUs, are not
// stock the sync fails to write (and `catalog links` counts variants).
func TestInventoryBigCommerceOnlyCountsStockUnits(t *testing.T) {
	f := newInvFixture(t)
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Stickers", SKU: "STK", Tracking: bigcommerce.TrackingProduct, Stock: map[int]int{0: 3},
		Variants: []bigcommercetest.VariantSeed{{SKU: "STK-A", Option: "A"}, {SKU: "STK-B", Option: "B"}}})
	f.bc.AddProduct(bigcommercetest.ProductSeed{Name: "Gift card", SKU: "GIFT", Tracking: bigcommerce.TrackingNone})
	f.pass("p1", f.scope(), 0)
	fin := f.finish("p1")
	if fin.BigCommerceOnly != 2 || !slices.Equal(fin.BigCommerceOnlySample, []string{"BC-ONLY", "STK"}) {
		t.Errorf("finish = %+v, want BC-ONLY and STK (not STK-A, STK-B or GIFT)", fin)
	}
}

// finish runs FinishInventoryPass for a pass of the fixture's scope.
func (f *invFixture) finish(passID string) InventoryFinishResult {
	f.t.Helper()
	v, err := f.env.ExecuteActivity(f.inv.FinishInventoryPass, InventoryFinishInput{ConnectionID: "shop", Scope: f.scope(), PassID: passID})
	if err != nil {
		f.t.Fatal(err)
	}
	var fin InventoryFinishResult
	if err := v.Get(&fin); err != nil {
		f.t.Fatal(err)
	}
	return fin
}

// BigCommerce applies inventory adjustments asynchronously: a pass right
// after another reads the old levels back, and must not write them again.
func TestInventoryPassTrustsItsOwnRecentWritesOverAStaleRead(t *testing.T) {
	f := newInvFixtureWith(t, []bigcommercetest.Option{bigcommercetest.WithInventoryApplyDelay(time.Second)})
	first, _ := f.pass("p1", f.scope(), 0)
	if first.Counts.Written != 2 {
		t.Fatalf("first pass wrote %d levels, want 2 (MUG, TEE-M)", first.Counts.Written)
	}
	if got, _ := f.bc.StockLevel("MUG", 0); got == 8 {
		t.Fatal("the fake applied the adjustment at once: the test proves nothing")
	}
	again, _ := f.pass("p2", f.scope(), 0)
	if again.Counts.Written != 0 || again.Writes != 0 {
		t.Errorf("a pass during the store's apply delay wrote %d levels in %d calls, want none", again.Counts.Written, again.Writes)
	}
	deadline := time.Now().Add(5 * time.Second)
	for f.level("MUG") != 8 || f.level("TEE-M") != 7 {
		if time.Now().After(deadline) {
			t.Fatalf("the store never applied the writes: MUG %d, TEE-M %d", f.level("MUG"), f.level("TEE-M"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
