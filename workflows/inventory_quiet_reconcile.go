package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// inventoryQuietReconcileChange versions the reconciliation that comes
// less often on a quiet store. Runs begun before it reconcile every
// ReconcileInterval whatever happened.
const inventoryQuietReconcileChange = "inventory-quiet-reconcile"

// quietReconcileMax caps the wait between reconciliations of a quiet store.
const quietReconcileMax = 4 * time.Hour

// reconcileWait is the wait after a pass before the next reconciliation.
// A reconciliation that corrected nothing, with no Heartland movement and
// no signal since the one before, doubles it (ReconcileInterval, twice
// that, four times, ... at most quietReconcileMax): on a quiet store the
// only drift left is an edit in the BigCommerce admin, and a pass is some
// twenty history events. Any movement, signal or correction brings it back
// to ReconcileInterval (stirred).
func (r *inventoryRun) reconcileWait(ctx workflow.Context, reconcile bool, corrected int) time.Duration {
	if !reconcile || workflow.GetVersion(ctx, inventoryQuietReconcileChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return r.opts.ReconcileInterval
	}
	if corrected > 0 {
		r.QuietReconciles = 0
		return r.opts.ReconcileInterval
	}
	r.QuietReconciles++
	wait := r.opts.ReconcileInterval
	for i := 0; i < r.QuietReconciles && wait < quietReconcileMax; i++ {
		wait *= 2
	}
	return max(min(wait, quietReconcileMax), r.opts.ReconcileInterval)
}

// stirred notes a movement, a write or a signal: a quiet store's stretched
// wait before the next reconciliation shrinks back to ReconcileInterval.
func (r *inventoryRun) stirred(ctx workflow.Context) {
	if r.QuietReconciles == 0 {
		return
	}
	r.QuietReconciles = 0
	if due := workflow.Now(ctx).Add(r.opts.ReconcileInterval); due.Before(r.Progress.NextReconcileAt) {
		r.Progress.NextReconcileAt = due
	}
}
