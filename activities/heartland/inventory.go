package heartland

import (
	"context"
	"errors"
	"net/url"
	"time"
)

// InventoryValue is one row of /inventory/values grouped by item and
// location. Available = on hand - committed (stock reserved by open sales
// orders and layaways); in-transit stock is not on hand.
type InventoryValue struct {
	ItemID       int64 `json:"item_id"`
	LocationID   int64 `json:"location_id"`
	Qty          Qty   `json:"qty"`
	QtyOnHand    Qty   `json:"qty_on_hand"`
	QtyAvailable Qty   `json:"qty_available"`
	QtyCommitted Qty   `json:"qty_committed"`
	QtyOnPO      Qty   `json:"qty_on_po"`
	QtyInTransit Qty   `json:"qty_in_transit"`
	UnitCost     Money `json:"unit_cost"`
}

// UnmarshalJSON accepts "?"-style boolean names.
func (v *InventoryValue) UnmarshalJSON(b []byte) error {
	type plain InventoryValue
	return decodeWire(b, (*plain)(v))
}

// InventoryFilter narrows an inventory-values walk.
type InventoryFilter struct {
	ItemIDs []int64
	// ItemIDFrom and ItemIDTo bound the item ids (inclusive; 0 leaves that
	// end open). A range keeps the URL short where a long $in would not.
	ItemIDFrom, ItemIDTo int64
	LocationIDs          []int64
	ExcludeEmpty         bool // exclude_empty_locations=true drops all-zero rows
}

func (f InventoryFilter) query() Query {
	q := Query{Params: url.Values{"group[]": {"item_id", "location_id"}}}
	if len(f.ItemIDs) > 0 {
		q = q.Where(Filter{"item_id": In(f.ItemIDs...)})
	}
	if f.ItemIDFrom > 0 || f.ItemIDTo > 0 {
		r := Op{}
		if f.ItemIDFrom > 0 {
			r["$gte"] = f.ItemIDFrom
		}
		if f.ItemIDTo > 0 {
			r["$lte"] = f.ItemIDTo
		}
		q = q.Where(Filter{"item_id": r})
	}
	if len(f.LocationIDs) > 0 {
		q = q.Where(Filter{"location_id": In(f.LocationIDs...)})
	}
	if f.ExcludeEmpty {
		q.Params.Set("exclude_empty_locations", "true")
	}
	return q
}

// WalkInventoryValues walks /inventory/values?group[]=item_id&group[]=location_id.
// Grouped rows carry no id, so this walk is page-numbered.
func (c *Client) WalkInventoryValues(f InventoryFilter, from Cursor) *Walker[InventoryValue] {
	return newWalker[InventoryValue](c, "inventory/values", f.query(), from, nil)
}

