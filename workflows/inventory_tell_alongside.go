package workflows

import (
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// inventoryTellAlongsideChange versions the long poll that goes on when a
// changed signal names items: the items are written by a local activity
// in the workflow task that received the signal. Before it, every such
// signal (one per order opened, distributed, cancelled or closed) cancelled
// the long poll, ran a round and started a new long poll: some sixteen
// history events and four workflow tasks per order where this takes five
// events and one. Runs begun before it keep cancelling.
const inventoryTellAlongsideChange = "inventory-tell-alongside"

// localItemsTimeout bounds an items round run as a local activity. The
// workflow task stays open while it runs; one that takes longer (a 429
// storm, an outage) is handed to the old path: the long poll is cancelled
// and the items go to a regular round with its retries.
const localItemsTimeout = 5 * time.Second

// alongside is the state of the told items while a long poll under
// inventoryTellAlongsideChange runs.
type alongside struct {
	// on is set while such a long poll runs: applyChanged then queues
	// named items in told instead of cutting the long poll short.
	on bool
	// until is when the long poll returns at the latest.
	until time.Time
	// told are items named since the last items round.
	told []int64
	// written are the items the items rounds of this long poll wrote.
	written []int64
}

// tellsAlongside reports, once per run, whether its long polls take told
// items alongside.
func (r *inventoryRun) tellsAlongside(ctx workflow.Context) bool {
	if r.alongsideVersion == nil {
		v := workflow.GetVersion(ctx, inventoryTellAlongsideChange, workflow.DefaultVersion, 1) >= 1
		r.alongsideVersion = &v
	}
	return *r.alongsideVersion
}

// tellAlongside queues a changed signal's items for the running long
// poll's next items round. It reports false when the signal must cut the
// long poll short as before: it names no items (a "poll now"), it reports
// a register sale (a movement the feed logs: the round reads the feed and
// moves the watermark past it, where an items round would write the items
// and the long poll write them again), the queue is full, or it brought a
// quiet store's reconciliation forward past the long poll's end. What
// rides alongside is what the feed never shows: the stock an order commits
// or releases, the items a catalog page linked.
func (r *inventoryRun) tellAlongside(ctx workflow.Context, c InventoryChanged) bool {
	if !r.along.on || len(c.ItemIDs) == 0 || c.Source == InventorySourceSale || len(r.along.told)+len(c.ItemIDs) > maxPendingItems {
		return false
	}
	r.stirred(ctx)
	if r.Progress.NextReconcileAt.Before(r.along.until) {
		return false
	}
	for _, id := range c.ItemIDs {
		if !slices.Contains(r.along.told, id) {
			r.along.told = append(r.along.told, id)
		}
	}
	return true
}

// writeTold writes the told items in a local activity. On failure the
// items go to the pending round and the long poll is cut short, as a
// signal did before the change.
func (r *inventoryRun) writeTold(ctx workflow.Context) error {
	items := r.along.told
	r.along.told = nil
	in := activities.InventoryChangesInput{ConnectionID: r.connectionID, Scope: r.scope(), ItemIDs: items}
	var res activities.InventoryChangesResult
	err := workflow.ExecuteLocalActivity(localOnce(ctx, localItemsTimeout), inventoryActivities.SyncInventoryItems, in).Get(ctx, &res)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		workflow.GetLogger(ctx).Info("Told items not written alongside the long poll; a round will write them", "Items", len(items), "Error", err)
		r.PendingItemIDs = mergeIDs(items, r.PendingItemIDs)
		r.Dirty, r.wake = true, true
		return nil
	}
	r.along.written = mergeIDs(r.along.written, items)
	r.Progress.Polls++
	r.recordWrites(ctx, res)
	return r.publish(ctx)
}

// endAlongside closes a long poll's told items: any not yet written go to
// the next round, and so do those written alongside that the long poll's
// own last round wrote too, since that round may have read Heartland
// before the write it was told of and sent its level after ours (on
// another worker; on one worker the connection's rounds take turns).
func (r *inventoryRun) endAlongside(res *activities.InventoryChangesResult) {
	pending := r.along.told
	if res != nil && res.Written > 0 {
		overwritten := res.WrittenItemIDs
		if overwritten == nil {
			overwritten = r.along.written // a worker that does not report them
		}
		for _, id := range r.along.written {
			if slices.Contains(overwritten, id) && !slices.Contains(pending, id) {
				pending = append(pending, id)
			}
		}
	}
	if len(pending) > 0 {
		r.PendingItemIDs = mergeIDs(r.PendingItemIDs, pending)
		r.Dirty = true
	}
	r.along = alongside{}
}
