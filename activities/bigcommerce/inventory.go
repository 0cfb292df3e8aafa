package bigcommerce

import (
	"context"
	"net/http"
	"net/url"
	"sort"
)

// MaxInventoryBatch is the documented row limit of an adjustment request.
const MaxInventoryBatch = 2000

// AdjustmentItem is one row of an inventory adjustment. Exactly one of SKU,
// VariantID or ProductID must be set, matching the product's tracking mode:
// ProductID for products tracked by product, VariantID or SKU for products
// tracked by variant.
type AdjustmentItem struct {
	LocationID int    `json:"location_id"`
	SKU        string `json:"sku,omitempty"`
	VariantID  int    `json:"variant_id,omitempty"`
	ProductID  int    `json:"product_id,omitempty"`
	// Quantity is the new level (absolute) or the delta (relative).
	Quantity int `json:"quantity"`
}

// AdjustmentRequest is the body of both adjustment endpoints.
type AdjustmentRequest struct {
	Reason string           `json:"reason,omitempty"`
	Items  []AdjustmentItem `json:"items"`
}

// TransactionResponse is what adjustment writes return. The write is
// applied asynchronously; an immediate re-read may still be stale.
type TransactionResponse struct {
	TransactionID string `json:"transaction_id"`
}

// AdjustAbsolute sets stock levels. Rows are grouped by location (as the
// docs recommend) and sent in requests of at most MaxInventoryBatch rows,
// strictly one after another (bulk inventory writes must be sequential).
// It returns the transaction id of each request sent; on error, the ids of
// the requests that succeeded before it.
func (c *Client) AdjustAbsolute(ctx context.Context, reason string, items []AdjustmentItem) ([]string, error) {
	return c.adjust(ctx, http.MethodPut, "/v3/inventory/adjustments/absolute", reason, items)
}

// AdjustRelative adds deltas to stock levels (not idempotent: prefer
// AdjustAbsolute). Batching as for AdjustAbsolute.
func (c *Client) AdjustRelative(ctx context.Context, reason string, items []AdjustmentItem) ([]string, error) {
	return c.adjust(ctx, http.MethodPost, "/v3/inventory/adjustments/relative", reason, items)
}

func (c *Client) adjust(ctx context.Context, method, path, reason string, items []AdjustmentItem) ([]string, error) {
	sorted := append([]AdjustmentItem(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].LocationID < sorted[j].LocationID })
	var ids []string
	for start := 0; start < len(sorted); start += MaxInventoryBatch {
		chunk := sorted[start:min(start+MaxInventoryBatch, len(sorted))]
		resp, err := c.do(ctx, method, path, nil, AdjustmentRequest{Reason: reason, Items: chunk})
		if err != nil {
			return ids, err
		}
		var tr TransactionResponse
		if err := decodeJSON(method, path, resp, &tr); err != nil {
			return ids, err
		}
		ids = append(ids, tr.TransactionID)
	}
	return ids, nil
}

// InventoryItem is one item of GET /v3/inventory/items: its identity and
// its stock at every location.
type InventoryItem struct {
	Identity  InventoryIdentity   `json:"identity"`
	Locations []InventoryLocation `json:"locations"`
}

// InventoryIdentity identifies an inventory item.
type InventoryIdentity struct {
	SKU       string `json:"sku"`
	VariantID int    `json:"variant_id"`
	ProductID int    `json:"product_id"`
	SKUID     *int   `json:"sku_id"`
}

// InventoryLocation is an item's stock at one location.
type InventoryLocation struct {
	LocationID           int               `json:"location_id"`
	LocationCode         string            `json:"location_code"`
	LocationName         string            `json:"location_name"`
	AvailableToSell      int               `json:"available_to_sell"`
	TotalInventoryOnHand int               `json:"total_inventory_onhand"`
	LocationEnabled      bool              `json:"location_enabled"`
	Settings             InventorySettings `json:"settings"`
}

// InventorySettings are an item's per-location settings.
type InventorySettings struct {
	SafetyStock      int    `json:"safety_stock"`
	IsInStock        bool   `json:"is_in_stock"`
	WarningLevel     int    `json:"warning_level"`
	BinPickingNumber string `json:"bin_picking_number"`
}

// InventoryFilter selects inventory items; empty lists are not sent.
type InventoryFilter struct {
	SKUs        []string
	VariantIDs  []int
	ProductIDs  []int
	LocationIDs []int
}

// maxInventoryPage is the documented per-response item cap.
const maxInventoryPage = 1000

// ListInventoryItems walks GET /v3/inventory/items for the filter.
func (c *Client) ListInventoryItems(ctx context.Context, f InventoryFilter) ([]InventoryItem, error) {
	q := url.Values{}
	if len(f.SKUs) > 0 {
		q.Set("sku:in", joinStrings(f.SKUs))
	}
	if len(f.VariantIDs) > 0 {
		q.Set("variant_id:in", joinInts(f.VariantIDs))
	}
	if len(f.ProductIDs) > 0 {
		q.Set("product_id:in", joinInts(f.ProductIDs))
	}
	if len(f.LocationIDs) > 0 {
		q.Set("location_id:in", joinInts(f.LocationIDs))
	}
	return v3Walk[InventoryItem](ctx, c, "/v3/inventory/items", q, maxInventoryPage)
}

func joinStrings(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}
