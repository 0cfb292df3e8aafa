package bigcommerce

import (
	"context"
	"net/http"
	"net/url"
)

// Variant is a catalog v3 variant (productVariant_Full). A simple product
// has one base variant whose id is the product's base_variant_id.
type Variant struct {
	ID                    int           `json:"id"`
	ProductID             int           `json:"product_id"`
	SKU                   string        `json:"sku"`
	SKUID                 *int          `json:"sku_id"`
	Price                 *Number       `json:"price"`
	SalePrice             *Number       `json:"sale_price"`
	RetailPrice           *Number       `json:"retail_price"`
	CostPrice             *Number       `json:"cost_price"`
	CalculatedPrice       Number        `json:"calculated_price"`
	Weight                *Number       `json:"weight"`
	InventoryLevel        int           `json:"inventory_level"`
	InventoryWarningLevel int           `json:"inventory_warning_level"`
	PurchasingDisabled    bool          `json:"purchasing_disabled"`
	UPC                   string        `json:"upc"`
	OptionValues          []OptionValue `json:"option_values"`
}

// OptionValue is one option choice that defines a variant (e.g. Size: M).
type OptionValue struct {
	ID                int    `json:"id"`
	Label             string `json:"label"`
	OptionID          int    `json:"option_id"`
	OptionDisplayName string `json:"option_display_name"`
}

// VariantCreate is a variant in a product creation body.
type VariantCreate struct {
	SKU            string        `json:"sku"`
	Price          *Number       `json:"price,omitempty"`
	CostPrice      *Number       `json:"cost_price,omitempty"`
	Weight         *Number       `json:"weight,omitempty"`
	InventoryLevel *int          `json:"inventory_level,omitempty"`
	UPC            string        `json:"upc,omitempty"`
	OptionValues   []OptionValue `json:"option_values"`
}

// VariantUpdate is one item of a batch variant PUT; nil fields are unchanged.
type VariantUpdate struct {
	ID                 int     `json:"id"`
	SKU                *string `json:"sku,omitempty"`
	Price              *Number `json:"price,omitempty"`
	SalePrice          *Number `json:"sale_price,omitempty"`
	RetailPrice        *Number `json:"retail_price,omitempty"`
	CostPrice          *Number `json:"cost_price,omitempty"`
	Weight             *Number `json:"weight,omitempty"`
	InventoryLevel     *int    `json:"inventory_level,omitempty"`
	PurchasingDisabled *bool   `json:"purchasing_disabled,omitempty"`
	UPC                *string `json:"upc,omitempty"`
}

// VariantFilter selects variants store-wide.
type VariantFilter struct {
	SKU        string // exact variant SKU (this is how variant SKUs are found)
	ProductIDs []int  // product_id:in; the API documents no id:in here
}

const variantsPath = "/v3/catalog/variants"

// ListVariants walks all variants matching f across the store.
func (c *Client) ListVariants(ctx context.Context, f VariantFilter) ([]Variant, error) {
	q := url.Values{}
	if f.SKU != "" {
		q.Set("sku", f.SKU)
	}
	if len(f.ProductIDs) > 0 {
		q.Set("product_id:in", joinInts(f.ProductIDs))
	}
	return v3Walk[Variant](ctx, c, variantsPath, q, MaxPageLimit)
}

// UpdateVariants batch-updates variants in chunks of MaxVariantBatch, sent
// one after another (partial results and 207s as for UpdateProducts).
func (c *Client) UpdateVariants(ctx context.Context, updates []VariantUpdate) ([]Variant, error) {
	return chunked(updates, MaxVariantBatch, func(chunk []VariantUpdate) ([]Variant, error) {
		return v3Call[[]Variant](ctx, c, http.MethodPut, variantsPath, nil, chunk)
	})
}
