package bigcommerce_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/apierror"
	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

func inventoryStore(t *testing.T) (*bigcommercetest.Server, *bc.Client, bc.Product, bc.Product, bc.Location) {
	srv, c := newFake(t)
	shop := srv.AddLocation(bigcommercetest.LocationSeed{Code: "SHOP", Label: "Shop"})
	simple := srv.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG", Tracking: bc.TrackingProduct})
	tee := srv.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{{SKU: "TEE-S"}, {SKU: "TEE-M"}}})
	srv.AddProduct(bigcommercetest.ProductSeed{Name: "Gift card", SKU: "GIFT", Tracking: bc.TrackingNone})
	return srv, c, simple, tee, shop
}

func TestLocations(t *testing.T) {
	srv, c, _, _, shop := inventoryStore(t)
	locs := must(c.ListLocations(ctx(t)))
	if len(locs) != 2 || locs[1].ID != shop.ID || locs[1].Code != "SHOP" || !locs[1].Enabled {
		t.Fatalf("locations = %+v", locs)
	}
	def := must(c.DefaultLocation(ctx(t)))
	if def.ID != srv.DefaultLocationID() {
		t.Fatalf("default = %+v", def)
	}
}

func TestAdjustAbsolute(t *testing.T) {
	srv, c, simple, tee, shop := inventoryStore(t)
	def := srv.DefaultLocationID()
	teeM := must(c.ListVariants(ctx(t), bc.VariantFilter{SKU: "TEE-M"}))[0]
	// 4500 rows: three requests of ≤2000, rows interleaved across locations
	// so the client has to group them. Later rows for the same item win.
	var rows []bc.AdjustmentItem
	for i := range 1500 {
		rows = append(rows,
			bc.AdjustmentItem{LocationID: shop.ID, ProductID: simple.ID, Quantity: i},
			bc.AdjustmentItem{LocationID: def, SKU: "TEE-S", Quantity: i + 1},
			bc.AdjustmentItem{LocationID: shop.ID, VariantID: teeM.ID, Quantity: 0},
		)
	}
	ids, err := c.AdjustAbsolute(ctx(t), "POS sync", rows)
	if err != nil || len(ids) != 3 || ids[0] == "" {
		t.Fatalf("ids %v err %v", ids, err)
	}
	want := map[string]map[int]int{"MUG": {def: 0, shop.ID: 1499}, "TEE-S": {def: 1500, shop.ID: 0}, "TEE-M": {def: 0, shop.ID: 0}}
	for sku, levels := range want {
		if got := srv.StockLevels(sku); fmt.Sprint(got) != fmt.Sprint(levels) {
			t.Fatalf("%s levels = %v, want %v", sku, got, levels)
		}
	}
	_ = tee
}

func TestAdjustErrors(t *testing.T) {
	srv, c, simple, tee, _ := inventoryStore(t)
	def := srv.DefaultLocationID()
	teeS := must(c.ListVariants(ctx(t), bc.VariantFilter{SKU: "TEE-S"}))[0]
	mugBase := *simple.BaseVariantID
	tests := []struct {
		name     string
		relative bool
		items    []bc.AdjustmentItem
		title    string
	}{
		{"variant id of product-tracked item", false, []bc.AdjustmentItem{{LocationID: def, VariantID: mugBase, Quantity: 1}},
			fmt.Sprintf("[Item with variant_id %d is tracked by product, please update stock by product id]", mugBase)},
		{"product id of variant-tracked item", false, []bc.AdjustmentItem{{LocationID: def, ProductID: tee.ID, Quantity: 1}}, "tracked by variant"},
		{"untracked product", false, []bc.AdjustmentItem{{LocationID: def, SKU: "GIFT", Quantity: 1}}, "not tracked"},
		{"unknown location", false, []bc.AdjustmentItem{{LocationID: 999, SKU: "TEE-S", Quantity: 1}}, "Location with id 999"},
		{"negative absolute", false, []bc.AdjustmentItem{{LocationID: def, SKU: "TEE-S", Quantity: -1}}, "invalid quantity"},
		{"relative before absolute", true, []bc.AdjustmentItem{{LocationID: def, ProductID: simple.ID, Quantity: 1}},
			fmt.Sprintf("Items with identity: [product_id %d] requires absolute adjustment before relative", simple.ID)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.relative {
				_, err = c.AdjustRelative(ctx(t), "", tc.items)
			} else {
				_, err = c.AdjustAbsolute(ctx(t), "", tc.items)
			}
			var ve *bc.APIError
			if !errors.As(err, &ve) || ve.Kind != apierror.KindValidation || !strings.Contains(ve.Message, tc.title) {
				t.Fatalf("err = %v, want 422 containing %q", err, tc.title)
			}
		})
	}
	// After an absolute adjustment, relative works and is checked against stock.
	must(c.AdjustAbsolute(ctx(t), "", []bc.AdjustmentItem{{LocationID: def, VariantID: teeS.ID, Quantity: 5}}))
	must(c.AdjustRelative(ctx(t), "", []bc.AdjustmentItem{{LocationID: def, SKU: "TEE-S", Quantity: -2}}))
	if lvl, _ := srv.StockLevel("TEE-S", def); lvl != 3 {
		t.Fatalf("after relative: %d", lvl)
	}
	if _, err := c.AdjustRelative(ctx(t), "", []bc.AdjustmentItem{{LocationID: def, SKU: "TEE-S", Quantity: -4}}); !errors.Is(err, bc.ErrValidation) {
		t.Fatalf("going negative: %v", err)
	}
}

