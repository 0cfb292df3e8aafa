package bigcommerce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Inventory tracking modes of a product. They decide which identifier the
// Inventory API accepts: product_id for "product", variant_id/sku for "variant".
const (
	TrackingNone    = "none"
	TrackingProduct = "product"
	TrackingVariant = "variant"
)

// Batch limits documented for catalog writes; larger batches get a 413.
const (
	MaxProductBatch = 10
	MaxVariantBatch = 50
	MaxPageLimit    = 250
)

// Product is a catalog v3 product (the fields an inventory-master
// integration uses; unknown fields are ignored).
type Product struct {
	ID                    int           `json:"id"`
	Name                  string        `json:"name"`
	Type                  string        `json:"type"`
	SKU                   string        `json:"sku"`
	Description           string        `json:"description"`
	Weight                Number        `json:"weight"`
	Price                 Number        `json:"price"`
	CostPrice             Number        `json:"cost_price"`
	RetailPrice           Number        `json:"retail_price"`
	SalePrice             Number        `json:"sale_price"`
	CalculatedPrice       Number        `json:"calculated_price"`
	InventoryLevel        int           `json:"inventory_level"`
	InventoryWarningLevel int           `json:"inventory_warning_level"`
	InventoryTracking     string        `json:"inventory_tracking"`
	IsVisible             bool          `json:"is_visible"`
	Availability          string        `json:"availability"`
	Categories            []int         `json:"categories"`
	BrandID               int           `json:"brand_id"`
	UPC                   string        `json:"upc"`
	BaseVariantID         *int          `json:"base_variant_id"`
	DateCreated           Time          `json:"date_created"`
	DateModified          Time          `json:"date_modified"`
	CustomFields          []CustomField `json:"custom_fields,omitempty"`
	Variants              []Variant     `json:"variants,omitempty"`
	// Modifiers are the product's customisations (include=modifiers only).
	Modifiers []Modifier `json:"modifiers,omitempty"`
	// GiftWrappingOptionsType is any, none or list: whether shoppers may
	// gift-wrap the product (a new product accepts any wrapping).
	GiftWrappingOptionsType string `json:"gift_wrapping_options_type,omitempty"`
}