// InventoryTransaction is one stock movement from /inventory/transactions.
// The row shape is UNCONFIRMED; only item, location, deltas and created_at
// are relied upon.
type InventoryTransaction struct {
	ID           int64     `json:"id"`
	ItemID       int64     `json:"item_id"`
	LocationID   int64     `json:"location_id"`
	Type         string    `json:"type,omitempty"`
	Qty          Qty       `json:"qty"`           // change of on-hand
	QtyCommitted Qty       `json:"qty_committed"` // change of committed
	SourceType   string    `json:"source_type,omitempty"`
	SourceID     int64     `json:"source_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// UnmarshalJSON accepts "?"-style boolean names.
func (t *InventoryTransaction) UnmarshalJSON(b []byte) error {
	type plain InventoryTransaction
	return decodeWire(b, (*plain)(t))
}

// WalkInventoryTransactions walks transactions created at or after since.
func (c *Client) WalkInventoryTransactions(since time.Time, from Cursor) *Walker[InventoryTransaction] {
	q := Query{Filters: []Filter{{"created_at": Gte(since.UTC().Format(time.RFC3339))}}}
	return newWalker(c, "inventory/transactions", q, from, func(t *InventoryTransaction) int64 { return t.ID })
}

// ItemLocation names one stock position.
type ItemLocation struct {
	ItemID     int64 `json:"item_id"`
	LocationID int64 `json:"location_id"`
}

// InventoryChanges is what InventoryChangesSince learned.
type InventoryChanges struct {
	// Changed lists the distinct positions that moved (transactions mode).
	Changed []ItemLocation
	// FullSnapshot is true when the values fallback ran: Values then holds
	// every position and the caller must treat them all as changed.
	FullSnapshot bool
	// Values is the full snapshot in fallback mode.
	Values []InventoryValue
	// Until is the watermark for the next call: the newest created_at seen,
	// or since when nothing moved. Re-reading a boundary row is harmless
	// because callers push absolute quantities.
	Until time.Time
}

// InventoryChangesSince reports stock positions that moved at or after since
// in one paginated walk. No change feed is documented, so the strategy
// follows Config.InventoryChanges: transactions by created_at, a full values
// snapshot, or auto (transactions, falling back to values on 404).
func (c *Client) InventoryChangesSince(ctx context.Context, since time.Time) (InventoryChanges, error) {
	mode := c.cfg.InventoryChanges
	if mode != ChangesValues {
		ch, err := c.changesFromTransactions(ctx, since)
		if err == nil || mode == ChangesTransactions || !errors.Is(err, ErrNotFound) {
			return ch, err
		}
	}
	vals, err := c.WalkInventoryValues(InventoryFilter{}, Cursor{}).All(ctx)
	if err != nil {
		return InventoryChanges{}, err
	}
	return InventoryChanges{FullSnapshot: true, Values: vals, Until: c.now().UTC()}, nil
}

func (c *Client) changesFromTransactions(ctx context.Context, since time.Time) (InventoryChanges, error) {
	out := InventoryChanges{Until: since}
	seen := map[ItemLocation]bool{}
	w := c.WalkInventoryTransactions(since, Cursor{})
	for !w.Done() {
		rows, err := w.Next(ctx)
		if err != nil {
			return InventoryChanges{}, err
		}
		for _, t := range rows {
			k := ItemLocation{t.ItemID, t.LocationID}
			if !seen[k] {
				seen[k] = true
				out.Changed = append(out.Changed, k)
			}
			if t.CreatedAt.After(out.Until) {
				out.Until = t.CreatedAt
			}
		}
	}
	return out, nil
}

// AdjustmentReason is an inventory adjustment reason code.
type AdjustmentReason struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// ListAdjustmentReasons walks /reason_codes/inventory_adjustment_reasons.
func (c *Client) ListAdjustmentReasons(ctx context.Context) ([]AdjustmentReason, error) {
	return newWalker(c, "reason_codes/inventory_adjustment_reasons", Query{}, Cursor{}, func(r *AdjustmentReason) int64 { return r.ID }).All(ctx)
}

// AdjustmentSet groups stock deltas at one location.
type AdjustmentSet struct {
	ID                 int64  `json:"id"`
	LocationID         int64  `json:"location_id"`
	AdjustmentReasonID int64  `json:"adjustment_reason_id"`
	Description        string `json:"description,omitempty"`
	Status             string `json:"status,omitempty"`
}

// UnmarshalJSON accepts "?"-style boolean names.
func (s *AdjustmentSet) UnmarshalJSON(b []byte) error {
	type plain AdjustmentSet
	return decodeWire(b, (*plain)(s))
}

// AdjustmentSetFields is the create body of an adjustment set.
type AdjustmentSetFields struct {
	LocationID         int64  `json:"location_id"`
	AdjustmentReasonID int64  `json:"adjustment_reason_id"`
	Description        string `json:"description,omitempty"`
}

// AdjustmentLine is one signed delta in an adjustment set.
type AdjustmentLine struct {
	ItemID   int64  `json:"item_id"`
	Qty      Qty    `json:"qty"`
	UnitCost *Money `json:"unit_cost,omitempty"`
}

// CreateAdjustmentSet creates a set and returns its id.
func (c *Client) CreateAdjustmentSet(ctx context.Context, f AdjustmentSetFields) (int64, error) {
	return c.create(ctx, "inventory/adjustment_sets", f)
}

// GetAdjustmentSet reads one set.
func (c *Client) GetAdjustmentSet(ctx context.Context, id int64) (AdjustmentSet, error) {
	var s AdjustmentSet
	err := c.get(ctx, idPath("inventory/adjustment_sets", id), nil, &s)
	return s, err
}

// AddAdjustmentLine adds one line to a set. Add lines sequentially: parallel
// line posts have been seen throttled.
func (c *Client) AddAdjustmentLine(ctx context.Context, setID int64, l AdjustmentLine) (int64, error) {
	return c.create(ctx, idPath("inventory/adjustment_sets", setID)+"/lines", l)
}

// CompleteAdjustmentSet PUTs Config.AdjustmentSetCompleteStatus on the set.
// Whether a set must be completed to post is UNCONFIRMED; calling it on an
// account that posts lines immediately is harmless.
func (c *Client) CompleteAdjustmentSet(ctx context.Context, id int64) error {
	return c.put(ctx, idPath("inventory/adjustment_sets", id), map[string]string{"status": c.cfg.AdjustmentSetCompleteStatus})
}
