package workflows

import (
	"slices"
	"testing"
	"time"
)

// The order tells the inventory sync of each stock move its Heartland
// writes cause: opened (stock committed), distributed, closed.
func TestOrderTellsTheInventorySyncOfItsStockMoves(t *testing.T) {
	for _, old := range []bool{false, true} {
		w, s := closingOrderWorld()
		env := newOrderEnv(t, w)
		if old {
			orderBefore(env, orderTellsInventoryChange)
		}
		env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s, Options: OrderOptions{FinishedWatch: time.Hour}})
		if err := env.GetWorkflowError(); err != nil {
			t.Fatal(err)
		}
		var why []string
		for _, c := range w.inventoryTold {
			if !slices.Equal(c.ItemIDs, []int64{500, 501}) {
				t.Errorf("told items %v, want the order's items 500 and 501", c.ItemIDs)
			}
			why = append(why, c.Source)
		}
		want := []string{"order opened", "order distributed", "order closed"}
		if old {
			want = nil
		}
		if !slices.Equal(why, want) {
			t.Errorf("before the change %v: told %v, want %v", old, why, want)
		}
	}
}
