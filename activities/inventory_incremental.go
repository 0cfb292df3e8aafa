package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/activity"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// maxSeenIDs bounds the transaction ids remembered at the watermark.
const maxSeenIDs = 1000

// maxRoundMovementPages bounds the movement pages one round reads. A long
// backlog (after an outage, or a bulk receipt) is worked off over several
// rounds, each short enough for its heartbeat and start-to-close timeouts;
// a round that tried to read it all would time out and restart from the
// same watermark forever.
const maxRoundMovementPages = 10

// InventoryChangesInput asks for one incremental round.
type InventoryChangesInput struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Scope says which quantities count and where they go.
	Scope InventoryScope `json:"scope"`
	// Since is the watermark: Heartland stock movements created at or after
	// it are read. Zero skips polling (only ItemIDs are recomputed).
	Since time.Time `json:"since,omitzero"`
	// SeenIDs are the movements at Since already handled.
	SeenIDs []int64 `json:"seen_ids,omitempty"`
	// AfterID is the newest movement id handled: only movements after it
	// (and at or after Since) are read. 0 reads every movement since Since.
	AfterID int64 `json:"after_id,omitempty"`
	// ItemIDs are Heartland items to recompute whatever the poll says.
	ItemIDs []int64 `json:"item_ids,omitempty"`
}

// InventoryChangesResult is what a round did and the next watermark.
type InventoryChangesResult struct {
	// Since is the next watermark.
	Since time.Time `json:"since,omitzero"`
	// SeenIDs are the movements at the next watermark already handled.
	SeenIDs []int64 `json:"seen_ids,omitempty"`
	// AfterID is the newest movement id handled, for the next round.
	AfterID int64 `json:"after_id,omitempty"`
	// More is set when the round stopped inside a backlog: Since is then
	// unchanged and the next round should run at once.
	More bool `json:"more,omitempty"`
	// Movements counts new Heartland stock movements read.
	Movements int `json:"movements"`
	// FullSnapshot is set when Heartland has no movement feed and the
	// whole values collection was compared instead.
	FullSnapshot bool `json:"full_snapshot,omitempty"`
	// Touched counts the items recomputed.
	Touched int `json:"touched"`
	// Written counts SKUs whose level was written.
	Written int `json:"written"`
	// WrittenItemIDs are the Heartland items whose levels the round sent,
	// in item order: a workflow that had the same items written by another
	// round meanwhile learns which ones this round may have overwritten.
	WrittenItemIDs []int64 `json:"written_item_ids,omitempty"`
	// Unmatched counts touched items no BigCommerce SKU matches.
	Unmatched int `json:"unmatched"`
	// Untracked counts touched SKUs BigCommerce does not track.
	Untracked int `json:"untracked"`
	// NotStocked counts touched Heartland items that do not track inventory.
	NotStocked int `json:"not_stocked"`
	// Rejected lists "SKU: reason" of levels BigCommerce refused.
	Rejected []string `json:"rejected,omitempty"`
}

// SyncInventoryChanges reads the Heartland stock movements since the
// watermark, recomputes only the touched items (plus ItemIDs) and writes
// their absolute levels to BigCommerce: idempotent, so a retry after a crash
// simply writes the same values again.
func (a *Inventory) SyncInventoryChanges(ctx context.Context, in InventoryChangesInput) (InventoryChangesResult, error) {
	return withClients(a.Connections, in.ConnectionID, func(cl Clients) (InventoryChangesResult, error) {
		alive := startKeepAlive(ctx) // a killed worker is noticed within the heartbeat timeout
		defer alive.stop()
		// A long poll of this connection still running here is superseded:
		// the workflow asked for this round instead.
		a.supersedeWait(in.ConnectionID)
		return a.syncChanges(ctx, cl, in, func() { activity.RecordHeartbeat(ctx) })
	})
}

