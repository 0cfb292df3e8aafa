package activities

import (
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
)

// The Heartland sweep's activity finds, on the fake, what store staff do in
// Heartland's screens: a line distributed by PUT, an invoice created and
// completed; it names the web order by its public_id, leaves POS orders
// out, reports nothing twice and costs two calls when nothing changed.
func TestListHeartlandChangesFindsWhatStaffDid(t *testing.T) {
	f := newCountedFixture(t)

	imported, err := f.acts.ImportSalesOrder(f.ctx, f.importRequest(t, f.orderID))
	if err != nil {
		t.Fatal(err)
	}
	hlID := imported.Order.ID
	// A POS order (no BC- public_id) changes too; it is none of hrbc's business.
	station := f.main.Stations[0].ID
	if _, err := f.hlPlain.CreateSalesOrder(f.ctx, heartland.SalesOrderFields{PublicID: heartland.String("POS-1"),
		SourceLocationID: heartland.ID(f.main.ID), StationID: heartland.ID(station)}); err != nil {
		t.Fatal(err)
	}
	since := f.hl.Orders()[0].Order.CreatedAt.Add(-time.Minute).UTC().Format(time.RFC3339)
	f.hlCalls.take()
	// Heartland's clock moves on: its second is over when the sweep lists
	// the order, which needs no second look (TestListHeartlandChangesLooksTwiceWithinASecond).
	f.hlAhead.Add(int64(3 * time.Second))

	round := func(w HeartlandChangesResult) HeartlandChangesResult {
		t.Helper()
		res, err := f.acts.ListHeartlandChanges(f.ctx, HeartlandChangesRequest{ConnectionID: "shop", Watermark: w.Watermark, Seen: w.Seen})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := round(HeartlandChangesResult{Watermark: since})
	if len(first.Orders) != 1 || first.Orders[0].OrderID != f.orderID || first.Orders[0].HeartlandOrderID != hlID ||
		first.Orders[0].Status != "open" || first.Watermark < since {
		t.Fatalf("first round %+v", first)
	}
	if calls := f.hlCalls.take(); calls["GET /sales/orders"] != 1 || calls["GET /sales/invoices"] != 1 || len(calls) != 2 {
		t.Errorf("first round calls %v", calls)
	}
	idle := round(first)
	if len(idle.Orders) != 0 || idle.Watermark != first.Watermark {
		t.Fatalf("nothing changed, yet %+v", idle)
	}
	wantCalls(t, "idle round", f.hlCalls.take(), map[string]int{"GET /sales/orders": 1, "GET /sales/invoices": 1})

	// Staff distribute the line in Heartland's screen: a line PUT.
	if err := f.hlPlain.SetLineShipFrom(f.ctx, hlID, imported.Order.Lines[0].LineID, f.main.ID); err != nil {
		t.Fatal(err)
	}
	f.hlAhead.Add(int64(3 * time.Second))
	lines, err := f.hlPlain.ListSalesOrderLines(f.ctx, hlID)
	if err != nil || lines[0].ShipFromLocationID == nil || *lines[0].ShipFromLocationID != f.main.ID {
		t.Fatalf("the fake does not show the distribution: %+v %v", lines, err)
	}
	// Then invoice it at Main Street, not yet complete: the order itself
	// does not change, the invoice names it.
	inv, err := f.hlPlain.CreateInvoice(f.ctx, heartland.InvoiceFields{OrderID: hlID, SourceLocationID: f.main.ID, StationID: station})
	if err != nil {
		t.Fatal(err)
	}
	f.hlCalls.take()
	staff := round(idle)
	if len(staff.Orders) != 1 || staff.Orders[0].OrderID != f.orderID || len(staff.Orders[0].InvoiceIDs) != 1 || staff.Orders[0].InvoiceIDs[0] != inv {
		t.Fatalf("after staff distributed and invoiced: %+v", staff)
	}
	if again := round(staff); len(again.Orders) != 0 {
		t.Errorf("reported twice: %+v", again)
	}
	snap, err := f.acts.ReadHeartlandOrder(f.ctx, HeartlandOrderRequest{ConnectionID: "shop", HeartlandOrderID: hlID})
	if err != nil || snap.Status != "open" || len(snap.Lines) != 1 || snap.Lines[0].LocationID != f.main.ID {
		t.Errorf("ReadHeartlandOrder = %+v, %v", snap, err)
	}
}

func TestWebOrderID(t *testing.T) {
	for in, want := range map[string]int{"BC-12": 12, "BC-0": 0, "POS-1": 0, "BC-x": 0, "": 0} {
		if got, ok := webOrderID(in); got != want || ok != (want != 0) {
			t.Errorf("webOrderID(%q) = %d, %v", in, got, ok)
		}
	}
}

// A sales order listed within its second is told at once and once more
// when a later round lists it after that second: staff distributing in
// the second of an earlier change share its key (status and amounts
// unchanged), and only the second word makes the order read what the
// first may have missed. Its watermark stays at the order meanwhile, so
// the second look comes whatever the other orders do.
func TestListHeartlandChangesLooksTwiceWithinASecond(t *testing.T) {
	f := newCountedFixture(t)
	imported, err := f.acts.ImportSalesOrder(f.ctx, f.importRequest(t, f.orderID))
	if err != nil {
		t.Fatal(err)
	}
	stamp := f.hl.Orders()[0].Order.UpdatedAt.UTC().Truncate(time.Second)
	round := func(what string, from HeartlandChangesResult, want int) HeartlandChangesResult {
		t.Helper()
		res, err := f.acts.ListHeartlandChanges(f.ctx, HeartlandChangesRequest{ConnectionID: "shop", Watermark: from.Watermark, Seen: from.Seen, Only: ChangesOfOrders})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Orders) != want || (want == 1 && res.Orders[0].HeartlandOrderID != imported.Order.ID) {
			t.Errorf("%s: told %+v, want %d orders", what, res.Orders, want)
		}
		return res
	}
	first := round("listed within its second", HeartlandChangesResult{Watermark: stamp.Add(-time.Minute).Format(time.RFC3339)}, 1)
	if first.Watermark != stamp.Format(time.RFC3339) {
		t.Errorf("watermark %s, want the order's stamp %s", first.Watermark, stamp.Format(time.RFC3339))
	}
	again := round("listed again within it", first, 0)
	f.hlAhead.Add(int64(3 * time.Second))
	second := round("listed after it", again, 1)
	round("listed once more", second, 0)
}
