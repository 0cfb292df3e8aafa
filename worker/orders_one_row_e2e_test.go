package worker_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// orderRows is how many rows `orders list` shows for one order.
func (sh *orderShop) orderRows(t *testing.T, orderID int) []starter.OrderSummary {
	t.Helper()
	all, err := sh.Starter.ListOrders(sh.ctx(), starter.OrderFilter{ConnectionID: sh.ConnectionID})
	if err != nil {
		t.Fatal(err)
	}
	var rows []starter.OrderSummary
	for _, o := range all {
		if o.OrderID == orderID {
			rows = append(rows, o)
		}
	}
	return rows
}

// A closed order stays one row whatever webhooks arrive late; BigCommerce
// cancelling it after it shipped asks a person, who settles it by hand and
// resolves it; after that a webhook imports nothing again.
func TestEndToEndOrderIsOneRowAndACancellationAfterShipmentIsFlagged(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, sh *orderShop) { s.AutoDistributeLocationID = sh.warehouse.ID })
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageFulfilling)
	if _, err := sh.HL.InvoiceOrderAt(sh.heartlandOrder(t, id).Order.ID, sh.warehouse.ID); err != nil {
		t.Fatal(err)
	}
	sh.waitStage(t, id, workflows.OrderStageClosed)

	// Late and replayed webhooks, as the store sends after hrbc's own
	// status change, and an operator importing it again by hand.
	for range 3 {
		sh.BC.EmitWebhook("store/order/updated", map[string]any{"type": "order", "id": id})
	}
	settings := workflows.DefaultSettings()
	settings.OrderSync, settings.SourceLocationID = true, sh.website.ID
	if err := sh.Starter.OrderChanged(sh.ctx(), sh.ConnectionID, id, settings); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if rows := sh.orderRows(t, id); len(rows) != 1 || rows[0].Stage != workflows.OrderStageClosed || !rows[0].Running {
		t.Fatalf("rows of the closed order after late webhooks: %+v, want one, closed and watching", rows)
	}

	// The merchant cancels the shipped order in BigCommerce.
	if err := sh.BC.SetOrderStatus(id, 5); err != nil {
		t.Fatal(err)
	}
	st := sh.waitStage(t, id, workflows.OrderStageAttention)
	if !strings.Contains(st.Attention, "after 1 shipment(s)") {
		t.Errorf("attention %q, want the cancellation after the shipment with the amounts", st.Attention)
	}
	items, err := sh.Starter.NeedsAttention(sh.ctx())
	if err != nil {
		t.Fatal(err)
	}
	listed := 0
	for _, it := range items {
		if it.WorkflowID == workflows.OrderWorkflowID(sh.ConnectionID, id) {
			listed++
		}
	}
	if listed != 1 {
		t.Errorf("`starter errors` lists the order %d times, want once", listed)
	}

	st, err = sh.Starter.ResolveOrder(sh.ctx(), sh.ConnectionID, id, "refunded at the till")
	if err != nil {
		t.Fatal(err)
	}
	if st.Stage != workflows.OrderStageResolved || st.Resolution == nil || st.Resolution.Note != "refunded at the till" {
		t.Errorf("after resolve: %+v", st)
	}
	waitFor(t, "the resolved order's run to end", func() bool {
		rows := sh.orderRows(t, id)
		return len(rows) == 1 && !rows[0].Running && rows[0].Stage == workflows.OrderStageResolved
	})

	// Finished for good: an import by hand is told so, and the store's
	// webhook is acknowledged; neither starts anything.
	if err := sh.Starter.OrderChanged(sh.ctx(), sh.ConnectionID, id, settings); !errors.Is(err, starter.ErrOrderFinished) {
		t.Fatalf("importing a finished order: %v, want %v", err, starter.ErrOrderFinished)
	}
	if err := sh.Starter.OrderCreated(sh.ctx(), sh.ConnectionID, id, settings); !errors.Is(err, starter.ErrOrderFinished) {
		t.Fatalf("starting a finished order: %v, want %v", err, starter.ErrOrderFinished)
	}
	for _, scope := range []string{"store/order/updated", "store/order/created"} {
		if code := sh.deliverBigCommerce(t, scope, id); code/100 != 2 {
			t.Errorf("the store's %s webhook for a finished order got %d, want it acknowledged (2xx)", scope, code)
		}
	}
	time.Sleep(time.Second)
	if rows := sh.orderRows(t, id); len(rows) != 1 || rows[0].Stage != workflows.OrderStageResolved {
		t.Errorf("rows after a webhook for a finished order: %+v", rows)
	}
	if n := len(sh.HL.Orders()); n != 1 {
		t.Errorf("%d Heartland orders, want 1", n)
	}
}

// A signed webhook for an order the store does not have ends its run,
// recorded, with nothing written.
func TestEndToEndWebhookForAnOrderTheStoreDoesNotHave(t *testing.T) {
	sh := newOrderShop(t, nil)
	settings := workflows.DefaultSettings()
	settings.OrderSync, settings.SourceLocationID = true, sh.website.ID
	if err := sh.Starter.OrderChanged(sh.ctx(), sh.ConnectionID, 4242, settings); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the order to end as not in the store", func() bool {
		rows := sh.orderRows(t, 4242)
		return len(rows) == 1 && !rows[0].Running && rows[0].Stage == workflows.OrderStageNotInStore && rows[0].Attention == ""
	})
	if n := len(sh.HL.Orders()); n != 0 {
		t.Errorf("%d Heartland orders, want none", n)
	}
}

// A retry waits for its outcome: still in attention with the reason while
// the cause remains, on its way once the cause is fixed.
func TestEndToEndRetryTellsTheOutcome(t *testing.T) {
	sh := newOrderShop(t, nil)
	sh.BC.AddProduct(bigcommercetest.ProductSeed{Name: "New Thing", SKU: "NEW-SKU", Price: dec("7.00"), Stock: map[int]int{0: 5}})
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "NEW-SKU", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageAttention)
	retry := func() workflows.OrderState {
		t.Helper()
		st, err := sh.Starter.RetryOrder(sh.ctx(), sh.ConnectionID, id)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(sh.ctx(), time.Minute)
		defer cancel()
		st, err = sh.Starter.WaitForRetry(ctx, sh.ConnectionID, id, st.RetriesAsked)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := retry(); st.Stage != workflows.OrderStageAttention || !strings.Contains(st.Attention, "NEW-SKU") {
		t.Errorf("retry with the cause still there: %s %q", st.Stage, st.Attention)
	}
	sh.HL.AddItem(heartlandtest.ItemSeed{PublicID: "NEW-SKU", Description: "New Thing", Price: heartland.DecInt(7), Cost: heartland.DecInt(3)})
	if st := retry(); st.Stage != workflows.OrderStageAwaitingDistribution || st.Attention != "" {
		t.Errorf("retry after the fix: %s %q", st.Stage, st.Attention)
	}
}
