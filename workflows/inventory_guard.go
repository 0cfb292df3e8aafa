package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// StageInventoryAttention is an inventory sync holding back a full sync or
// reconciliation that would empty the store, until a person confirms.
const StageInventoryAttention = "attention"

// inventoryGuardChange versions the InventorySync that works out each
// full sync's and reconciliation's effect on the store before writing,
// and holds back a destructive one. Runs begun before it write at once.
const inventoryGuardChange = "inventory-guard"

// InventoryHold is a full sync or reconciliation held back by the guard:
// nothing of it was written.
type InventoryHold struct {
	// Kind is "full sync" or "reconciliation".
	Kind string `json:"kind"`
	// Reason says which limit it would pass, with the figures.
	Reason string `json:"reason"`
	// Blast is what it would have written.
	Blast activities.InventoryBlast `json:"blast"`
	// Since is when it was held.
	Since time.Time `json:"since"`
}

// guardLimits are the options' limits with the defaults filled.
func (o InventoryOptions) guardLimits() (zero, drop int) {
	zero, drop = o.GuardZeroPercent, o.GuardDropPercent
	if zero <= 0 {
		zero = activities.DefaultGuardZeroPercent
	}
	if drop <= 0 {
		drop = activities.DefaultGuardDropPercent
	}
	return zero, drop
}

// validateGuard refuses limits that are not a share.
func (o InventoryOptions) validateGuard() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"guard_zero_percent", o.GuardZeroPercent}, {"guard_drop_percent", o.GuardDropPercent}} {
		if f.v < 0 {
			return &SettingsError{f.name, fmt.Sprintf("%d is negative: give a share in percent, 1 to 100 (100: no limit; 0: the default)", f.v)}
		}
	}
	return nil
}

// guarded reports whether this pass is worked out before it writes: in
// runs of the guard's version, the first full sync always is, later
// passes unless both limits are off.
func (r *inventoryRun) guarded(ctx workflow.Context, reconcile bool) bool {
	if workflow.GetVersion(ctx, inventoryGuardChange, workflow.DefaultVersion, 1) < 1 {
		return false
	}
	zero, drop := r.opts.guardLimits()
	return r.firstSync(reconcile) || zero < 100 || drop < 100
}

// firstSync reports whether a full sync is the connection's first.
func (r *inventoryRun) firstSync(reconcile bool) bool {
	return !reconcile && r.Progress.FullSyncs == 0
}

// preview runs the pass as a dry run, chunk by chunk, and decides whether
// it may write: held is true when it would pass a limit (or, for a first
// full sync, zero any SKU) and nobody confirmed it.
func (r *inventoryRun) preview(ctx workflow.Context, kind, passID string, reconcile bool, interrupt func() bool) (held, interrupted bool, err error) {
	var blast activities.InventoryBlast
	var cursor int64
	for {
		in := activities.InventoryPassInput{
			ConnectionID: r.connectionID, Scope: r.scope(), PassID: passID,
			Reason: "hrbc " + kind, Cursor: cursor, MaxItems: r.opts.ChunkItems, DryRun: true,
		}
		var res activities.InventoryPassResult
		interrupted, err := r.execute(ctx, passActivityOptions, inventoryActivities.SyncInventoryChunk, in, &res, interrupt)
		if interrupted || err != nil {
			return false, interrupted, err
		}
		if res.Blast != nil {
			blast = blast.Merge(*res.Blast)
		}
		cursor = res.Cursor
		if res.Done {
			break
		}
	}
	r.Progress.LastBlast = &blast
	confirmed := r.Confirmed
	r.Confirmed = false
	zero, drop := r.opts.guardLimits()
	reason := blast.Exceeds(zero, drop)
	if reason == "" && r.firstSync(reconcile) && blast.Zeroed > 0 {
		reason = fmt.Sprintf("the connection's first full sync would set %d of %d in-stock SKUs to 0", blast.Zeroed, blast.StoreInStock)
	}
	logger := workflow.GetLogger(ctx)
	switch {
	case reason == "":
		return false, false, nil
	case confirmed:
		logger.Warn("Inventory pass confirmed by an operator", "Kind", kind, "Reason", reason)
		return false, false, nil
	}
	r.Hold = &InventoryHold{Kind: kind, Reason: reason, Blast: blast, Since: workflow.Now(ctx)}
	r.Progress.Holds++
	logger.Warn("Inventory pass held: nothing written", "Kind", kind, "Reason", reason, "Blast", blast.String())
	return true, false, nil
}

// holdAttention is the attention text of a hold.
func (r *inventoryRun) holdAttention() string {
	h := r.Hold
	return truncateAttention(fmt.Sprintf("%s held, nothing written: %s; confirm with `starter sync inventory %s --confirm`",
		h.Kind, h.Reason, r.connectionID))
}

// release ends a hold: the next full sync is worked out again.
func (r *inventoryRun) release(ctx workflow.Context, why string) {
	if r.Hold == nil {
		return
	}
	workflow.GetLogger(ctx).Info("Inventory hold released", "Why", why)
	r.Hold = nil
	r.Progress.FullSyncPending = true
	r.RetryAt = time.Time{}
	r.wake = true
}
