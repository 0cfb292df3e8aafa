package bigcommerce_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

func TestListVariantsBySKU(t *testing.T) {
	srv, c := newFake(t)
	p := srv.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{
		{SKU: "TEE-S", Option: "Small", Stock: map[int]int{0: 4}}, {SKU: "TEE-M", Option: "Medium"},
	}})
	vs := must(c.ListVariants(ctx(t), bc.VariantFilter{SKU: "TEE-S"}))
	if len(vs) != 1 || vs[0].ProductID != p.ID || vs[0].InventoryLevel != 4 || vs[0].OptionValues[0].Label != "Small" {
		t.Fatalf("variants = %+v", vs)
	}
	if vs := must(c.ListVariants(ctx(t), bc.VariantFilter{ProductIDs: []int{p.ID}})); len(vs) != 2 {
		t.Fatalf("by product: %d", len(vs))
	}
	if vs := must(c.ListVariants(ctx(t), bc.VariantFilter{SKU: "NOPE"})); len(vs) != 0 {
		t.Fatalf("unknown sku: %+v", vs)
	}
}

func TestUpdateVariantsChunks(t *testing.T) {
	srv, c := newFake(t)
	var seeds []bigcommercetest.VariantSeed
	for i := range 120 {
		seeds = append(seeds, bigcommercetest.VariantSeed{SKU: fmt.Sprintf("V-%03d", i)})
	}
	p := srv.AddProduct(bigcommercetest.ProductSeed{Name: "Many", SKU: "MANY", Variants: seeds})
	vs := must(c.ListVariants(ctx(t), bc.VariantFilter{ProductIDs: []int{p.ID}}))
	var ups []bc.VariantUpdate
	for _, v := range vs {
		ups = append(ups, bc.VariantUpdate{ID: v.ID, Price: ptr(bc.NewNumber("3.10")), InventoryLevel: ptr(2)})
	}
	got, err := c.UpdateVariants(ctx(t), ups)
	if err != nil || len(got) != 120 {
		t.Fatalf("updated %d: %v", len(got), err)
	}
	for _, v := range must(c.ListVariants(ctx(t), bc.VariantFilter{ProductIDs: []int{p.ID}})) {
		if v.Price == nil || !v.Price.Equal(d("3.1")) || v.InventoryLevel != 2 {
			t.Fatalf("variant %s not updated: %+v", v.SKU, v)
		}
	}
}

func TestUpdateVariantsErrors(t *testing.T) {
	srv, c := newFake(t)
	srv.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{{SKU: "A"}, {SKU: "B"}}})
	a := must(c.ListVariants(ctx(t), bc.VariantFilter{SKU: "A"}))[0]
	// The spec answers a failed batch with 422 and batch_errors, whatever
	// each variant's reason.
	if _, err := c.UpdateVariants(ctx(t), []bc.VariantUpdate{{ID: a.ID, SKU: ptr("B")}}); !errors.Is(err, bc.ErrValidation) || !strings.Contains(err.Error(), "duplicate") {
		t.Fatalf("dup sku: %v", err)
	}
	if _, err := c.UpdateVariants(ctx(t), []bc.VariantUpdate{{ID: 987654}}); !errors.Is(err, bc.ErrValidation) || !strings.Contains(err.Error(), "987654 not found") {
		t.Fatalf("unknown id: %v", err)
	}
	if _, err := c.UpdateVariants(ctx(t), []bc.VariantUpdate{{}}); !errors.Is(err, bc.ErrValidation) {
		t.Fatalf("missing id: %v", err)
	}
}
