package heartland

import (
	"context"
	"fmt"
	"time"
)

// Item is a Heartland catalog item. Its public_id ("Item #") is the key hrbc
// matches against BigCommerce SKUs.
type Item struct {
	ID                 int64          `json:"id"`
	PublicID           string         `json:"public_id"`
	Description        string         `json:"description"`
	LongDescription    string         `json:"long_description,omitempty"`
	Cost               Money          `json:"cost"`
	Price              Money          `json:"price"`
	OriginalPrice      Money          `json:"original_price"`
	Active             bool           `json:"active"`
	TrackInventory     bool           `json:"track_inventory"`
	AllowFractionalQty bool           `json:"allow_fractional_qty"`
	AvailableOnline    bool           `json:"available_online"`
	GridID             *int64         `json:"grid_id,omitempty"`
	PrimaryBarcode     string         `json:"primary_barcode,omitempty"`
	Weight             *Decimal       `json:"weight,omitempty"`
	Custom             map[string]any `json:"custom,omitempty"`
	CreatedAt          time.Time      `json:"created_at,omitzero"`
	UpdatedAt          time.Time      `json:"updated_at,omitzero"`
}

// UnmarshalJSON accepts Heartland's "active?"-style boolean names.
func (i *Item) UnmarshalJSON(b []byte) error {
	type plain Item
	return decodeWire(b, (*plain)(i))
}

// CustomString returns a custom value as text ("" when absent).
func (i Item) CustomString(key string) string { return customString(i.Custom, key) }

func customString(m map[string]any, key string) string {
	v, ok := m[key]
	if !ok || v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// ItemFields is a create or partial-update body for an item: only non-nil
// fields are sent, so an update never clobbers what the caller did not set.
type ItemFields struct {
	PublicID        *string        `json:"public_id,omitempty"`
	Description     *string        `json:"description,omitempty"`
	LongDescription *string        `json:"long_description,omitempty"`
	Cost            *Money         `json:"cost,omitempty"`
	Price           *Money         `json:"price,omitempty"`
	OriginalPrice   *Money         `json:"original_price,omitempty"`
	Active          *bool          `json:"active,omitempty"`
	TrackInventory  *bool          `json:"track_inventory,omitempty"`
	AvailableOnline *bool          `json:"available_online,omitempty"`
	GridID          *int64         `json:"grid_id,omitempty"`
	PrimaryBarcode  *string        `json:"primary_barcode,omitempty"`
	Weight          *Decimal       `json:"weight,omitempty"`
	Custom          map[string]any `json:"custom,omitempty"`
}

// GetItem reads one item by id.
func (c *Client) GetItem(ctx context.Context, id int64) (Item, error) {
	var it Item
	err := c.get(ctx, idPath("items", id), nil, &it)
	return it, err
}

// FindItemByPublicID returns the item whose Item # is publicID, or a
// apierror.KindNotFound error.
func (c *Client) FindItemByPublicID(ctx context.Context, publicID string) (Item, error) {
	return first[Item](ctx, c, "items", Query{Filters: []Filter{{"public_id": publicID}}}, "item with public_id "+publicID)
}

// ItemsByPublicIDs returns the items among publicIDs that exist, with one
// $in filter; it is one paginated walk, normally a single call when callers
// batch a few hundred ids.
func (c *Client) ItemsByPublicIDs(ctx context.Context, publicIDs []string) ([]Item, error) {
	if len(publicIDs) == 0 {
		return nil, nil
	}
	q := Query{Filters: []Filter{{"public_id": In(publicIDs...)}}, PerPage: max(len(publicIDs), c.pageSize())}
	return c.WalkItems(q, Cursor{}).All(ctx)
}

// ListItems reads one page of items.
func (c *Client) ListItems(ctx context.Context, q Query) (Page[Item], error) {
	return list[Item](ctx, c, "items", q)
}

// WalkItems walks all items matching q with keyset paging from cursor from.
func (c *Client) WalkItems(q Query, from Cursor) *Walker[Item] {
	return newWalker(c, "items", q, from, func(i *Item) int64 { return i.ID })
}

// CreateItem creates an item and returns its id. Heartland rejects a
// duplicate public_id (apierror.KindConflict) and missing required custom fields
// (apierror.KindValidation).
func (c *Client) CreateItem(ctx context.Context, f ItemFields) (int64, error) {
	return c.create(ctx, "items", f)
}

// UpdateItem applies a partial update.
func (c *Client) UpdateItem(ctx context.Context, id int64, f ItemFields) error {
	return c.put(ctx, idPath("items", id), f)
}

// SetItemCustomValues writes custom values (keyed by custom-field key) on an
// item, leaving the others untouched.
func (c *Client) SetItemCustomValues(ctx context.Context, id int64, values map[string]any) error {
	return c.put(ctx, idPath("items", id), ItemFields{Custom: values})
}
