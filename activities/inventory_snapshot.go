package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// bcTarget is what a BigCommerce SKU's stock is written through.
type bcTarget struct {
	// Tracking is the product's inventory_tracking; "none" also marks
	// variants of products tracked by product (not stockable one by one).
	Tracking string
	// ProductID is the product's id.
	ProductID int
	// VariantID is the variant's id (0 for a product-level target).
	VariantID int
}

// key identifies the target's level: product id for product tracking,
// variant id for variant tracking.
func (t bcTarget) key() bcKey {
	if t.Tracking == bigcommerce.TrackingProduct {
		return bcKey{product: t.ProductID}
	}
	return bcKey{variant: t.VariantID}
}

// row is the absolute adjustment setting the target to qty at loc, with
// the identifier its tracking mode requires.
func (t bcTarget) row(loc, qty int) bigcommerce.AdjustmentItem {
	if t.Tracking == bigcommerce.TrackingProduct {
		return bigcommerce.AdjustmentItem{LocationID: loc, ProductID: t.ProductID, Quantity: qty}
	}
	return bigcommerce.AdjustmentItem{LocationID: loc, VariantID: t.VariantID, Quantity: qty}
}

type bcKey struct{ product, variant int }

// bcSnapshot is a connection's BigCommerce SKU index and the on-hand levels
// at the receiving location, as of builtAt (and the writes made since).
type bcSnapshot struct {
	passID   string
	builtAt  time.Time
	location int
	targets  map[string]bcTarget
	levels   map[bcKey]int
	// seen collects the SKUs a pass matched, for the BigCommerce-only list;
	// contiguous is false when the pass's earlier chunks ran elsewhere.
	seen       map[string]bool
	contiguous bool
	nextCursor int64
}

// defaultLocationMaxAge is how long a looked-up default location is reused:
// it is one call per snapshot that almost never changes anything.
const defaultLocationMaxAge = time.Hour

// snapshot returns the connection's BigCommerce snapshot, building it when
// there is none, when it belongs to another pass (passID != "") or when it
// is older than maxAge (maxAge > 0). Caller holds m.mu.
func (a *Inventory) snapshot(ctx context.Context, m *inventoryMemory, cl Clients, scope InventoryScope, passID string, maxAge time.Duration, beat func()) (*bcSnapshot, error) {
	if s := m.snap; s.fits(scope, passID, maxAge) {
		return s, nil
	}
	location := scope.BigCommerceLocationID
	if location == 0 {
		var err error
		if location, err = m.storeDefaultLocation(ctx, cl.BigCommerce); err != nil {
			return nil, err
		}
	}
	s, err := buildSnapshot(ctx, cl.BigCommerce, location, beat)
	if err != nil {
		return nil, err
	}
	m.overlayRecent(s)
	s.passID = passID
	m.snap = s
	return s, nil
}

// fits reports whether snapshot may serve a call with these arguments as
// it stands (see snapshot); a nil snapshot fits nothing.
func (s *bcSnapshot) fits(scope InventoryScope, passID string, maxAge time.Duration) bool {
	return s != nil &&
		(passID == "" || s.passID == passID) &&
		(maxAge <= 0 || time.Since(s.builtAt) < maxAge) &&
		(scope.BigCommerceLocationID == 0 || scope.BigCommerceLocationID == s.location)
}

// storeDefaultLocation is the store's default location, looked up again
// after defaultLocationMaxAge. Caller holds m.mu.
func (m *inventoryMemory) storeDefaultLocation(ctx context.Context, bc *bigcommerce.Client) (int, error) {
	if m.defaultLocation != 0 && time.Since(m.defaultLocationAt) < defaultLocationMaxAge {
		return m.defaultLocation, nil
	}
	loc, err := bc.DefaultLocation(ctx)
	if err != nil {
		return 0, bigCommerceError("find the default inventory location", err)
	}
	m.defaultLocation, m.defaultLocationAt = loc.ID, time.Now()
	return loc.ID, nil
}

// buildSnapshot reads the whole BigCommerce catalog (250 products with
// their variants per call) and the levels at the receiving location (1000
// items per call).
func buildSnapshot(ctx context.Context, bc *bigcommerce.Client, location int, beat func()) (*bcSnapshot, error) {
	s := &bcSnapshot{
		builtAt: time.Now(), location: location,
		targets: map[string]bcTarget{}, levels: map[bcKey]int{}, seen: map[string]bool{},
	}
	tracking := map[int]string{}
	walk := bc.WalkProducts(bigcommerce.ProductFilter{IncludeVariants: true}, bigcommerce.Cursor{})
	for page := 1; ; page++ {
		products, err := walk.Next(ctx)
		pg := walk.Pagination()
		if err != nil {
			return nil, bigCommerceError(fmt.Sprintf("list products (page %d)", page), err)
		}
		for _, p := range products {
			tracking[p.ID] = p.InventoryTracking
			s.index(p)
		}
		beat()
		if len(products) == 0 || (pg.TotalPages > 0 && page >= pg.TotalPages) || (pg.TotalPages == 0 && len(products) < bigcommerce.MaxPageLimit) {
			break
		}
	}
	items, err := bc.ListInventoryItems(ctx, bigcommerce.InventoryFilter{LocationIDs: []int{location}})
	if err != nil {
		return nil, bigCommerceError("list inventory items", err)
	}
	for _, it := range items {
		var k bcKey
		switch tracking[it.Identity.ProductID] {
		case bigcommerce.TrackingProduct:
			k = bcKey{product: it.Identity.ProductID}
		case bigcommerce.TrackingVariant:
			k = bcKey{variant: it.Identity.VariantID}
		default:
			continue
		}
		for _, l := range it.Locations {
			if l.LocationID == location {
				s.levels[k] = l.TotalInventoryOnHand
			}
		}
	}
	return s, nil
}

