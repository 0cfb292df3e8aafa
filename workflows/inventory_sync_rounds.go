package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// inventoryActivities names the activities by method value only.
var inventoryActivities *activities.Inventory

// Bounds of the samples the workflow keeps.
const (
	// maxUnmatchedSample bounds each list of the unmatched report.
	maxUnmatchedSample = 200
	// maxRejectedSample bounds the rejected levels kept in progress.
	maxRejectedSample = 20
)

// passActivityOptions: a chunk heartbeats its cursor every page and, from a
// ticker, every few seconds while a call runs (activities.keepAlive); it is
// retried without limit (a 429 storm only slows it, and it resumes from its
// heartbeat); rejections are non-retryable and end the pass. The heartbeat
// timeout is short so that a chunk lost with a killed worker is retried
// within seconds: while it is outstanding no incremental round runs, and
// with the former 5 minutes a kill during a full sync left the store behind
// Heartland for minutes after the faults of the chaos test stopped.
var passActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Minute,
	HeartbeatTimeout:    15 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    time.Minute,
	},
}

// pollActivityOptions: a round is short; after its attempts the next round
// simply tries again from the same watermark. It heartbeats from a ticker
// (activities.keepAlive), so a round lost with a killed worker is retried
// after the 10 s heartbeat timeout rather than a minute.
var pollActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 2 * time.Minute,
	HeartbeatTimeout:    10 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    200 * time.Millisecond,
		BackoffCoefficient: 2,
		MaximumInterval:    10 * time.Second,
		MaximumAttempts:    20,
	},
}

