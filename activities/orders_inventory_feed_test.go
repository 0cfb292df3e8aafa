package activities

import (
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// Real Heartland very likely writes no inventory transaction when an open
// sales order commits stock (only on-hand movements are logged), and the
// fake now behaves so by default. Then the movement feed alone misses an
// order opened (or cancelled) in Heartland: the store keeps showing the
// stock the order took until something else touches the item or the
// reconciliation runs. Naming the item (the inventory workflow's "changed"
// signal carries ItemIDs) brings the store up to date at once.
func TestCommittedStockReachesTheStoreWhenNamed(t *testing.T) {
	for _, tc := range []struct {
		name          string
		opts          []heartlandtest.Option
		feedSeesIt    bool
		wantAfterPoll int
	}{
		{"commitments not logged (default)", nil, false, 8},
		{"commitments logged", []heartlandtest.Option{heartlandtest.WithCommitmentTransactions()}, true, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newInvFixture(t, tc.opts...)
			f.pass("p1", f.scope(), 0)
			if got := f.level("MUG"); got != 8 {
				t.Fatalf("after the full sync MUG = %d, want 8", got)
			}
			// Catch up with the feed (the seed's own movements), then open.
			w := f.changes(InventoryChangesInput{Since: time.Now().Add(-time.Minute)})
			mug := openOrder(t, f, "MUG", 2)

			res := f.changes(InventoryChangesInput{Since: w.Since, SeenIDs: w.SeenIDs, AfterID: w.AfterID})
			if (res.Movements > 0) != tc.feedSeesIt || f.level("MUG") != tc.wantAfterPoll {
				t.Fatalf("poll after the order opened: %d movements, MUG %d; want feed sees it %v, MUG %d",
					res.Movements, f.level("MUG"), tc.feedSeesIt, tc.wantAfterPoll)
			}
			// The order names its items: recomputed whatever the feed said.
			f.changes(InventoryChangesInput{ItemIDs: []int64{mug}})
			if got := f.level("MUG"); got != 6 {
				t.Errorf("after naming the item MUG = %d, want 6 (8 less the 2 committed)", got)
			}
		})
	}
}

// openOrder opens a Heartland sales order of qty of sku at Main, as hrbc's
// import does, and returns the item id.
func openOrder(t *testing.T, f *invFixture, sku string, qty int64) int64 {
	t.Helper()
	c, err := heartland.New(f.hl.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	loc, err := c.GetLocation(t.Context(), f.main)
	if err != nil || len(loc.Stations) == 0 {
		t.Fatalf("location %+v %v", loc, err)
	}
	it, _ := f.hl.ItemByPublicID(sku)
	id, err := c.CreateSalesOrder(t.Context(), heartland.SalesOrderFields{SourceLocationID: &f.main, StationID: &loc.Stations[0].ID,
		Lines: []heartland.OrderLineFields{{ItemID: it.ID, Qty: heartland.DecInt(qty)}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetSalesOrderStatus(t.Context(), id, heartland.OrderOpen); err != nil {
		t.Fatal(err)
	}
	if st := f.hl.Stock(sku, f.main); !st.Committed.Equal(heartland.DecInt(qty)) {
		t.Fatalf("the open order commits %s", st.Committed)
	}
	return it.ID
}
