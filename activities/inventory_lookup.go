package activities

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// maxSKULookupsPerRound bounds the SKUs one incremental round looks up in
// BigCommerce one by one; the rest wait for their next movement.
const maxSKULookupsPerRound = 25

// lookUpUnknownSKUs adds to the index the BigCommerce products of SKUs it
// does not know: a product pushed, pulled or linked, or a variant added,
// since the index was built. Without it a movement for such a SKU would be
// dropped until the next rebuild, and the website would show 0 meanwhile.
//
// A SKU BigCommerce does not have (a POS-only item) is remembered as absent
// for the index's maximum age, so that every sale of it does not cost a
// look-up; named SKUs (a signal naming a newly linked item) are looked up
// regardless. Caller holds m.mu.
func (a *Inventory) lookUpUnknownSKUs(ctx context.Context, m *inventoryMemory, bc *bigcommerce.Client, snap *bcSnapshot, skus []string, named map[string]bool) error {
	if m.absent == nil {
		m.absent = map[string]time.Time{}
	}
	looked := 0
	var productIDs []int
	for _, sku := range skus {
		if _, known := snap.targets[sku]; known || looked >= maxSKULookupsPerRound {
			continue
		}
		if at, ok := m.absent[sku]; ok && !named[sku] && time.Since(at) < a.indexMaxAge() {
			continue
		}
		looked++
		id, err := productOfSKU(ctx, bc, sku)
		if err != nil {
			return err
		}
		if id == 0 {
			m.absent[sku] = time.Now()
			continue
		}
		delete(m.absent, sku)
		if !slices.Contains(productIDs, id) {
			productIDs = append(productIDs, id)
		}
	}
	if len(productIDs) == 0 {
		return nil
	}
	products, err := bc.ListProducts(ctx, bigcommerce.ProductFilter{IDs: productIDs, IncludeVariants: true})
	if err != nil {
		return bigCommerceError(fmt.Sprintf("read %d products found by SKU", len(productIDs)), err)
	}
	for _, p := range products {
		snap.index(p)
	}
	return nil
}

// productOfSKU is the product whose own SKU or one of whose variants' SKU
// is sku, 0 when none is.
func productOfSKU(ctx context.Context, bc *bigcommerce.Client, sku string) (int, error) {
	products, err := bc.ListProducts(ctx, bigcommerce.ProductFilter{SKU: sku})
	if err != nil {
		return 0, bigCommerceError(fmt.Sprintf("find BigCommerce product with SKU %q", sku), err)
	}
	if len(products) > 0 {
		return products[0].ID, nil
	}
	variants, err := bc.ListVariants(ctx, bigcommerce.VariantFilter{SKU: sku})
	if err != nil {
		return 0, bigCommerceError(fmt.Sprintf("find BigCommerce variant with SKU %q", sku), err)
	}
	for _, v := range variants {
		if v.SKU == sku {
			return v.ProductID, nil
		}
	}
	return 0, nil
}
