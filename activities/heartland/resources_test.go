package heartland_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

func TestCustomFieldsCreateThenReadKey(t *testing.T) {
	srv, c := newFake(t)
	id, err := c.CreateCustomField(ctx, heartland.CustomFieldFields{Name: heartland.String("BigCommerce Product ID"), GroupID: heartland.String(heartland.GroupItem)})
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.GetCustomField(ctx, id)
	if err != nil || f.Key != "bigcommerce_product_id" || f.Required {
		t.Fatalf("read back: %+v %v", f, err)
	}
	if err := c.UpdateCustomField(ctx, id, heartland.CustomFieldFields{Required: heartland.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	fields, err := c.ListCustomFields(ctx, heartland.GroupItem)
	if err != nil || len(fields) != 3 || !fields[2].Required {
		t.Fatalf("list: %+v %v", fields, err)
	}
	if all, err := c.ListCustomFields(ctx, ""); err != nil || len(all) != len(srv.CustomFields()) {
		t.Fatalf("list all: %d %v", len(all), err)
	}
	_, err = c.CreateCustomField(ctx, heartland.CustomFieldFields{Name: heartland.String("x"), GroupID: heartland.String("nope")})
	if he := wantKind(t, err, heartland.ErrValidation); he.Details["group_id"] == nil {
		t.Fatalf("details: %+v", he)
	}
}

func TestLocationsWithStations(t *testing.T) {
	_, c := newFake(t)
	locs, err := c.ListLocations(ctx)
	if err != nil || len(locs) != 3 {
		t.Fatalf("%+v %v", locs, err)
	}
	if locs[0].Name != "Main Street" || len(locs[0].Stations) != 2 || !locs[0].Active || locs[2].Name != "Website" || locs[2].PublicID != "WEB" {
		t.Fatalf("locations: %+v", locs)
	}
	l, err := c.GetLocation(ctx, locs[1].ID)
	if err != nil || l.Name != "Warehouse" || len(l.Stations) != 1 || l.Stations[0].LocationID != l.ID {
		t.Fatalf("get: %+v %v", l, err)
	}
}

func TestInventoryValuesAndAdjustments(t *testing.T) {
	srv, c := newFake(t)
	main := mustLoc(t, srv, "Main Street")
	mug := mustItem(t, srv, "HR-MUG-01")
	rows, err := c.WalkInventoryValues(heartland.InventoryFilter{ItemIDs: []int64{mug.ID}}, heartland.Cursor{}).All(ctx)
	if err != nil || len(rows) != 3 {
		t.Fatalf("values: %+v %v", rows, err)
	}
	if rows[0].LocationID != main.ID || !rows[0].QtyOnHand.Equal(heartland.DecInt(10)) || !rows[0].QtyAvailable.Equal(heartland.DecInt(10)) {
		t.Fatalf("row: %+v", rows[0])
	}
	// Page-numbered walk over every position, resumed from a cursor.
	w := c.WalkInventoryValues(heartland.InventoryFilter{}, heartland.Cursor{})
	first, err := w.Next(ctx)
	if err != nil || len(first) != 4 {
		t.Fatalf("first page %d %v", len(first), err)
	}
	rest, err := c.WalkInventoryValues(heartland.InventoryFilter{}, w.Cursor()).All(ctx)
	if err != nil || len(first)+len(rest) != 30 {
		t.Fatalf("walk: %d+%d %v", len(first), len(rest), err)
	}
	nonEmpty, err := c.WalkInventoryValues(heartland.InventoryFilter{ExcludeEmpty: true}, heartland.Cursor{}).All(ctx)
	if err != nil || len(nonEmpty) != 28 {
		t.Fatalf("exclude empty: %d %v", len(nonEmpty), err)
	}
	reasons, err := c.ListAdjustmentReasons(ctx)
	if err != nil || len(reasons) == 0 {
		t.Fatalf("reasons: %v %v", reasons, err)
	}
	set, err := c.CreateAdjustmentSet(ctx, heartland.AdjustmentSetFields{LocationID: main.ID, AdjustmentReasonID: reasons[0].ID, Description: "count fix"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddAdjustmentLine(ctx, set, heartland.AdjustmentLine{ItemID: mug.ID, Qty: heartland.DecInt(-3)}); err != nil {
		t.Fatal(err)
	}
	if err := c.CompleteAdjustmentSet(ctx, set); err != nil {
		t.Fatal(err)
	}
	if s, err := c.GetAdjustmentSet(ctx, set); err != nil || s.Status != "complete" {
		t.Fatalf("set: %+v %v", s, err)
	}
	wantStock(t, srv, "HR-MUG-01", main.ID, 7, 7, 0)
	_, err = c.AddAdjustmentLine(ctx, set, heartland.AdjustmentLine{ItemID: mug.ID, Qty: heartland.DecInt(1)})
	wantKind(t, err, heartland.ErrValidation)
	_, err = c.CreateAdjustmentSet(ctx, heartland.AdjustmentSetFields{LocationID: 999})
	wantKind(t, err, heartland.ErrValidation)
}

func TestInventoryChangesSince(t *testing.T) {
	clock := newClock()
	srv, c := newFake(t, heartlandtest.WithClock(clock.now))
	main := mustLoc(t, srv, "Main Street")
	clock.advance(time.Hour)
	since := clock.now()
	ch, err := c.InventoryChangesSince(ctx, since)
	if err != nil || len(ch.Changed) != 0 || ch.FullSnapshot || !ch.Until.Equal(since) {
		t.Fatalf("nothing moved yet: %+v %v", ch, err)
	}
	clock.advance(time.Minute)
	if _, err := srv.RingUpSale(main.ID, heartlandtest.SaleLine{PublicID: "HR-MUG-01", Qty: heartland.DecInt(2)}); err != nil {
		t.Fatal(err)
	}
	if err := srv.ReceiveStock(main.ID, "HR-CAP-01", heartland.DecInt(5)); err != nil {
		t.Fatal(err)
	}
	ch, err = c.InventoryChangesSince(ctx, since)
	if err != nil || len(ch.Changed) != 2 || !ch.Until.Equal(since.Add(time.Minute)) {
		t.Fatalf("changes: %+v %v", ch, err)
	}
	mug := mustItem(t, srv, "HR-MUG-01")
	if ch.Changed[0] != (heartland.ItemLocation{ItemID: mug.ID, LocationID: main.ID}) {
		t.Fatalf("changed: %+v", ch.Changed)
	}
	txs, err := c.WalkInventoryTransactions(since, heartland.Cursor{}).All(ctx)
	if err != nil || len(txs) != 2 || !txs[0].Qty.Equal(heartland.DecInt(-2)) || txs[0].Type != "sale" {
		t.Fatalf("transactions: %+v %v", txs, err)
	}
}

func TestInventoryChangesFallback(t *testing.T) {
	srv, _ := newFake(t, heartlandtest.WithoutInventoryTransactions())
	auto := newClient(t, srv, nil)
	ch, err := auto.InventoryChangesSince(ctx, time.Now())
	if err != nil || !ch.FullSnapshot || len(ch.Values) != 30 {
		t.Fatalf("auto fallback: %v %v %d", ch.FullSnapshot, err, len(ch.Values))
	}
	strict := newClient(t, srv, func(cfg *heartland.Config) { cfg.InventoryChanges = heartland.ChangesTransactions })
	_, err = strict.InventoryChangesSince(ctx, time.Now())
	wantKind(t, err, heartland.ErrNotFound)
	values := newClient(t, srv, func(cfg *heartland.Config) { cfg.InventoryChanges = heartland.ChangesValues })
	if ch, err := values.InventoryChangesSince(ctx, time.Now()); err != nil || !ch.FullSnapshot {
		t.Fatalf("values mode: %v", err)
	}
}

func TestCustomers(t *testing.T) {
	srv, c := newFake(t)
	jane, err := c.FindCustomerByEmail(ctx, "Jane@Example.com")
	if err != nil || jane.FirstName != "Jane" {
		t.Fatalf("find by email: %+v %v", jane, err)
	}
	_, err = c.FindCustomerByEmail(ctx, "nobody@example.com")
	wantKind(t, err, heartland.ErrNotFound)
	id, err := c.CreateCustomer(ctx, heartland.CustomerFields{FirstName: heartland.String("Sam"), LastName: heartland.String("Shopper"), Email: heartland.String("sam@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateCustomer(ctx, id, heartland.CustomerFields{Phone: heartland.String("555-0100")}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetCustomer(ctx, id)
	if err != nil || got.Phone != "555-0100" || got.Email != "sam@example.com" || !got.Active {
		t.Fatalf("customer: %+v %v", got, err)
	}
	aid, err := c.CreateCustomerAddress(ctx, id, heartland.Address{FirstName: "Sam", Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"})
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := c.ListCustomerAddresses(ctx, id)
	if err != nil || len(addrs) != 1 || addrs[0].ID != aid || addrs[0].PostalCode != "62701" {
		t.Fatalf("addresses: %+v %v", addrs, err)
	}
	_, err = c.CreateCustomerAddress(ctx, 999, heartland.Address{Line1: "x"})
	wantKind(t, err, heartland.ErrNotFound)
	_, err = c.CreateCustomer(ctx, heartland.CustomerFields{Phone: heartland.String("1")})
	wantKind(t, err, heartland.ErrValidation)
	if _, ok := srv.CustomerByEmail("sam@example.com"); !ok {
		t.Fatal("customer not stored")
	}
}

func TestPaymentTypesFindOrCreate(t *testing.T) {
	srv, c := newFake(t)
	_, err := c.FindPaymentTypeByName(ctx, heartland.ExternalPaymentTypeName)
	wantKind(t, err, heartland.ErrNotFound)
	id, err := c.CreatePaymentType(ctx, heartland.ExternalPaymentTypeName)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := c.FindPaymentTypeByName(ctx, heartland.ExternalPaymentTypeName)
	if err != nil || pt.ID != id || !pt.Active {
		t.Fatalf("%+v %v", pt, err)
	}
	_, err = c.CreatePaymentType(ctx, heartland.ExternalPaymentTypeName)
	wantKind(t, err, heartland.ErrConflict)
	if n := len(srv.PaymentTypes()); n != 3 {
		t.Fatalf("payment types: %d", n)
	}
}

func TestCreateReadsIDFromBodyWhenNoLocation(t *testing.T) {
	srv, c := newFake(t, heartlandtest.WithCreateBodies())
	id, err := c.CreatePaymentType(ctx, "Gift Card")
	if err != nil || id == 0 {
		t.Fatalf("%d %v", id, err)
	}
	_ = srv
	if errors.Is(err, heartland.ErrProtocol) {
		t.Fatal("unexpected protocol error")
	}
}

// fakeClock is a manually advanced clock for timestamps in the fake.
type fakeClock struct {
	ch chan time.Time
}

func newClock() *fakeClock {
	c := &fakeClock{ch: make(chan time.Time, 1)}
	c.ch <- time.Date(2026, 1, 4, 20, 24, 15, 0, time.UTC)
	return c
}

func (c *fakeClock) now() time.Time {
	t := <-c.ch
	c.ch <- t
	return t
}

func (c *fakeClock) advance(d time.Duration) {
	t := <-c.ch
	c.ch <- t.Add(d)
}