func TestListInventoryItems(t *testing.T) {
	srv, c, simple, tee, shop := inventoryStore(t)
	def := srv.DefaultLocationID()
	must(0, srv.SetStock("MUG", shop.ID, 9))
	must(0, srv.SetStock("TEE-M", def, 4))
	teeM := must(c.ListVariants(ctx(t), bc.VariantFilter{SKU: "TEE-M"}))[0]
	tests := []struct {
		name string
		f    bc.InventoryFilter
		want string // sku@loc=qty, ...
	}{
		{"by sku", bc.InventoryFilter{SKUs: []string{"MUG"}}, fmt.Sprintf("MUG@%d=0 MUG@%d=9", def, shop.ID)},
		{"by variant", bc.InventoryFilter{VariantIDs: []int{teeM.ID}, LocationIDs: []int{def}}, fmt.Sprintf("TEE-M@%d=4", def)},
		{"by product", bc.InventoryFilter{ProductIDs: []int{tee.ID}, LocationIDs: []int{shop.ID}}, fmt.Sprintf("TEE-S@%d=0 TEE-M@%d=0", shop.ID, shop.ID)},
		{"product tracked by product", bc.InventoryFilter{ProductIDs: []int{simple.ID}, LocationIDs: []int{shop.ID}}, fmt.Sprintf("MUG@%d=9", shop.ID)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items := must(c.ListInventoryItems(ctx(t), tc.f))
			var parts []string
			for _, it := range items {
				for _, l := range it.Locations {
					parts = append(parts, fmt.Sprintf("%s@%d=%d", it.Identity.SKU, l.LocationID, l.TotalInventoryOnHand))
				}
			}
			if got := strings.Join(parts, " "); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInventoryBatchLimitEnforcedByFake(t *testing.T) {
	// The fake must reject what the real API rejects, so a client that
	// forgot to chunk would fail here (raw request, bypassing chunking).
	srv, _, simple, _, _ := inventoryStore(t)
	rows := make([]bc.AdjustmentItem, bc.MaxInventoryBatch+1)
	for i := range rows {
		rows[i] = bc.AdjustmentItem{LocationID: 1, ProductID: simple.ID, Quantity: 1}
	}
	status := rawJSON(t, srv, "PUT", "/v3/inventory/adjustments/absolute", bc.AdjustmentRequest{Items: rows})
	if status != 413 {
		t.Fatalf("status = %d, want 413", status)
	}
}

func TestAdjustAbsoluteIsEventuallyApplied(t *testing.T) {
	srv, c := newFake(t, bigcommercetest.WithInventoryApplyDelay(30*time.Millisecond))
	p := srv.AddProduct(bigcommercetest.ProductSeed{Name: "Slow", SKU: "SLOW", Stock: map[int]int{0: 1}})
	must(c.AdjustAbsolute(ctx(t), "", []bc.AdjustmentItem{{LocationID: srv.DefaultLocationID(), ProductID: p.ID, Quantity: 9}}))
	deadline := waitCtx(t)
	for {
		if lvl, _ := srv.StockLevel("SLOW", 0); lvl == 9 {
			return
		}
		select {
		case <-deadline.Done():
			t.Fatal("adjustment never applied")
		case <-time.After(5 * time.Millisecond):
		}
	}
}
