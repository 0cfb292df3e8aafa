package activities

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
)

func TestImportStampsItsOrder(t *testing.T) {
	t.Run("released after create", func(t *testing.T) { testImportStampsItsOrder(t, false) })
	t.Run("created open", func(t *testing.T) { testImportStampsItsOrder(t, true) })
}

// An import asked for a stamp releases a new order at once, reads it and
// reads its lines a second after that: one call more than without, the
// order created open or released after the create. The stamp is the
// order's updated_at on the fake.
func testImportStampsItsOrder(t *testing.T, createOpen bool) {
	f := newCountedFixtureWith(t, heartland.Config{CreateOrdersOpen: createOpen})
	req := f.importRequest(t, f.orderID)
	req.Stamp = true
	f.hlCalls.take()
	res, err := f.acts.ImportSalesOrder(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"GET /sales/orders": 1, "GET /items": 1, "GET /locations": 1,
		"GET /customers": 1, "POST /customers": 1, "POST /customers/{id}/addresses": 1,
		"POST /sales/orders": 1, "GET /sales/orders/{id}/lines": 1, "GET /sales/orders/{id}": 1}
	if !createOpen {
		want["PUT /sales/orders/{id}"] = 1
	}
	wantCalls(t, "stamped import", f.hlCalls.take(), want)
	orders := f.hl.Orders()
	if len(orders) != 1 {
		t.Fatalf("%d Heartland orders", len(orders))
	}
	stamp := orders[0].Order.UpdatedAt.UTC().Format(time.RFC3339)
	if s := res.Order.Stamp; s == nil || s.UpdatedAt != stamp || s.Status != "open" || len(res.Order.Lines) != 1 {
		t.Errorf("import result %+v, stamp %+v, want updated_at %s and status open", res.Order, s, stamp)
	}

	// A rerun (the order found) stamps it too; one that asks for none
	// reads nothing more.
	if again, err := f.acts.ImportSalesOrder(f.ctx, req); err != nil || again.Order.Stamp == nil || again.Order.Stamp.UpdatedAt != stamp {
		t.Errorf("rerun %+v, %v", again.Order, err)
	}
	f.hlCalls.take()
	req.Stamp = false
	if plain, err := f.acts.ImportSalesOrder(f.ctx, req); err != nil || plain.Order.Stamp != nil {
		t.Errorf("import without stamp %+v, %v", plain.Order, err)
	}
	wantCalls(t, "rerun without stamp", f.hlCalls.take(), map[string]int{"GET /sales/orders": 1, "GET /items": 1, "GET /sales/orders/{id}/lines": 1})
}

