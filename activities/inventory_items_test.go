package activities

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
)

// An items round writes the named items' levels from Heartland's stock as
// it stands, reads no movement, reports what it wrote, and leaves the
// connection's long poll in this worker running.
func TestInventoryItemsRoundWritesNamedItemsAndLeavesTheLongPoll(t *testing.T) {
	f := newInvFixture(t)
	f.pass("p1", f.scope(), 0)
	mug, ok := f.hl.ItemByPublicID("MUG")
	if !ok {
		t.Fatal("no MUG in Heartland")
	}
	// Stock committed by an order: no movement in the feed says so.
	f.hl.SetStock("MUG", f.main, heartland.DecInt(2))
	pollCtx, superseded, done := f.inv.registerWait(context.Background(), "shop")
	defer done()

	v, err := f.env.ExecuteActivity(f.inv.SyncInventoryItems, InventoryChangesInput{ConnectionID: "shop", Scope: f.scope(), ItemIDs: []int64{mug.ID}})
	if err != nil {
		t.Fatal(err)
	}
	var res InventoryChangesResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	if res.Movements != 0 || res.Written != 1 || !slices.Equal(res.WrittenItemIDs, []int64{mug.ID}) {
		t.Errorf("items round = %+v, want MUG written and no movement read", res)
	}
	if lvl := f.level("MUG"); lvl != 5 {
		t.Errorf("MUG = %d, want 5 (2 at Main, 3 at Warehouse)", lvl)
	}
	if pollCtx.Err() != nil || superseded.Load() {
		t.Error("the items round ended the connection's long poll")
	}
}

// An items round names its items and reads no feed: asked for none, or
// handed a watermark, it refuses.
func TestInventoryItemsRoundNeedsItemsAndNoWatermark(t *testing.T) {
	f := newInvFixture(t)
	for _, in := range []InventoryChangesInput{
		{ConnectionID: "shop", Scope: f.scope()},
		{ConnectionID: "shop", Scope: f.scope(), ItemIDs: []int64{1}, Since: time.Now()},
	} {
		_, err := f.env.ExecuteActivity(f.inv.SyncInventoryItems, in)
		// The test environment hands the error back as an application error.
		if err == nil || !strings.Contains(err.Error(), ErrNoItems.Error()) {
			t.Errorf("items round %+v: err %v, want ErrNoItems", in, err)
		}
	}
}

// On a worker that has not read the store's SKU index, an items round
// answers at once that it cannot run here, rather than read a large
// catalog inside a local activity; the index is read in the background,
// and the next items round here writes.
func TestInventoryItemsRoundOnAColdWorkerWarmsTheIndex(t *testing.T) {
	f := newInvFixture(t)
	mug, _ := f.hl.ItemByPublicID("MUG")
	in := InventoryChangesInput{ConnectionID: "shop", Scope: f.scope(), ItemIDs: []int64{mug.ID}}
	if _, err := f.env.ExecuteActivity(f.inv.SyncInventoryItems, in); err == nil || !strings.Contains(err.Error(), ErrIndexCold.Error()) {
		t.Fatalf("items round on a cold worker: err %v, want ErrIndexCold", err)
	}
	if lvl := f.level("MUG"); lvl != 1 {
		t.Fatalf("MUG = %d after the refused round, want 1 as seeded", lvl)
	}
	m := f.inv.memory("shop")
	deadline := time.Now().Add(10 * time.Second)
	for !m.indexReady(f.scope()) {
		if time.Now().After(deadline) {
			t.Fatal("the SKU index was not read in the background")
		}
		time.Sleep(10 * time.Millisecond)
	}
	v, err := f.env.ExecuteActivity(f.inv.SyncInventoryItems, in)
	if err != nil {
		t.Fatal(err)
	}
	var res InventoryChangesResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	if lvl := f.level("MUG"); res.Written != 1 || lvl != 8 {
		t.Errorf("second items round wrote %d, MUG = %d; want 8 (5 at Main, 3 at Warehouse)", res.Written, lvl)
	}
}
