package activities

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// Defaults of the guard on destructive inventory writes.
const (
	// DefaultGuardZeroPercent: a pass that would set more than this share
	// of the store's in-stock SKUs to 0 writes nothing.
	DefaultGuardZeroPercent = 20
	// DefaultGuardDropPercent: a pass that would lower the store's total
	// quantity by more than this share writes nothing.
	DefaultGuardDropPercent = 50
	// blastTop is how many of the biggest losses a blast radius names.
	blastTop = 10
)

// SKUChange is one SKU's level before and after a pass.
type SKUChange struct {
	SKU  string `json:"sku"`
	From int    `json:"from"`
	To   int    `json:"to"`
}

func (c SKUChange) String() string { return fmt.Sprintf("%s %d→%d", c.SKU, c.From, c.To) }

// InventoryBlast is what a full sync would do to the store's stock at the
// receiving location, worked out before anything is written.
type InventoryBlast struct {
	// StoreInStock counts the store's stock-tracked SKUs with a level above 0.
	StoreInStock int `json:"store_in_stock"`
	// StoreQuantity sums their levels.
	StoreQuantity int `json:"store_quantity"`
	// Zeroed counts in-stock SKUs the pass would set to 0.
	Zeroed int `json:"zeroed"`
	// Lowered counts SKUs the pass would lower (zeroed ones included).
	Lowered int `json:"lowered"`
	// Removed sums the units the lowered SKUs would lose.
	Removed int `json:"removed"`
	// Added sums the units the raised SKUs would gain.
	Added int `json:"added"`
	// Top are the biggest losses, largest first.
	Top []SKUChange `json:"top,omitempty"`
}

// note records one SKU's change from have to want.
func (b *InventoryBlast) note(sku string, have, want int) {
	switch {
	case want > have:
		b.Added += want - have
		return
	case want == have:
		return
	}
	b.Lowered++
	b.Removed += have - want
	if want == 0 {
		b.Zeroed++
	}
	b.Top = topLosses(append(b.Top, SKUChange{SKU: sku, From: have, To: want}))
}

// storeTotals sets the store's in-stock count and quantity from levels.
func (b *InventoryBlast) storeTotals(levels map[bcKey]int) {
	b.StoreInStock, b.StoreQuantity = 0, 0
	for _, q := range levels {
		if q > 0 {
			b.StoreInStock++
			b.StoreQuantity += q
		}
	}
}

// Merge adds another chunk's figures; the store's totals are taken from
// whichever knows them.
func (b InventoryBlast) Merge(o InventoryBlast) InventoryBlast {
	out := InventoryBlast{
		StoreInStock: max(b.StoreInStock, o.StoreInStock), StoreQuantity: max(b.StoreQuantity, o.StoreQuantity),
		Zeroed: b.Zeroed + o.Zeroed, Lowered: b.Lowered + o.Lowered, Removed: b.Removed + o.Removed, Added: b.Added + o.Added,
	}
	out.Top = topLosses(append(slices.Clone(b.Top), o.Top...))
	return out
}

// topLosses keeps the blastTop biggest losses, largest first (by SKU on a tie).
func topLosses(list []SKUChange) []SKUChange {
	slices.SortFunc(list, func(x, y SKUChange) int {
		if d := (y.From - y.To) - (x.From - x.To); d != 0 {
			return d
		}
		return strings.Compare(x.SKU, y.SKU)
	})
	return list[:min(len(list), blastTop)]
}

// ZeroedPercent is the share of the store's in-stock SKUs set to 0.
func (b InventoryBlast) ZeroedPercent() float64 {
	if b.StoreInStock == 0 {
		return 0
	}
	return 100 * float64(b.Zeroed) / float64(b.StoreInStock)
}

// DropPercent is the share by which the store's total quantity falls (net
// of the units added elsewhere), 0 when it rises.
func (b InventoryBlast) DropPercent() float64 {
	if b.StoreQuantity == 0 || b.Removed <= b.Added {
		return 0
	}
	return 100 * float64(b.Removed-b.Added) / float64(b.StoreQuantity)
}

// Exceeds says why the figures are beyond the guard's limits (a share in
// percent; 100 or more turns that limit off), or "" when they are not.
func (b InventoryBlast) Exceeds(zeroPercent, dropPercent int) string {
	var why []string
	if z := b.ZeroedPercent(); zeroPercent < 100 && z > float64(zeroPercent) {
		why = append(why, fmt.Sprintf("%d of %d in-stock SKUs would go to 0 (%.0f%%, limit %d%%)", b.Zeroed, b.StoreInStock, z, zeroPercent))
	}
	if d := b.DropPercent(); dropPercent < 100 && d > float64(dropPercent) {
		why = append(why, fmt.Sprintf("the store's stock would fall from %d to %d units (-%.0f%%, limit %d%%)",
			b.StoreQuantity, b.StoreQuantity-b.Removed+b.Added, d, dropPercent))
	}
	return strings.Join(why, " and ")
}

// String sums the figures up in one line, with the biggest losses.
func (b InventoryBlast) String() string {
	s := fmt.Sprintf("%d of %d in-stock SKUs to 0, %d SKUs lowered by %d units, %d units added (store total %d → %d)",
		b.Zeroed, b.StoreInStock, b.Lowered, b.Removed, b.Added, b.StoreQuantity, b.StoreQuantity-b.Removed+b.Added)
	if len(b.Top) > 0 {
		parts := make([]string, len(b.Top))
		for i, c := range b.Top {
			parts[i] = c.String()
		}
		s += "; biggest: " + strings.Join(parts, ", ")
	}
	return s
}

// previewInventory works out what a full sync with scope would do now,
// reading both sides and writing nothing: the connection check's blast
// radius. It keeps nothing in the inventory activities' memory.
func previewInventory(ctx context.Context, cl Clients, scope InventoryScope, beat func()) (InventoryBlast, error) {
	location := scope.BigCommerceLocationID
	if location == 0 {
		loc, err := cl.BigCommerce.DefaultLocation(ctx)
		if err != nil {
			return InventoryBlast{}, bigCommerceError("find the default inventory location", err)
		}
		location = loc.ID
	}
	snap, err := buildSnapshot(ctx, cl.BigCommerce, location, beat)
	if err != nil {
		return InventoryBlast{}, err
	}
	var b InventoryBlast
	b.storeTotals(snap.levels)
	walk := cl.Heartland.WalkItems(heartland.Query{}, heartland.Cursor{})
	for !walk.Done() {
		items, err := walk.Next(ctx)
		if err != nil {
			return InventoryBlast{}, heartlandError("list items", err)
		}
		if len(items) == 0 {
			break
		}
		sums, err := availableSumsInRange(ctx, cl.Heartland, scope, items[0].ID, items[len(items)-1].ID)
		if err != nil {
			return InventoryBlast{}, err
		}
		for _, it := range items {
			t, ok := snap.targets[it.PublicID]
			if !ok || !it.TrackInventory || t.Tracking == bigcommerce.TrackingNone {
				continue
			}
			b.note(it.PublicID, snap.levels[t.key()], scope.Quantity(sums[it.ID]))
		}
		beat()
	}
	return b, nil
}
