package activities

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/activity"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// Defaults of a pass chunk.
const (
	// DefaultPassChunkItems is how many Heartland items one chunk reads.
	DefaultPassChunkItems = 2000
	// sumsPerFilter is how many item ids one $in filter (values, items)
	// carries; it keeps the filter URL short.
	sumsPerFilter = 250
	// passChunkTime bounds a chunk so the workflow's progress moves.
	passChunkTime = 20 * time.Second
)

// InventoryPassInput asks for one chunk of a full sync or reconciliation:
// the Heartland items after Cursor (by id), compared with BigCommerce.
type InventoryPassInput struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Scope says which quantities count and where they go.
	Scope InventoryScope `json:"scope"`
	// PassID identifies the pass; the first chunk of a new pass re-reads
	// the BigCommerce catalog and levels.
	PassID string `json:"pass_id"`
	// Reason is sent with the adjustments ("full sync", "reconciliation").
	Reason string `json:"reason,omitempty"`
	// Cursor is the last Heartland item id done by earlier chunks.
	Cursor int64 `json:"cursor"`
	// MaxItems bounds the chunk (default DefaultPassChunkItems).
	MaxItems int `json:"max_items,omitempty"`
	// DryRun reads and compares like a pass but writes nothing: the
	// result's Blast says what the pass would do. A dry run and the pass
	// that follows it share PassID, so the BigCommerce side is read once.
	DryRun bool `json:"dry_run,omitempty"`
}

// InventoryPassCounts are the tallies of a pass or chunk.
type InventoryPassCounts struct {
	// Read counts Heartland items examined.
	Read int `json:"read"`
	// Written counts SKUs whose BigCommerce level was corrected.
	Written int `json:"written"`
	// Skipped counts linked SKUs already right on BigCommerce.
	Skipped int `json:"skipped"`
	// Unmatched counts Heartland items whose Item # is no BigCommerce SKU.
	Unmatched int `json:"unmatched"`
	// Untracked counts linked SKUs whose product does not track inventory
	// (reported, never written).
	Untracked int `json:"untracked"`
	// NotStocked counts linked Heartland items that do not track inventory
	// (services, gift cards): their BigCommerce level is left alone.
	NotStocked int `json:"not_stocked"`
	// Rejected counts SKUs whose level BigCommerce refused.
	Rejected int `json:"rejected"`
}

// Add sums two tallies.
func (c InventoryPassCounts) Add(o InventoryPassCounts) InventoryPassCounts {
	return InventoryPassCounts{
		Read: c.Read + o.Read, Written: c.Written + o.Written, Skipped: c.Skipped + o.Skipped,
		Unmatched: c.Unmatched + o.Unmatched, Untracked: c.Untracked + o.Untracked,
		Rejected: c.Rejected + o.Rejected, NotStocked: c.NotStocked + o.NotStocked,
	}
}

// InventoryPassResult is what one chunk did.
type InventoryPassResult struct {
	// Cursor is the last Heartland item id done.
	Cursor int64 `json:"cursor"`
	// Done is set when no item is left after Cursor.
	Done bool `json:"done"`
	// Total is the number of Heartland items, on the first chunk only.
	Total int `json:"total,omitempty"`
	// Counts are this chunk's tallies.
	Counts InventoryPassCounts `json:"counts"`
	// UnmatchedSample lists some Heartland-only Item #s.
	UnmatchedSample []string `json:"unmatched_sample,omitempty"`
	// UntrackedSample lists some linked SKUs BigCommerce does not track.
	UntrackedSample []string `json:"untracked_sample,omitempty"`
	// RejectedSample lists some "SKU: reason" BigCommerce refused.
	RejectedSample []string `json:"rejected_sample,omitempty"`
	// Writes counts adjustment requests sent.
	Writes int `json:"writes"`
	// Blast is what a dry run's chunk would do to the store (dry runs only).
	Blast *InventoryBlast `json:"blast,omitempty"`
}

// absorb adds a page's tallies, cursor and samples to r.
func (r *InventoryPassResult) absorb(page InventoryPassResult) {
	r.Counts = r.Counts.Add(page.Counts)
	r.Cursor = max(r.Cursor, page.Cursor)
	for _, s := range page.UnmatchedSample {
		r.UnmatchedSample = addSample(r.UnmatchedSample, s)
	}
	for _, s := range page.UntrackedSample {
		r.UntrackedSample = addSample(r.UntrackedSample, s)
	}
}

