package heartland_test

import (
	"testing"

	"github.com/hrbc/hrbc/activities/heartland"
)

func TestItemsCRUD(t *testing.T) {
	srv, c := newFake(t)
	id, err := c.CreateItem(ctx, heartland.ItemFields{
		PublicID: heartland.String("HR-NEW-01"), Description: heartland.String("New thing"),
		Price: heartland.Dec("5.25").Ptr(), Cost: heartland.Dec("2").Ptr(), Custom: map[string]any{"color": "Red"},
	})
	if err != nil {
		t.Fatal(err)
	}
	it, err := c.GetItem(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if it.PublicID != "HR-NEW-01" || !it.Price.Equal(heartland.Dec("5.25")) || !it.Active || it.CustomString("color") != "Red" {
		t.Fatalf("unexpected item %+v", it)
	}
	// Partial update: only price changes.
	if err := c.UpdateItem(ctx, id, heartland.ItemFields{Price: heartland.Dec("6").Ptr()}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetItemCustomValues(ctx, id, map[string]any{"size": "XL"}); err != nil {
		t.Fatal(err)
	}
	got := mustItem(t, srv, "HR-NEW-01")
	if !got.Price.Equal(heartland.DecInt(6)) || got.Description != "New thing" || got.CustomString("color") != "Red" || got.CustomString("size") != "XL" {
		t.Fatalf("partial update clobbered fields: %+v", got)
	}
	found, err := c.FindItemByPublicID(ctx, "HR-MUG-01")
	if err != nil || found.Description != "Heartland Mug" {
		t.Fatalf("find: %+v %v", found, err)
	}
	batch, err := c.ItemsByPublicIDs(ctx, []string{"HR-MUG-01", "HR-CAP-01", "NOPE"})
	if err != nil || len(batch) != 2 {
		t.Fatalf("batch: %d %v", len(batch), err)
	}
	if b, err := c.ItemsByPublicIDs(ctx, nil); err != nil || b != nil {
		t.Fatalf("empty batch: %v %v", b, err)
	}
}

func TestItemFilters(t *testing.T) {
	srv, c := newFake(t)
	_ = srv
	mug := mustItem(t, srv, "HR-MUG-01")
	if err := c.UpdateItem(ctx, mug.ID, heartland.ItemFields{Active: heartland.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	pg, err := c.ListItems(ctx, heartland.Query{Filters: []heartland.Filter{{"active": false}}})
	if err != nil || pg.Total != 1 || pg.Results[0].PublicID != "HR-MUG-01" || pg.Results[0].Active {
		t.Fatalf("active filter: %+v %v", pg, err)
	}
	pg, err = c.ListItems(ctx, heartland.Query{
		Filters: []heartland.Filter{{heartland.CustomKey("color"): "Black"}, {"price": heartland.Gte(20)}},
		Sort:    []string{"public_id,desc"}, PerPage: 10,
	})
	if err != nil || pg.Total != 3 || pg.Results[0].PublicID != "HR-TEE-BLK-S" || pg.Results[2].PublicID != "HR-TEE-BLK-L" {
		t.Fatalf("custom filter: %+v %v", pg, err)
	}
	pg, err = c.ListItems(ctx, heartland.Query{Filters: []heartland.Filter{heartland.Or(
		heartland.Filter{"public_id": "HR-CAP-01"}, heartland.Filter{"public_id": heartland.In("HR-SOCK-01", "HR-BTL-01")})},
		Only: []string{"id", "public_id"}, PerPage: 10})
	if err != nil || pg.Total != 3 || pg.Results[0].Description != "" {
		t.Fatalf("$or/_only: %+v %v", pg, err)
	}
	// The same filters sent as repeated _filter[] parameters.
	c2 := newClient(t, srv, func(cfg *heartland.Config) { cfg.FilterStyle = heartland.FilterRepeated })
	pg, err = c2.ListItems(ctx, heartland.Query{Filters: []heartland.Filter{{heartland.CustomKey("color"): "Black"}, {"public_id": heartland.Lte("HR-TEE-BLK-M")}}})
	if err != nil || pg.Total != 2 {
		t.Fatalf("repeated filters: %+v %v", pg, err)
	}
}

func TestWalkItemsResumes(t *testing.T) {
	_, c := newFake(t)
	w := c.WalkItems(heartland.Query{PerPage: 3}, heartland.Cursor{})
	first, err := w.Next(ctx)
	if err != nil || len(first) != 3 {
		t.Fatalf("first page: %d %v", len(first), err)
	}
	cur := w.Cursor()
	// A new item created mid-walk must not shift the remaining pages.
	if _, err := c.CreateItem(ctx, heartland.ItemFields{PublicID: heartland.String("HR-LATE-01"), Description: heartland.String("Late")}); err != nil {
		t.Fatal(err)
	}
	resumed := c.WalkItems(heartland.Query{PerPage: 3}, cur)
	rest, err := resumed.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, it := range append(first, rest...) {
		if seen[it.PublicID] {
			t.Fatalf("duplicate %s", it.PublicID)
		}
		seen[it.PublicID] = true
	}
	if len(seen) != 11 || !seen["HR-LATE-01"] || !resumed.Done() {
		t.Fatalf("walk saw %d items: %v", len(seen), seen)
	}
	if rows, err := resumed.Next(ctx); rows != nil || err != nil {
		t.Fatalf("done walker returned %v %v", rows, err)
	}
}

func TestItemErrors(t *testing.T) {
	srv, c := newFake(t)
	_, err := c.CreateItem(ctx, heartland.ItemFields{PublicID: heartland.String("HR-MUG-01"), Description: heartland.String("dup")})
	he := wantKind(t, err, heartland.ErrConflict)
	if he.Status != 422 || he.Details["public_id"] == nil || he.Method != "POST" || he.Path != "/items" {
		t.Fatalf("conflict error: %+v", he)
	}
	_, err = c.CreateItem(ctx, heartland.ItemFields{PublicID: heartland.String("X")})
	he = wantKind(t, err, heartland.ErrValidation)
	if he.Details["description"] == nil || he.Code != "validation_error" {
		t.Fatalf("validation details: %+v", he)
	}
	srv.AddCustomField(heartland.GroupItem, "Department", true)
	_, err = c.CreateItem(ctx, heartland.ItemFields{PublicID: heartland.String("X"), Description: heartland.String("x")})
	he = wantKind(t, err, heartland.ErrValidation)
	if he.Details["custom@department"] == nil {
		t.Fatalf("required custom field: %+v", he)
	}
	if _, ok := srv.ItemByPublicID("X"); ok {
		t.Fatal("rejected item was stored")
	}
	_, err = c.CreateItem(ctx, heartland.ItemFields{PublicID: heartland.String("X"), Description: heartland.String("x"), Custom: map[string]any{"department": "Mugs"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetItem(ctx, 9999)
	wantKind(t, err, heartland.ErrNotFound)
	_, err = c.FindItemByPublicID(ctx, "NOPE")
	wantKind(t, err, heartland.ErrNotFound)
	mug := mustItem(t, srv, "HR-MUG-01")
	err = c.UpdateItem(ctx, mug.ID, heartland.ItemFields{PublicID: heartland.String("HR-CAP-01")})
	wantKind(t, err, heartland.ErrConflict)
}