// CustomField is a product custom field (name/value pair, unique per product).
type CustomField struct {
	ID    int    `json:"id,omitempty"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ProductCreate is the body of POST /v3/catalog/products. Name, Type,
// Weight and Price are required by the API.
type ProductCreate struct {
	Name              string          `json:"name"`
	Type              string          `json:"type"`
	SKU               string          `json:"sku,omitempty"`
	Description       string          `json:"description,omitempty"`
	Weight            Number          `json:"weight"`
	Price             Number          `json:"price"`
	CostPrice         *Number         `json:"cost_price,omitempty"`
	RetailPrice       *Number         `json:"retail_price,omitempty"`
	SalePrice         *Number         `json:"sale_price,omitempty"`
	Categories        []int           `json:"categories,omitempty"`
	InventoryTracking string          `json:"inventory_tracking,omitempty"`
	InventoryLevel    *int            `json:"inventory_level,omitempty"`
	IsVisible         *bool           `json:"is_visible,omitempty"`
	UPC               string          `json:"upc,omitempty"`
	CustomFields      []CustomField   `json:"custom_fields,omitempty"`
	Variants          []VariantCreate `json:"variants,omitempty"`
}

// ProductUpdate is one item of a batch PUT; nil fields are left unchanged.
type ProductUpdate struct {
	ID                int     `json:"id"`
	Name              *string `json:"name,omitempty"`
	SKU               *string `json:"sku,omitempty"`
	Description       *string `json:"description,omitempty"`
	Price             *Number `json:"price,omitempty"`
	CostPrice         *Number `json:"cost_price,omitempty"`
	RetailPrice       *Number `json:"retail_price,omitempty"`
	SalePrice         *Number `json:"sale_price,omitempty"`
	Weight            *Number `json:"weight,omitempty"`
	InventoryTracking *string `json:"inventory_tracking,omitempty"`
	InventoryLevel    *int    `json:"inventory_level,omitempty"`
	IsVisible         *bool   `json:"is_visible,omitempty"`
	Categories        []int   `json:"categories,omitempty"`
	UPC               *string `json:"upc,omitempty"`
}

// ProductFilter selects products for ListProducts / WalkProducts.
type ProductFilter struct {
	IDs []int // id:in
	// SKU matches the base product SKU only; variant SKUs need ListVariants.
	SKU string
	// SKUs matches any of these base product SKUs (sku:in).
	SKUs []string
	// DateModifiedMin keeps products modified at or after it
	// (date_modified:min; a full timestamp is always sent). The API has no
	// filter on the creation date: a store ignores date_created:min.
	DateModifiedMin time.Time
	IncludeVariants bool // include=variants
	// IncludeCustomFields adds include=custom_fields.
	IncludeCustomFields bool
	// IncludeModifiers adds include=modifiers (the store then answers at
	// most 10 products a page).
	IncludeModifiers bool
	// Limit is the page size (default and max 250).
	Limit int
	// AfterID keeps products with a greater id and sorts by id (id:greater
	// and sort=id): a keyset page that a concurrent delete cannot shift.
	AfterID int
	// ByID sorts by id without AfterID (the first keyset page).
	ByID bool
}

func (f ProductFilter) query() url.Values {
	q := url.Values{}
	if f.AfterID > 0 {
		q.Set("id:greater", strconv.Itoa(f.AfterID))
	}
	if f.AfterID > 0 || f.ByID {
		q.Set("sort", "id")
	}
	if len(f.IDs) > 0 {
		q.Set("id:in", joinInts(f.IDs))
	}
	if f.SKU != "" {
		q.Set("sku", f.SKU)
	}
	if len(f.SKUs) > 0 {
		q.Set("sku:in", strings.Join(f.SKUs, ","))
	}
	// A bare date gets the request's current time appended by the API, so
	// always send a full RFC 3339 timestamp.
	if !f.DateModifiedMin.IsZero() {
		q.Set("date_modified:min", f.DateModifiedMin.UTC().Format(time.RFC3339))
	}
	inc := includes(f.IncludeVariants, f.IncludeCustomFields)
	if f.IncludeModifiers {
		inc = strings.TrimPrefix(inc+",modifiers", ",")
	}
	q.Set("include", inc)
	if q.Get("include") == "" {
		q.Del("include")
	}
	return q
}

func includes(variants, customFields bool) string {
	switch {
	case variants && customFields:
		return "variants,custom_fields"
	case variants:
		return "variants"
	case customFields:
		return "custom_fields"
	}
	return ""
}

const productsPath = "/v3/catalog/products"

// ListProducts walks every page of products matching f.
func (c *Client) ListProducts(ctx context.Context, f ProductFilter) ([]Product, error) {
	return c.WalkProducts(f, Cursor{}).All(ctx)
}

// WalkProducts reads products matching f a page per Next, from the page
// after from, so long walks can checkpoint between pages; the walker's
// Pagination says how many pages there are.
func (c *Client) WalkProducts(f ProductFilter, from Cursor) *Walker[Product] {
	return newWalker[Product](c, productsPath, f.query(), clampLimit(f.Limit, MaxPageLimit, MaxPageLimit), false, from)
}

// GetProduct reads one product, with its variants and custom fields.
func (c *Client) GetProduct(ctx context.Context, id int) (Product, error) {
	q := url.Values{"include": {"variants,custom_fields"}}
	return v3Call[Product](ctx, c, http.MethodGet, fmt.Sprintf("%s/%d", productsPath, id), q, nil)
}

// CreateProduct creates one product (the API takes one per call). On a 207
// the saved product is returned together with an *APIError of KindPartialSuccess.
func (c *Client) CreateProduct(ctx context.Context, p ProductCreate) (Product, error) {
	return v3Call[Product](ctx, c, http.MethodPost, productsPath, nil, p)
}

// UpdateProducts batch-updates products in chunks of MaxProductBatch, one
// chunk after another. It returns what was saved so far; on a 207 in any
// chunk it carries on and returns an *APIError of KindPartialSuccess at the end (the
// last one seen), and on any other error it stops.
func (c *Client) UpdateProducts(ctx context.Context, updates []ProductUpdate) ([]Product, error) {
	return chunked(updates, MaxProductBatch, func(chunk []ProductUpdate) ([]Product, error) {
		return v3Call[[]Product](ctx, c, http.MethodPut, productsPath, nil, chunk)
	})
}

// chunked runs fn over consecutive chunks of at most size items.
func chunked[In, Out any](items []In, size int, fn func([]In) ([]Out, error)) ([]Out, error) {
	var out []Out
	var partial error
	for start := 0; start < len(items); start += size {
		got, err := fn(items[start:min(start+size, len(items))])
		out = append(out, got...)
		if err != nil {
			if errors.Is(err, ErrPartialSuccess) {
				partial = err
				continue
			}
			return out, err
		}
	}
	return out, partial
}

// ListCustomFields returns all custom fields of a product.
func (c *Client) ListCustomFields(ctx context.Context, productID int) ([]CustomField, error) {
	return v3Walk[CustomField](ctx, c, fmt.Sprintf("%s/%d/custom-fields", productsPath, productID), nil, MaxPageLimit)
}

// CreateCustomField adds one custom field to a product; a duplicate
// name+value pair is a 409.
func (c *Client) CreateCustomField(ctx context.Context, productID int, f CustomField) (CustomField, error) {
	f.ID = 0
	return v3Call[CustomField](ctx, c, http.MethodPost, fmt.Sprintf("%s/%d/custom-fields", productsPath, productID), nil, f)
}
