package activities

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// wait runs one long poll for the fixture's connection and scope.
func (f *invFixture) wait(in InventoryWaitInput) InventoryWaitResult {
	f.t.Helper()
	in.Changes.ConnectionID, in.Changes.Scope = "shop", f.scope()
	if in.Interval == 0 {
		in.Interval = time.Millisecond
	}
	v, err := f.env.ExecuteActivity(f.inv.WaitInventoryChanges, in)
	if err != nil {
		f.t.Fatal(err)
	}
	var res InventoryWaitResult
	if err := v.Get(&res); err != nil {
		f.t.Fatal(err)
	}
	return res
}

// A long poll returns with the round that read a movement, having written
// the level as a regular round does; idle, it returns after MaxWait with
// the watermark where it was.
func TestInventoryWaitReturnsWithTheRoundThatFoundWork(t *testing.T) {
	f := newInvFixture(t)
	f.pass("p1", f.scope(), 0)
	first := f.changes(InventoryChangesInput{Since: time.Now().Add(-time.Minute)})
	idle := f.wait(InventoryWaitInput{Changes: InventoryChangesInput{Since: first.Since, SeenIDs: first.SeenIDs, AfterID: first.AfterID}})
	if idle.Rounds != 1 || idle.Movements != 0 || !idle.Since.Equal(first.Since) {
		t.Fatalf("idle long poll = %+v, want one round and the watermark unchanged", idle)
	}
	if _, err := f.hl.RingUpSale(f.main, heartlandtest.SaleLine{PublicID: "MUG", Qty: heartland.DecInt(2)}); err != nil {
		t.Fatal(err)
	}
	got := f.wait(InventoryWaitInput{Changes: InventoryChangesInput{Since: idle.Since, SeenIDs: idle.SeenIDs, AfterID: idle.AfterID}, MaxWait: time.Hour})
	mug, _ := f.hl.ItemByPublicID("MUG")
	if got.Movements != 1 || got.Written != 1 || got.Rounds != 1 || !slices.Equal(got.WrittenItemIDs, []int64{mug.ID}) {
		t.Fatalf("long poll after a sale = %+v", got)
	}
	if lvl := f.level("MUG"); lvl != 6 {
		t.Errorf("MUG = %d, want 6 after selling 2", lvl)
	}
}

// A retried long poll resumes from the cursor its heartbeat carried, not
// from the input's watermark.
func TestInventoryWaitResumesFromHeartbeat(t *testing.T) {
	f := newInvFixture(t)
	f.pass("p1", f.scope(), 0)
	first := f.changes(InventoryChangesInput{Since: time.Now().Add(-time.Minute)})
	f.env.SetHeartbeatDetails(inventoryWaitCursor{Since: first.Since, SeenIDs: first.SeenIDs, AfterID: first.AfterID, Rounds: 7})
	got := f.wait(InventoryWaitInput{Changes: InventoryChangesInput{Since: time.Now().Add(-time.Minute)}})
	if got.Movements != 0 || got.Rounds != 8 {
		t.Fatalf("resumed long poll = %+v, want no movement read again and the rounds counted on", got)
	}
}

// A newer long poll of the same owner and connection ends the older one,
// marked superseded; other owners and connections are left alone.
func TestLongPollSupersedesTheOneBefore(t *testing.T) {
	o := &Orders{}
	ctx := context.Background()
	oldCtx, oldGone, oldDone := registerLongPoll(ctx, orderSweepPoll{o}, "shop")
	defer oldDone()
	otherCtx, _, otherDone := registerLongPoll(ctx, heartlandSweepPoll{o}, "shop")
	defer otherDone()
	newCtx, newGone, newDone := registerLongPoll(ctx, orderSweepPoll{o}, "shop")
	defer newDone()
	if oldCtx.Err() == nil || !oldGone.Load() {
		t.Fatalf("the older long poll runs on (err %v, superseded %v)", oldCtx.Err(), oldGone.Load())
	}
	if newCtx.Err() != nil || newGone.Load() || otherCtx.Err() != nil {
		t.Fatalf("the newer long poll or another sweep's was ended")
	}
}