// runPass runs a full sync (reconcile false) or a reconciliation chunk by
// chunk; the workflow holds only counts and the cursor.
func (r *inventoryRun) runPass(ctx workflow.Context, reconcile bool) error {
	guarded := r.guarded(ctx, reconcile)
	kind, stage, pass := "full sync", StageFullSync, &r.Progress.FullSync
	if reconcile {
		kind, stage, pass = "reconciliation", StageReconcile, &r.Progress.Reconcile
	} else {
		r.Progress.FullSyncPending = false
		r.abortPass = false
	}
	r.Passes++
	passID := fmt.Sprintf("%s/%d", workflow.GetInfo(ctx).WorkflowExecution.RunID, r.Passes)
	started := workflow.Now(ctx)
	*pass = InventoryPassProgress{Running: true, StartedAt: started}
	if err := r.setStage(ctx, stage); err != nil {
		return err
	}
	logger := workflow.GetLogger(ctx)
	logger.Info("Inventory pass started", "Kind", kind, "Pass", passID)
	interrupt := func() bool { return r.stop || r.abortPass || (reconcile && r.Progress.FullSyncPending) }
	if guarded {
		held, interrupted, err := r.preview(ctx, kind, passID, reconcile, interrupt)
		switch {
		case interrupted:
			pass.Running = false
			logger.Info("Inventory pass interrupted", "Kind", kind, "Pass", passID)
			return nil
		case err != nil:
			return r.passFailed(ctx, kind, reconcile, err)
		case held:
			pass.Running = false
			if reconcile {
				r.Progress.NextReconcileAt = workflow.Now(ctx).Add(r.opts.ReconcileInterval)
			} else {
				r.Progress.FullSyncPending = true
			}
			return r.setStage(ctx, r.idleStage())
		}
	}
	report := InventoryUnmatched{}
	var rejected []string
	var cursor int64
	for {
		in := activities.InventoryPassInput{
			ConnectionID: r.connectionID, Scope: r.scope(), PassID: passID,
			Reason: "hrbc " + kind, Cursor: cursor, MaxItems: r.opts.ChunkItems,
		}
		var res activities.InventoryPassResult
		interrupted, err := r.execute(ctx, passActivityOptions, inventoryActivities.SyncInventoryChunk, in, &res, interrupt)
		if interrupted {
			pass.Running = false
			logger.Info("Inventory pass interrupted", "Kind", kind, "Pass", passID)
			return nil
		}
		if err != nil {
			return r.passFailed(ctx, kind, reconcile, err)
		}
		if res.Total > 0 {
			pass.Total = res.Total
		}
		pass.InventoryPassCounts = pass.InventoryPassCounts.Add(res.Counts)
		pass.Writes += res.Writes
		report.HeartlandOnly = appendCapped(report.HeartlandOnly, res.UnmatchedSample)
		report.Untracked = appendCapped(report.Untracked, res.UntrackedSample)
		rejected = appendCapped(rejected, res.RejectedSample)
		cursor = res.Cursor
		if res.Done {
			break
		}
	}
	var fin activities.InventoryFinishResult
	interrupted, err := r.execute(ctx, passActivityOptions, inventoryActivities.FinishInventoryPass,
		activities.InventoryFinishInput{ConnectionID: r.connectionID, Scope: r.scope(), PassID: passID}, &fin, interrupt)
	if interrupted {
		pass.Running = false
		return nil
	}
	if err != nil {
		return r.passFailed(ctx, kind, reconcile, err)
	}
	now := workflow.Now(ctx)
	pass.Running, pass.FinishedAt, pass.BigCommerceOnly = false, now, fin.BigCommerceOnly
	report.AsOf = now
	report.HeartlandOnlyCount = pass.Unmatched
	report.UntrackedCount = pass.Untracked
	report.BigCommerceOnly = fin.BigCommerceOnlySample
	report.BigCommerceOnlyCount = fin.BigCommerceOnly
	r.Unmatched = report
	r.Progress.LastError = ""
	r.Progress.RejectedCount = pass.Rejected
	r.Progress.Rejected = rejected[:min(len(rejected), maxRejectedSample)]
	if reconcile {
		r.Progress.Reconciles++
		r.Progress.LastCorrections = pass.Written
		r.Progress.TotalCorrections += pass.Written
	} else {
		r.Progress.FullSyncs++
		// Movements from shortly before the pass started on are read
		// again: a change the pass may have missed is recomputed.
		if mark := started.Add(-inventoryWatermarkOverlap); r.Progress.Watermark.Before(mark) {
			r.Progress.Watermark, r.SeenIDs, r.AfterID = mark, nil, 0
		}
	}
	r.Progress.NextReconcileAt = now.Add(r.reconcileWait(ctx, reconcile, pass.Written))
	logger.Info("Inventory pass finished", "Kind", kind, "Pass", passID, "Read", pass.Read,
		"Written", pass.Written, "Skipped", pass.Skipped, "Unmatched", pass.Unmatched,
		"Untracked", pass.Untracked, "BigCommerceOnly", pass.BigCommerceOnly)
	if reconcile && pass.Written > 0 {
		logger.Warn("Reconciliation corrected drift", "Corrections", pass.Written)
	}
	return r.setStage(ctx, r.idleStage())
}

// passFailed records a failed pass; a full sync is retried after
// RetryInterval, a reconciliation at its next turn.
func (r *inventoryRun) passFailed(ctx workflow.Context, kind string, reconcile bool, err error) error {
	if ctx.Err() != nil {
		return err
	}
	now := workflow.Now(ctx)
	r.Progress.LastError = fmt.Sprintf("%s failed: %s", kind, failureReason(err))
	if reconcile {
		r.Progress.Reconcile.Running = false
		r.Progress.NextReconcileAt = now.Add(r.opts.RetryInterval)
	} else {
		r.Progress.FullSync.Running = false
		r.Progress.FullSyncPending = true
		r.RetryAt = now.Add(r.opts.RetryInterval)
	}
	workflow.GetLogger(ctx).Error("Inventory pass failed", "Kind", kind, "Error", err)
	return r.setStage(ctx, r.idleStage())
}

