package activities

import (
	"context"
	"errors"
	"fmt"
)

// ErrNoItems is returned by SyncInventoryItems when it is asked for no
// items or handed a watermark: it is not a round of the movement feed.
var ErrNoItems = errors.New("inventory items round: item ids are required and the watermark must be empty")

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
		return a.syncChanges(ctx, cl, in, func() {})
	})
}