// The sweep does not tell an order of its own import when its workflow
// keeps the import's stamp. It tells it when the memo is not there (late
// in visibility), when the workflows cannot be asked, of what staff do in
// Heartland afterwards, and of every invoice. A finished order is not told
// of a change of its own.
func TestListHeartlandChangesLeavesOutOrdersOwnImports(t *testing.T) {
	f := newCountedFixture(t)
	req := f.importRequest(t, f.orderID)
	req.Stamp = true
	imported, err := f.acts.ImportSalesOrder(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	hlID := imported.Order.ID
	since := HeartlandChangesResult{Watermark: f.hl.Orders()[0].Order.CreatedAt.Add(-time.Minute).UTC().Format(time.RFC3339)}
	stamped := OrderRead{HeartlandOrderID: hlID, Heartland: imported.Order.Stamp}
	runs := &readRuns{reads: map[int]OrderRead{f.orderID: stamped}}
	round := func(what string, from HeartlandChangesResult, wantTold []int, wantKnown int) HeartlandChangesResult {
		t.Helper()
		res, err := f.acts.ListHeartlandChanges(f.ctx, HeartlandChangesRequest{ConnectionID: "shop", Watermark: from.Watermark, Seen: from.Seen})
		if err != nil {
			t.Fatal(err)
		}
		var told []int
		for _, o := range res.Orders {
			told = append(told, o.OrderID)
		}
		if !slices.Equal(told, wantTold) || res.Known != wantKnown {
			t.Errorf("%s: told %v (%d known), want %v (%d known)", what, told, res.Known, wantTold, wantKnown)
		}
		return res
	}

	round("without the workflows", since, []int{f.orderID}, 0)
	f.acts.Runs = runs
	first := round("its own import", since, nil, 1)
	if !slices.Equal(runs.asked[len(runs.asked)-1], []int{f.orderID}) {
		t.Errorf("asked the workflows of %v", runs.asked)
	}
	runs.err = errors.New("visibility unavailable")
	round("the workflows unanswered", since, []int{f.orderID}, 0)
	runs.err = nil
	runs.reads = map[int]OrderRead{}
	round("the memo late", since, []int{f.orderID}, 0)
	runs.reads = map[int]OrderRead{f.orderID: {Finished: true}}
	round("a finished order", since, nil, 1)
	runs.reads = map[int]OrderRead{f.orderID: stamped}

	// Staff distribute the line in Heartland's screen right after the
	// import: the import read the lines a second after the stamp, so
	// this is stamped later (readStamp).
	if err := f.hlPlain.SetLineShipFrom(f.ctx, hlID, imported.Order.Lines[0].LineID, f.main.ID); err != nil {
		t.Fatal(err)
	}
	staff := round("staff distributed", first, []int{f.orderID}, 0)
	// Then invoice it: the invoice goes, whatever the stamp says.
	station := f.main.Stations[0].ID
	if _, err := f.hlPlain.CreateInvoice(f.ctx, heartland.InvoiceFields{OrderID: hlID, SourceLocationID: f.main.ID, StationID: station}); err != nil {
		t.Fatal(err)
	}
	runs.reads = map[int]OrderRead{f.orderID: {HeartlandOrderID: hlID, Heartland: &HeartlandStamp{UpdatedAt: "2999-01-01T00:00:00Z", Status: "open"}}}
	round("an invoice", staff, []int{f.orderID}, 0)
}

// What a stamp covers: the same order in the same status, listed at the
// stamp or before it, without invoices.
func TestOrderReadCoversHeartland(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 2, 0, time.UTC)
	read := OrderRead{HeartlandOrderID: 900, Heartland: &HeartlandStamp{UpdatedAt: at.Format(time.RFC3339), Status: "open"}}
	change := HeartlandOrderChange{OrderID: 100, HeartlandOrderID: 900, Status: "open"}
	cases := []struct {
		name string
		read OrderRead
		c    HeartlandOrderChange
		at   time.Time
		want bool
	}{
		{"the import itself", read, change, at, true},
		{"listed before it", read, change, at.Add(-time.Second), true},
		{"a later change", read, change, at.Add(time.Second), false},
		{"another status", read, HeartlandOrderChange{OrderID: 100, HeartlandOrderID: 900, Status: "canceled"}, at, false},
		{"another Heartland order", read, HeartlandOrderChange{OrderID: 100, HeartlandOrderID: 901, Status: "open"}, at, false},
		{"an invoice", read, HeartlandOrderChange{OrderID: 100, HeartlandOrderID: 900, Status: "open", InvoiceIDs: []int64{5}}, at, false},
		{"no updated_at listed", read, change, time.Time{}, false},
		{"no stamp", OrderRead{DateModified: "2026-11-27T10:00:00Z", StatusID: 11}, change, at, false},
		{"a stamp it cannot read", OrderRead{HeartlandOrderID: 900, Heartland: &HeartlandStamp{UpdatedAt: "yesterday", Status: "open"}}, change, at, false},
		{"finished", OrderRead{Finished: true}, change, at.Add(time.Hour), true},
	}
	for _, tc := range cases {
		if got := tc.read.CoversHeartland(tc.c, tc.at); got != tc.want {
			t.Errorf("%s: covers = %t, want %t", tc.name, got, tc.want)
		}
	}
}