// poll runs one incremental round: movements since the watermark plus the
// items named by signals.
func (r *inventoryRun) poll(ctx workflow.Context) error {
	items := r.PendingItemIDs
	r.PendingItemIDs, r.Dirty = nil, false
	in := activities.InventoryChangesInput{
		ConnectionID: r.connectionID, Scope: r.scope(),
		Since: r.Progress.Watermark, SeenIDs: r.SeenIDs, AfterID: r.AfterID, ItemIDs: items,
	}
	var res activities.InventoryChangesResult
	interrupted, err := r.execute(ctx, pollActivityOptions, inventoryActivities.SyncInventoryChanges, in, &res,
		func() bool { return r.stop })
	if interrupted || err != nil {
		r.PendingItemIDs = mergeIDs(items, r.PendingItemIDs)
	}
	if interrupted {
		return nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		r.Progress.LastError = "incremental sync failed: " + failureReason(err)
		workflow.GetLogger(ctx).Error("Inventory round failed", "Error", err)
		return r.publish(ctx)
	}
	return r.applyRound(ctx, res, 1)
}

// applyRound records what incremental rounds did and moves the watermark.
func (r *inventoryRun) applyRound(ctx workflow.Context, res activities.InventoryChangesResult, rounds int) error {
	r.Progress.Polls += rounds
	r.recordWrites(ctx, res)
	if !r.Progress.Watermark.IsZero() {
		r.Progress.Watermark, r.SeenIDs, r.AfterID = res.Since, res.SeenIDs, res.AfterID
		// The rest of a backlog is read at once, not after the poll interval.
		r.Dirty = r.Dirty || res.More
	}
	return r.publish(ctx)
}

// recordWrites counts what a round read and wrote, keeps a sample of the
// levels BigCommerce refused, and clears the last error.
func (r *inventoryRun) recordWrites(ctx workflow.Context, res activities.InventoryChangesResult) {
	if res.Movements > 0 || res.Written > 0 {
		r.stirred(ctx)
	}
	r.Progress.Movements += res.Movements
	r.Progress.IncrementalWrites += res.Written
	if len(res.Rejected) > 0 {
		r.Progress.RejectedCount += len(res.Rejected)
		for _, rej := range res.Rejected {
			if len(r.Progress.Rejected) < maxRejectedSample {
				r.Progress.Rejected = append(r.Progress.Rejected, rej)
			}
		}
		workflow.GetLogger(ctx).Warn("BigCommerce rejected inventory levels", "Rejected", res.Rejected)
	}
	if res.Written > 0 {
		r.Progress.LastWriteAt = workflow.Now(ctx)
		workflow.GetLogger(ctx).Info("Inventory changes pushed", "Touched", res.Touched, "Written", res.Written)
	}
	r.Progress.LastError = ""
}

// execute runs one activity; interrupt cancels it (the result is then
// dropped and interrupted is true).
func (r *inventoryRun) execute(ctx workflow.Context, opts workflow.ActivityOptions, fn, in, out any, interrupt func() bool) (interrupted bool, err error) {
	actCtx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	f := workflow.ExecuteActivity(workflow.WithActivityOptions(actCtx, opts), fn, in)
	if err := workflow.Await(ctx, func() bool { return f.IsReady() || interrupt() }); err != nil {
		return false, err
	}
	if !f.IsReady() {
		cancel()
		_ = f.Get(ctx, nil)
		return true, nil
	}
	return false, f.Get(ctx, out)
}

// appendCapped appends samples up to maxUnmatchedSample entries.
func appendCapped(list, more []string) []string {
	for _, s := range more {
		if len(list) >= maxUnmatchedSample {
			break
		}
		list = append(list, s)
	}
	return list
}

// mergeIDs puts a failed round's items back in front of newer ones.
func mergeIDs(first, then []int64) []int64 {
	out := slices.Clone(first)
	for _, id := range then {
		if len(out) >= maxPendingItems {
			break
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