// passHeartbeat is the resumable state of a chunk: everything up to Cursor
// is read, compared and written.
type passHeartbeat struct {
	// Result is the chunk's state at its last write.
	Result InventoryPassResult `json:"result"`
}

// SyncInventoryChunk runs one chunk of a full sync or reconciliation: it
// pages Heartland items from the cursor, sums their available quantity over
// the contributing locations, compares with BigCommerce's level at the
// receiving location and writes only the differences, as absolute
// adjustments in requests of up to 2000 rows. It heartbeats the cursor of
// what is written, and a retry resumes from there.
func (a *Inventory) SyncInventoryChunk(ctx context.Context, in InventoryPassInput) (InventoryPassResult, error) {
	return withClients(a.Connections, in.ConnectionID, func(cl Clients) (InventoryPassResult, error) {
		maxItems := in.MaxItems
		if maxItems <= 0 {
			maxItems = DefaultPassChunkItems
		}
		var hb passHeartbeat
		hb.Result.Cursor = in.Cursor
		if activity.HasHeartbeatDetails(ctx) {
			if err := activity.GetHeartbeatDetails(ctx, &hb); err != nil {
				hb = passHeartbeat{Result: InventoryPassResult{Cursor: in.Cursor}}
			}
		}
		alive := startKeepAlive(ctx, hb) // a killed worker is noticed within the heartbeat timeout
		defer alive.stop()
		beat := func() { alive.beat(hb) }

		m := a.memory(in.ConnectionID)
		m.mu.Lock()
		defer m.mu.Unlock()
		snap, err := a.snapshot(ctx, m, cl, in.Scope, in.PassID, 0, beat)
		if err != nil {
			return InventoryPassResult{}, err
		}
		if snap.nextCursor != hb.Result.Cursor {
			snap.contiguous = false
		}
		first := in.Cursor == 0 && hb.Result.Cursor == 0
		if first {
			snap.contiguous = true
		}

		committed := hb.Result
		work := committed
		if in.DryRun {
			// The figures are a copy: the heartbeat holds those up to the
			// committed cursor, and a resumed chunk goes on from there.
			b := InventoryBlast{}
			if committed.Blast != nil {
				b = committed.Blast.Merge(InventoryBlast{})
			}
			b.storeTotals(snap.levels)
			work.Blast = &b
		}
		var pending pendingWrite
		flush := func() error {
			var wo writeOutcome
			if err := a.write(ctx, m, cl.BigCommerce, in.Reason, &pending, &wo); err != nil {
				return err
			}
			work.Writes += wo.Requests
			work.Counts.Written += wo.Written
			work.Counts.Rejected += len(wo.Rejected)
			for _, r := range wo.Rejected {
				work.RejectedSample = addSample(work.RejectedSample, r)
			}
			pending.reset()
			committed = work
			snap.nextCursor = committed.Cursor
			hb.Result = committed
			beat()
			return nil
		}

		// A dry run's chunk keeps the levels it worked out; the pass that
		// follows writes them without reading Heartland again.
		fromStart := hb.Result.Cursor == in.Cursor
		var planned pendingWrite
		if !in.DryRun && fromStart {
			if plan, ok := m.takePlan(in.PassID, in.Cursor, snap); ok {
				work.absorb(plan.result)
				work.Done, work.Total = plan.result.Done, plan.result.Total
				pending = plan.rows
				if err := flush(); err != nil {
					return InventoryPassResult{}, err
				}
				a.logger().Info("inventory pass chunk written as planned", "connection", in.ConnectionID, "pass", in.PassID,
					"cursor", committed.Cursor, "done", committed.Done, "written", committed.Counts.Written)
				return committed, nil
			}
		}

		start := time.Now()
		// Whole items are read, a page of the client's size at a time (the
		// chunk's bound permitting): _only[] with "?"-named booleans is
		// UNCONFIRMED, and track_inventory? decides whether an item is synced.
		q := heartland.Query{}
		if maxItems < cl.Heartland.PerPage() {
			q.PerPage = maxItems
		}
		walk := cl.Heartland.WalkItems(q, heartland.Cursor{AfterID: committed.Cursor})
		for work.Counts.Read < maxItems && time.Since(start) < passChunkTime {
			items, err := walk.Next(ctx)
			if err != nil {
				return InventoryPassResult{}, heartlandError("list items", err)
			}
			if first && work.Total == 0 {
				work.Total = max(walk.Total(), 0)
			}
			if len(items) == 0 {
				work.Done = true
				break
			}
			// The walk is keyset-ordered by id, so this page holds every item
			// with an id in [from, to]: its stock is read by that range, which
			// costs only the pages of values it fills.
			from, to := items[0].ID, items[len(items)-1].ID
			sums, err := availableSumsInRange(ctx, cl.Heartland, in.Scope, from, to)
			if err != nil {
				return InventoryPassResult{}, err
			}
			// The page is tallied apart from work: if the pending rows must be
			// written first, that write commits the cursor before this page.
			var page InventoryPassResult
			var rows pendingWrite
			for _, it := range items {
				h := m.remember(it)
				page.Counts.Read++
				page.Cursor = max(page.Cursor, it.ID)
				t, ok := snap.targets[it.PublicID]
				if !ok {
					page.Counts.Unmatched++
					page.UnmatchedSample = addSample(page.UnmatchedSample, it.PublicID)
					continue
				}
				snap.seen[it.PublicID] = true
				if h.stockless {
					page.Counts.NotStocked++
					continue
				}
				if t.Tracking == bigcommerce.TrackingNone {
					page.Counts.Untracked++
					page.UntrackedSample = addSample(page.UntrackedSample, it.PublicID)
					continue
				}
				want := in.Scope.Quantity(sums[it.ID])
				have, ok := snap.levels[t.key()]
				if ok && have == want {
					page.Counts.Skipped++
					continue
				}
				if in.DryRun {
					work.Blast.note(it.PublicID, have, want)
				}
				rows.add(it.PublicID, t, snap.location, want)
			}
			if in.DryRun {
				work.absorb(page)
				planned.append(rows)
				if walk.Done() {
					work.Done = true
					break
				}
				beat()
				continue
			}
			if len(pending.rows) > 0 && len(pending.rows)+len(rows.rows) > bigcommerce.MaxInventoryBatch {
				if err := flush(); err != nil {
					return InventoryPassResult{}, err
				}
			}
			work.absorb(page)
			pending.append(rows)
			if walk.Done() {
				work.Done = true
				break
			}
			beat()
		}
		if err := flush(); err != nil {
			return InventoryPassResult{}, err
		}
		if in.DryRun && fromStart {
			m.keepPlan(in.PassID, in.Cursor, committed, planned, snap)
		}
		out := committed
		a.logger().Info("inventory pass chunk", "connection", in.ConnectionID, "pass", in.PassID,
			"cursor", out.Cursor, "done", out.Done, "read", out.Counts.Read, "written", out.Counts.Written)
		return out, nil
	})
}

