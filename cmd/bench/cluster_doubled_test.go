package main

import (
	"testing"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// A public_id seen twice is one doubled order; orders of other public_ids
// (POS sales have none) are not.
func TestDoubledOrdersCountsRepeatsOfAPublicID(t *testing.T) {
	order := func(id int64, publicID string) heartlandtest.OrderState {
		return heartlandtest.OrderState{Order: heartland.SalesOrder{ID: id, PublicID: publicID}}
	}
	if n := doubledOrders([]heartlandtest.OrderState{order(1, "BC-100"), order(2, "BC-101"), order(3, "BC-100"), order(4, "BC-102")}); n != 1 {
		t.Errorf("doubled %d, want 1", n)
	}
	if n := doubledOrders([]heartlandtest.OrderState{order(1, "BC-100"), order(2, "BC-101")}); n != 0 {
		t.Errorf("doubled %d of distinct orders, want 0", n)
	}
}
