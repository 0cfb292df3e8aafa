package activities

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNoItems is returned by SyncInventoryItems when it is asked for no
// items or handed a watermark: it is not a round of the movement feed.
var ErrNoItems = errors.New("inventory items round: item ids are required and the watermark must be empty")

// ErrIndexCold is returned by SyncInventoryItems, at once, when this
// worker has not yet read the store's SKU index: reading a large catalog
// takes longer than a local activity may hold its workflow task. The
// index is read in the background meanwhile, so the next items round here
// finds it; the workflow hands this one to a regular round.
var ErrIndexCold = errors.New("inventory items round: this worker has not read the store's SKU index yet")

// indexWarmTimeout bounds the background read of a store's SKU index.
const indexWarmTimeout = 10 * time.Minute

// SyncInventoryItems recomputes the named Heartland items and writes their
// absolute levels to BigCommerce, without reading the movement feed and
// without ending the connection's long poll running in this worker. The
// inventory sync runs it, as a local activity, for items it is told of
// while its long poll waits: the long poll goes on, and the told items
// reach the website within the workflow task that received the signal.
// Rounds of one connection in one worker take turns (the connection's
// memory lock), so here it cannot interleave with a long poll's round.
func (a *Inventory) SyncInventoryItems(ctx context.Context, in InventoryChangesInput) (InventoryChangesResult, error) {
	if len(in.ItemIDs) == 0 || !in.Since.IsZero() {
		return InventoryChangesResult{}, fmt.Errorf("connection %q: %w", in.ConnectionID, ErrNoItems)
	}
	return withClients(a.Connections, in.ConnectionID, func(cl Clients) (InventoryChangesResult, error) {
		m := a.memory(in.ConnectionID)
		if !m.indexReady(in.Scope) {
			a.warmIndex(in.ConnectionID, m, cl, in.Scope)
			return InventoryChangesResult{}, fmt.Errorf("connection %q: %w", in.ConnectionID, ErrIndexCold)
		}
		return a.syncChanges(ctx, cl, in, func() {})
	})
}

// indexReady reports whether a round of scope here would use the SKU
// index as it stands, without reading the catalog (syncChanges asks
// snapshot for no pass and no age).
func (m *inventoryMemory) indexReady(scope InventoryScope) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snap.fits(scope, "", 0)
}

// warmIndex reads a connection's SKU index in the background, once at a
// time, as a round would (holding the connection's lock while it reads).
func (a *Inventory) warmIndex(connectionID string, m *inventoryMemory, cl Clients, scope InventoryScope) {
	if !m.warming.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer m.warming.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), indexWarmTimeout)
		defer cancel()
		m.mu.Lock()
		defer m.mu.Unlock()
		if _, err := a.snapshot(ctx, m, cl, scope, "", 0, func() {}); err != nil {
			a.logger().Warn("store SKU index not read", "connection", connectionID, "error", err)
		}
	}()
}