// index adds a product's SKUs. A product tracked by product is stocked
// under its product SKU; its variants' own SKUs cannot be stocked one by
// one and are indexed as untracked, like every SKU of an untracked product.
func (s *bcSnapshot) index(p bigcommerce.Product) {
	switch p.InventoryTracking {
	case bigcommerce.TrackingProduct:
		for _, v := range p.Variants {
			if v.SKU != "" && v.SKU != p.SKU {
				s.add(v.SKU, bcTarget{Tracking: bigcommerce.TrackingNone, ProductID: p.ID, VariantID: v.ID})
			}
		}
		if p.SKU != "" {
			s.add(p.SKU, bcTarget{Tracking: bigcommerce.TrackingProduct, ProductID: p.ID})
		}
	case bigcommerce.TrackingVariant:
		for _, v := range p.Variants {
			if v.SKU != "" {
				s.add(v.SKU, bcTarget{Tracking: bigcommerce.TrackingVariant, ProductID: p.ID, VariantID: v.ID})
			}
		}
	default:
		if p.SKU != "" {
			s.add(p.SKU, bcTarget{Tracking: bigcommerce.TrackingNone, ProductID: p.ID})
		}
		for _, v := range p.Variants {
			if v.SKU != "" {
				s.add(v.SKU, bcTarget{Tracking: bigcommerce.TrackingNone, ProductID: p.ID, VariantID: v.ID})
			}
		}
	}
}

// add records a SKU; a stockable target wins over an untracked one.
func (s *bcSnapshot) add(sku string, t bcTarget) {
	if old, ok := s.targets[sku]; ok && old.Tracking != bigcommerce.TrackingNone {
		return
	}
	s.targets[sku] = t
}

// pendingWrite is a batch of absolute levels with the SKUs they belong to.
type pendingWrite struct {
	rows []bigcommerce.AdjustmentItem
	keys []bcKey
	skus []string
}

func (w *pendingWrite) add(sku string, t bcTarget, loc, qty int) {
	w.rows = append(w.rows, t.row(loc, qty))
	w.keys = append(w.keys, t.key())
	w.skus = append(w.skus, sku)
}

// append adds the rows of o.
func (w *pendingWrite) append(o pendingWrite) {
	w.rows = append(w.rows, o.rows...)
	w.keys = append(w.keys, o.keys...)
	w.skus = append(w.skus, o.skus...)
}

func (w *pendingWrite) reset() { w.rows, w.keys, w.skus = w.rows[:0], w.keys[:0], w.skus[:0] }

// writeOutcome tallies what a write did.
type writeOutcome struct {
	// Written counts rows BigCommerce accepted.
	Written int
	// Requests counts adjustment requests sent.
	Requests int
	// Rejected lists "SKU: reason" of rows BigCommerce refused.
	Rejected []string
}

// write sends absolute levels and remembers them. A rejected batch (a 422
// does not say which row failed) is split in halves until the refused rows
// are isolated: they are reported, every other row is written. A rejection
// also drops the snapshot, so the next pass re-reads the catalog (the usual
// cause is a product whose tracking mode changed).
func (a *Inventory) write(ctx context.Context, m *inventoryMemory, bc *bigcommerce.Client, reason string, w *pendingWrite, out *writeOutcome) error {
	if len(w.rows) == 0 {
		return nil
	}
	out.Requests += (len(w.rows) + bigcommerce.MaxInventoryBatch - 1) / bigcommerce.MaxInventoryBatch
	_, err := bc.AdjustAbsolute(ctx, reason, w.rows)
	switch {
	case err == nil:
		if m.snap != nil {
			m.rememberWrites(w, m.snap.levels)
			for i, k := range w.keys {
				m.snap.levels[k] = w.rows[i].Quantity
			}
		}
		out.Written += len(w.rows)
		a.logger().Debug("inventory written", "rows", len(w.rows), "reason", reason)
		return nil
	case !errors.Is(err, bigcommerce.ErrValidation):
		return bigCommerceError(fmt.Sprintf("write %d inventory levels", len(w.rows)), err)
	}
	m.snap = nil
	if len(w.rows) == 1 {
		msg := err.Error()
		if api, ok := bigcommerce.AsAPIError(err); ok && api.Message != "" {
			msg = api.Message
		}
		out.Rejected = append(out.Rejected, w.skus[0]+": "+msg)
		a.logger().Warn("inventory level rejected", "sku", w.skus[0], "error", err)
		return nil
	}
	mid := len(w.rows) / 2
	for _, half := range []*pendingWrite{
		{rows: w.rows[:mid], keys: w.keys[:mid], skus: w.skus[:mid]},
		{rows: w.rows[mid:], keys: w.keys[mid:], skus: w.skus[mid:]},
	} {
		if err := a.write(ctx, m, bc, reason, half, out); err != nil {
			return err
		}
	}
	return nil
}