// availableSumsInRange returns, per item with an id in [from, to],
// Heartland's available quantity summed over the contributing locations
// (items without stock rows are absent, which reads as zero).
func availableSumsInRange(ctx context.Context, hl *heartland.Client, scope InventoryScope, from, to int64) (map[int64]decimal.Decimal, error) {
	return readAvailableSums(ctx, hl, scope, heartland.InventoryFilter{ItemIDFrom: from, ItemIDTo: to},
		fmt.Sprintf("items %d to %d", from, to))
}

// availableSums is availableSumsInRange for a list of item ids, read
// sumsPerFilter at a time (beat after each).
func availableSums(ctx context.Context, hl *heartland.Client, scope InventoryScope, itemIDs []int64, beat func()) (map[int64]decimal.Decimal, error) {
	sums := make(map[int64]decimal.Decimal, len(itemIDs))
	for chunk := range slices.Chunk(itemIDs, sumsPerFilter) {
		part, err := readAvailableSums(ctx, hl, scope, heartland.InventoryFilter{ItemIDs: chunk}, fmt.Sprintf("%d items", len(chunk)))
		if err != nil {
			return nil, err
		}
		maps.Copy(sums, part)
		beat()
	}
	return sums, nil
}

// readAvailableSums reads the grouped values f selects (narrowed to the
// scope's locations, all-zero rows left out) and adds up each item's
// available quantity over the locations that contribute to the store;
// what names the items in an error.
func readAvailableSums(ctx context.Context, hl *heartland.Client, scope InventoryScope, f heartland.InventoryFilter, what string) (map[int64]decimal.Decimal, error) {
	f.ExcludeEmpty = true
	if !scope.AllLocations {
		f.LocationIDs = scope.LocationIDs
	}
	vals, err := hl.WalkInventoryValues(f, heartland.Cursor{}).All(ctx)
	if err != nil {
		return nil, heartlandError("read inventory values of "+what, err)
	}
	sums := map[int64]decimal.Decimal{}
	for _, v := range vals {
		if scope.Contributes(v.LocationID) {
			sums[v.ItemID] = sums[v.ItemID].Add(v.QtyAvailable.Decimal)
		}
	}
	return sums, nil
}
