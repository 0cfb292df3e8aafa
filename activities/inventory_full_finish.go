package activities

import (
	"context"
	"slices"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// InventoryFinishInput closes a pass.
type InventoryFinishInput struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Scope is the pass's scope (for rebuilding the index if needed).
	Scope InventoryScope `json:"scope"`
	// PassID is the pass being closed.
	PassID string `json:"pass_id"`
}

// InventoryFinishResult lists the BigCommerce side of the unmatched SKUs.
type InventoryFinishResult struct {
	// BigCommerceOnly counts the SKUs BigCommerce keeps stock under (the
	// product SKU of a product tracked by product, each variant's of one
	// tracked by variant) that no Heartland Item # matches.
	BigCommerceOnly int `json:"bigcommerce_only"`
	// BigCommerceOnlySample lists some of them, sorted.
	BigCommerceOnlySample []string `json:"bigcommerce_only_sample,omitempty"`
}

// FinishInventoryPass counts the BigCommerce SKUs that no Heartland item
// matched during the pass. When the pass's chunks all ran in this worker the
// matches are in memory; otherwise Heartland's Item #s are read again.
func (a *Inventory) FinishInventoryPass(ctx context.Context, in InventoryFinishInput) (InventoryFinishResult, error) {
	return withClients(a.Connections, in.ConnectionID, func(cl Clients) (InventoryFinishResult, error) {
		m := a.memory(in.ConnectionID)
		m.mu.Lock()
		defer m.mu.Unlock()
		alive := startKeepAlive(ctx) // a killed worker is noticed within the heartbeat timeout
		defer alive.stop()
		beat := func() { alive.beat() }
		snap, err := a.snapshot(ctx, m, cl, in.Scope, in.PassID, 0, beat)
		if err != nil {
			return InventoryFinishResult{}, err
		}
		seen := snap.seen
		if !snap.contiguous {
			seen = map[string]bool{}
			walk := cl.Heartland.WalkItems(heartland.Query{}, heartland.Cursor{})
			for !walk.Done() {
				items, err := walk.Next(ctx)
				if err != nil {
					return InventoryFinishResult{}, heartlandError("list items", err)
				}
				for _, it := range items {
					m.remember(it)
					if _, ok := snap.targets[it.PublicID]; ok {
						seen[it.PublicID] = true
					}
				}
				beat()
			}
		}
		// Only the SKUs the store keeps stock under count: a variant of a
		// product tracked by product, or any SKU of an untracked product,
		// is no stock the sync fails to write, and counting it made this
		// list disagree with the catalog's links for no reason an operator
		// could act on.
		var only []string
		for sku, t := range snap.targets {
			if !seen[sku] && t.Tracking != bigcommerce.TrackingNone {
				only = append(only, sku)
			}
		}
		slices.Sort(only)
		out := InventoryFinishResult{BigCommerceOnly: len(only)}
		out.BigCommerceOnlySample = only[:min(len(only), sampleLimit)]
		return out, nil
	})
}
