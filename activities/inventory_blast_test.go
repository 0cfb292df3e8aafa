package activities

import (
	"testing"

	"github.com/hrbc/hrbc/activities/heartland"
)

// dryRun runs a whole dry-run pass chunk by chunk and merges its figures.
func (f *invFixture) dryRun(passID string, scope InventoryScope, maxItems int) (InventoryBlast, InventoryPassResult) {
	f.t.Helper()
	var blast InventoryBlast
	var total InventoryPassResult
	for {
		v, err := f.env.ExecuteActivity(f.inv.SyncInventoryChunk, InventoryPassInput{
			ConnectionID: "shop", Scope: scope, PassID: passID, Cursor: total.Cursor, MaxItems: maxItems, DryRun: true,
		})
		if err != nil {
			f.t.Fatal(err)
		}
		var res InventoryPassResult
		if err := v.Get(&res); err != nil {
			f.t.Fatal(err)
		}
		if res.Blast == nil {
			f.t.Fatal("a dry run returned no blast radius")
		}
		blast = blast.Merge(*res.Blast)
		total.Cursor, total.Done, total.Writes = res.Cursor, res.Done, total.Writes+res.Writes
		total.Counts = total.Counts.Add(res.Counts)
		if res.Done {
			return blast, total
		}
	}
}

// TestInventoryDryRunOfStockOnlyInBigCommerce is a store whose quantities
// were never entered in Heartland: the dry run says what a full sync would
// zero, and writes nothing.
func TestInventoryDryRunOfStockOnlyInBigCommerce(t *testing.T) {
	f := newInvFixture(t)
	for _, sku := range []string{"MUG", "TEE-S", "TEE-M", "CAP"} {
		for _, loc := range []int64{f.main, f.warehouse, f.outl} {
			f.hl.SetStock(sku, loc, heartland.DecInt(0))
		}
	}
	if err := f.bc.SetStock("MUG", 0, 40); err != nil {
		t.Fatal(err)
	}
	if err := f.bc.SetStock("TEE-M", 0, 3); err != nil {
		t.Fatal(err)
	}
	blast, res := f.dryRun("dry", f.scope(), 2)
	// MUG 40, TEE-S 2, TEE-M 3 in stock (BC-ONLY has no Heartland item and
	// is never written, but its level counts in the store's total).
	if blast.Zeroed != 3 || blast.Removed != 45 || blast.Added != 0 || blast.StoreInStock != 3 || blast.StoreQuantity != 45 {
		t.Fatalf("blast = %+v", blast)
	}
	if len(blast.Top) != 3 || blast.Top[0] != (SKUChange{SKU: "MUG", From: 40, To: 0}) {
		t.Errorf("biggest losses = %v", blast.Top)
	}
	if why := blast.Exceeds(DefaultGuardZeroPercent, DefaultGuardDropPercent); why == "" {
		t.Error("the guard would let this pass write")
	}
	if res.Writes != 0 || res.Counts.Written != 0 {
		t.Errorf("dry run wrote: %+v", res)
	}
	if got := f.level("MUG"); got != 40 {
		t.Errorf("MUG = %d after a dry run, want 40 untouched", got)
	}
	// The pass that follows with the same id writes what the dry run
	// said, without reading Heartland again.
	hlBefore := f.hlCalls.n.Load()
	pass, _ := f.pass("dry", f.scope(), 2)
	if pass.Counts.Written != 3 || pass.Counts.Read != 5 || !pass.Done || f.level("MUG") != 0 || f.level("TEE-M") != 0 {
		t.Errorf("pass after the dry run = %+v, MUG = %d", pass, f.level("MUG"))
	}
	if n := f.hlCalls.n.Load() - hlBefore; n != 0 {
		t.Errorf("the pass read Heartland %d times after its dry run", n)
	}
	// A pass under another id has no plan: it reads Heartland itself.
	if err := f.bc.SetStock("MUG", 0, 9); err != nil {
		t.Fatal(err)
	}
	again, _ := f.pass("other", f.scope(), 0)
	if again.Counts.Written != 1 || f.level("MUG") != 0 || f.hlCalls.n.Load() == hlBefore {
		t.Errorf("pass without a dry run = %+v", again)
	}
}

func TestInventoryBlastFigures(t *testing.T) {
	var b InventoryBlast
	b.storeTotals(map[bcKey]int{{product: 1}: 10, {product: 2}: 0, {variant: 3}: 30})
	b.note("A", 10, 0)
	b.note("B", 30, 25)
	b.note("C", 0, 7)
	if b.StoreInStock != 2 || b.StoreQuantity != 40 || b.Zeroed != 1 || b.Lowered != 2 || b.Removed != 15 || b.Added != 7 {
		t.Fatalf("blast = %+v", b)
	}
	if b.ZeroedPercent() != 50 || b.DropPercent() != 20 {
		t.Errorf("shares = %v %v", b.ZeroedPercent(), b.DropPercent())
	}
	if b.Exceeds(60, 50) != "" || b.Exceeds(40, 100) == "" || b.Exceeds(100, 10) == "" || b.Exceeds(100, 100) != "" {
		t.Errorf("limits misread: %q %q %q", b.Exceeds(60, 50), b.Exceeds(40, 100), b.Exceeds(100, 10))
	}
}