// syncChanges is one incremental round (see SyncInventoryChanges); beat
// records a heartbeat while it reads.
func (a *Inventory) syncChanges(ctx context.Context, cl Clients, in InventoryChangesInput, beat func()) (InventoryChangesResult, error) {
	{
		m := a.memory(in.ConnectionID)
		m.mu.Lock()
		defer m.mu.Unlock()

		out := InventoryChangesResult{Since: in.Since, SeenIDs: in.SeenIDs, AfterID: in.AfterID}
		touched := map[int64]bool{}
		for _, id := range in.ItemIDs {
			touched[id] = true
		}
		var snapshotSums map[int64]decimal.Decimal
		movedAt := map[int64]time.Time{} // item → its oldest new movement
		if !in.Since.IsZero() {
			err := a.readMovements(ctx, cl.Heartland, in, &out, touched, movedAt, beat)
			if errors.Is(err, heartland.ErrNotFound) {
				snapshotSums, err = a.readSnapshot(ctx, cl.Heartland, in, &out, touched)
			}
			if err != nil {
				return InventoryChangesResult{}, err
			}
		}
		if len(touched) == 0 {
			return out, nil
		}
		ids := make([]int64, 0, len(touched))
		for id := range touched {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		out.Touched = len(ids)
		sums := snapshotSums
		if sums == nil {
			var err error
			if sums, err = availableSums(ctx, cl.Heartland, in.Scope, ids, beat); err != nil {
				return InventoryChangesResult{}, err
			}
		}
		if err := a.resolveItems(ctx, m, cl.Heartland, ids); err != nil {
			return InventoryChangesResult{}, err
		}
		snap, err := a.snapshot(ctx, m, cl, in.Scope, "", 0, beat)
		if err != nil {
			return InventoryChangesResult{}, err
		}
		// An unknown SKU may be a product created or linked since the index
		// was read: look those SKUs up rather than drop their movements.
		var unknown []string
		named := map[string]bool{}
		for _, id := range ids {
			sku := m.items[id].sku
			if _, ok := snap.targets[sku]; ok || sku == "" {
				continue
			}
			unknown = append(unknown, sku)
			if slices.Contains(in.ItemIDs, id) {
				named[sku] = true
			}
		}
		if err := a.lookUpUnknownSKUs(ctx, m, cl.BigCommerce, snap, unknown, named); err != nil {
			return InventoryChangesResult{}, err
		}
		var pending pendingWrite
		var written []int64
		for _, id := range ids {
			h := m.items[id]
			t, ok := snap.targets[h.sku]
			switch {
			case !ok:
				out.Unmatched++
				continue
			case h.stockless:
				out.NotStocked++
				continue
			case t.Tracking == bigcommerce.TrackingNone:
				out.Untracked++
				continue
			}
			want := in.Scope.Quantity(sums[id])
			// A movement feed names what changed: write it even if the index
			// remembers the same level (another worker may have written since).
			// A full snapshot touches everything: write only differences.
			if snapshotSums != nil {
				if have, ok := snap.levels[t.key()]; ok && have == want {
					continue
				}
			}
			pending.add(h.sku, t, snap.location, want)
			written = append(written, id)
		}
		var wo writeOutcome
		if err := a.write(ctx, m, cl.BigCommerce, "Heartland stock change", &pending, &wo); err != nil {
			return InventoryChangesResult{}, err
		}
		a.observeLag(in.ConnectionID, written, movedAt)
		out.Written = wo.Written
		out.WrittenItemIDs = written
		out.Rejected = wo.Rejected[:min(len(wo.Rejected), sampleLimit)]
		return out, nil
	}
}

// observeLag reports, for each item written, the time since its oldest
// movement of the round; items written for another reason (named by a
// webhook, found by a snapshot) have no movement time and are skipped.
func (a *Inventory) observeLag(connectionID string, written []int64, movedAt map[int64]time.Time) {
	if a.ObserveLag == nil {
		return
	}
	now := time.Now()
	for _, id := range written {
		if at, ok := movedAt[id]; ok && !at.IsZero() {
			a.ObserveLag(connectionID, now.Sub(at))
		}
	}
}

// readMovements walks the movements after AfterID created since the
// watermark, skipping those already handled, and advances the watermark to
// the newest one. It stops after maxRoundMovementPages pages, leaving the
// watermark and setting More; AfterID says where the next round resumes.
func (a *Inventory) readMovements(ctx context.Context, hl *heartland.Client, in InventoryChangesInput, out *InventoryChangesResult, touched map[int64]bool, movedAt map[int64]time.Time, beat func()) error {
	seen := map[int64]bool{}
	for _, id := range in.SeenIDs {
		seen[id] = true
	}
	until := in.Since
	var atUntil []int64
	walk := hl.WalkInventoryTransactions(in.Since, heartland.Cursor{AfterID: in.AfterID})
	for pages := 0; !walk.Done(); pages++ {
		if pages == maxRoundMovementPages {
			out.AfterID, out.More = walk.Cursor().AfterID, true
			return nil
		}
		rows, err := walk.Next(ctx)
		if err != nil {
			if errors.Is(err, heartland.ErrNotFound) {
				return err
			}
			return heartlandError("read inventory transactions", err)
		}
		beat()
		for _, t := range rows {
			if seen[t.ID] {
				continue
			}
			out.Movements++
			if in.Scope.Contributes(t.LocationID) {
				touched[t.ItemID] = true
				if at, ok := movedAt[t.ItemID]; !ok || t.CreatedAt.Before(at) {
					movedAt[t.ItemID] = t.CreatedAt
				}
			}
			switch {
			case t.CreatedAt.After(until):
				until, atUntil = t.CreatedAt, []int64{t.ID}
			case t.CreatedAt.Equal(until):
				atUntil = append(atUntil, t.ID)
			}
		}
	}
	if until.Equal(in.Since) {
		atUntil = append(slices.Clone(in.SeenIDs), atUntil...)
	}
	if len(atUntil) > maxSeenIDs {
		atUntil = atUntil[len(atUntil)-maxSeenIDs:]
	}
	out.Since, out.SeenIDs, out.AfterID = until, atUntil, walk.Cursor().AfterID
	return nil
}

// readSnapshot is the fallback when the account has no movement feed:
// Heartland's whole values collection, summed per item.
func (a *Inventory) readSnapshot(ctx context.Context, hl *heartland.Client, in InventoryChangesInput, out *InventoryChangesResult, touched map[int64]bool) (map[int64]decimal.Decimal, error) {
	ch, err := hl.InventoryChangesSince(ctx, in.Since)
	if err != nil {
		return nil, heartlandError("read inventory changes", err)
	}
	out.Since, out.SeenIDs = ch.Until, nil
	if !ch.FullSnapshot {
		for _, p := range ch.Changed {
			if in.Scope.Contributes(p.LocationID) {
				touched[p.ItemID] = true
			}
		}
		out.Movements = len(ch.Changed)
		return nil, nil
	}
	out.FullSnapshot = true
	sums := map[int64]decimal.Decimal{}
	for _, v := range ch.Values {
		touched[v.ItemID] = true
		if in.Scope.Contributes(v.LocationID) {
			sums[v.ItemID] = sums[v.ItemID].Add(v.QtyAvailable.Decimal)
		}
	}
	// Items named by a signal but absent from the snapshot have no stock.
	return sums, nil
}

// resolveItems learns the Item # of items not yet in memory.
func (a *Inventory) resolveItems(ctx context.Context, m *inventoryMemory, hl *heartland.Client, ids []int64) error {
	var missing []int64
	for _, id := range ids {
		if _, ok := m.items[id]; !ok {
			missing = append(missing, id)
		}
	}
	for chunk := range slices.Chunk(missing, sumsPerFilter) {
		pg, err := hl.ListItems(ctx, heartland.Query{
			Filters: []heartland.Filter{{"id": heartland.In(chunk...)}},
			PerPage: len(chunk),
		})
		if err != nil {
			return heartlandError(fmt.Sprintf("read %d items", len(chunk)), err)
		}
		for _, it := range pg.Results {
			m.remember(it)
		}
	}
	return nil
}
