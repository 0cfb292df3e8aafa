package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// Bounds of a run that are not options.
const (
	// inventoryWatermarkOverlap is how far before a full sync starts the
	// change feed is read afterwards, for clock skew between the worker and
	// Heartland (re-reading a change is harmless: writes are absolute).
	inventoryWatermarkOverlap = time.Minute
	// maxPendingItems bounds the item ids a run collects from signals.
	maxPendingItems = 1000
	// heldIdleWait is how long a run whose first full sync is held sleeps
	// between checks when no signal comes.
	heldIdleWait = 24 * time.Hour
)

// inventoryRun is the state of one InventorySync run.
type inventoryRun struct {
	// InventoryState is what continue-as-new carries.
	InventoryState
	connectionID string
	settings     Settings
	// opts are the options with defaults filled; rawOpts are carried over
	// as given, so a later release's defaults apply after continue-as-new.
	opts, rawOpts InventoryOptions
	generation    int
	rounds        int

	// stop is set when inventory sync was turned off.
	stop bool
	// abortPass interrupts a running full sync (locations changed).
	abortPass bool
	// wake ends the wait between rounds early.
	wake bool

	publishedStage, publishedAttention string
	published                          bool

	// alongsideVersion caches inventoryTellAlongsideChange for the run;
	// along is the told items of the running long poll.
	alongsideVersion *bool
	along            alongside

	settingsCh, changedCh, fullSyncCh workflow.ReceiveChannel
}

// InventorySync is the inventory entity workflow of one connection: a full
// sync first (and on demand, and whenever the contributing locations
// change), then every Heartland stock movement is pushed to BigCommerce
// within seconds (poll every PollInterval, at once on a changed signal),
// with a reconciliation of every linked SKU every ReconcileInterval. It ends
// when a settings signal turns inventory sync off.
func InventorySync(ctx workflow.Context, in InventorySyncInput) error {
	if strings.TrimSpace(in.ConnectionID) == "" {
		return temporal.NewNonRetryableApplicationError("connection_id is empty", ErrTypeInvalidSettings, nil)
	}
	r := &inventoryRun{
		connectionID: in.ConnectionID,
		settings:     in.Settings,
		opts:         in.Options.withDefaults(),
		rawOpts:      in.Options,
		settingsCh:   workflow.GetSignalChannel(ctx, InventorySettingsSignal),
		changedCh:    workflow.GetSignalChannel(ctx, InventoryChangedSignal),
		fullSyncCh:   workflow.GetSignalChannel(ctx, InventoryFullSyncSignal),
	}
	if in.State != nil {
		r.InventoryState = *in.State
		r.generation = in.State.Progress.Generation
	} else {
		r.Progress.FullSyncPending = true
		r.Progress.Stage = StageFullSync
	}
	r.Progress.ConnectionID = in.ConnectionID
	r.Progress.Generation = r.generation
	if !in.Settings.InventorySync {
		r.stop = true
	}
	if err := workflow.SetQueryHandler(ctx, InventoryProgressQuery, func() (InventoryProgress, error) {
		return r.progress(), nil
	}); err != nil {
		return fmt.Errorf("register %s query: %w", InventoryProgressQuery, err)
	}
	if err := workflow.SetQueryHandler(ctx, InventoryUnmatchedQuery, func() (InventoryUnmatched, error) {
		return r.Unmatched, nil
	}); err != nil {
		return fmt.Errorf("register %s query: %w", InventoryUnmatchedQuery, err)
	}
	// Signals that came with the start (signal-with-start) are taken
	// before anything runs, so a start plus fullSync is one full sync.
	r.drainSignals(ctx)
	r.listen(ctx)
	if err := r.publish(ctx); err != nil {
		return err
	}
	return r.loop(ctx)
}

// loop runs rounds until inventory sync is turned off or the run hands over.
func (r *inventoryRun) loop(ctx workflow.Context) error {
	for {
		if r.stop {
			return r.finish(ctx)
		}
		if r.rounds >= r.opts.RunRounds || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return r.continueAsNew(ctx)
		}
		r.rounds++
		now := workflow.Now(ctx)
		var err error
		switch {
		case r.Progress.FullSyncPending && r.Hold == nil && !now.Before(r.RetryAt):
			err = r.runPass(ctx, false)
		case r.Hold == nil && !r.Progress.Watermark.IsZero() && !now.Before(r.Progress.NextReconcileAt):
			// Catch up with the feed first, so the pass counts drift only.
			if err = r.poll(ctx); err == nil {
				err = r.runPass(ctx, true)
			}
		default:
			err = r.waitAndPoll(ctx)
		}
		if err != nil {
			return err
		}
	}
}

// waitAndPoll waits for the poll interval (or a signal) and runs one round.
func (r *inventoryRun) waitAndPoll(ctx workflow.Context) error {
	if err := r.setStage(ctx, r.idleStage()); err != nil {
		return err
	}
	wait := r.opts.PollInterval
	now := workflow.Now(ctx)
	held := r.Hold != nil
	if !r.Progress.Watermark.IsZero() && !held {
		wait = min(wait, max(r.Progress.NextReconcileAt.Sub(now), 0))
	}
	if held && r.Progress.Watermark.IsZero() {
		// A held first sync: nothing to poll until a person confirms or
		// the settings change (a signal wakes the run).
		wait = heldIdleWait
	}
	if r.Progress.FullSyncPending && !held {
		wait = min(wait, max(r.RetryAt.Sub(now), 0))
		if r.Progress.Watermark.IsZero() {
			// Nothing to poll before a first full sync: sleep until its
			// retry (a signal still wakes the run).
			wait = max(r.RetryAt.Sub(now), 0)
		}
	}
	if !r.Dirty && wait > 0 {
		if r.canLongPoll(now, wait) && workflow.GetVersion(ctx, inventoryLongPollChange, workflow.DefaultVersion, 1) >= 1 {
			if done, err := r.longPoll(ctx); done || err != nil {
				return err
			}
			// Woken by a signal, or the long poll failed: a round now.
		} else if _, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return r.wake || r.Dirty }); err != nil {
			return err
		}
	}
	r.wake = false
	if r.stop || (r.Progress.FullSyncPending && r.Hold == nil && !workflow.Now(ctx).Before(r.RetryAt)) {
		return nil
	}
	if r.Progress.Watermark.IsZero() && len(r.PendingItemIDs) == 0 {
		r.Dirty = false
		return nil
	}
	return r.poll(ctx)
}

// idleStage is the stage shown between rounds.
func (r *inventoryRun) idleStage() string {
	if r.Hold != nil {
		return StageInventoryAttention
	}
	if r.Progress.FullSyncPending {
		return StageFullSync
	}
	return StageIncremental
}

// listen starts one goroutine per signal channel; each applies its
// messages to the run state as they arrive.
func (r *inventoryRun) listen(ctx workflow.Context) {
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var s Settings
			if !r.settingsCh.Receive(ctx, &s) {
				return
			}
			r.applySettings(ctx, s)
		}
	})
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var c InventoryChanged
			if !r.changedCh.Receive(ctx, &c) {
				return
			}
			r.applyChanged(ctx, c)
		}
	})
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var req InventoryFullSyncRequest
			if !r.fullSyncCh.Receive(ctx, &req) {
				return
			}
			r.applyFullSync(ctx, req)
		}
	})
}

// drainSignals applies every signal already delivered, without blocking.
func (r *inventoryRun) drainSignals(ctx workflow.Context) {
	for {
		var s Settings
		if !r.settingsCh.ReceiveAsync(&s) {
			break
		}
		r.applySettings(ctx, s)
	}
	for {
		var c InventoryChanged
		if !r.changedCh.ReceiveAsync(&c) {
			break
		}
		r.applyChanged(ctx, c)
	}
	for {
		var req InventoryFullSyncRequest
		if !r.fullSyncCh.ReceiveAsync(&req) {
			break
		}
		r.applyFullSync(ctx, req)
	}
}

func (r *inventoryRun) applySettings(ctx workflow.Context, s Settings) {
	old := r.settings
	r.settings = s
	r.settings.LocationIDs = append([]int64(nil), s.LocationIDs...)
	if !s.InventorySync {
		workflow.GetLogger(ctx).Info("Inventory sync turned off")
		r.stop = true
		r.wake = true
		return
	}
	if r.Hold != nil {
		r.release(ctx, "settings changed")
	}
	if !sameLocations(old, s) {
		workflow.GetLogger(ctx).Info("Contributing locations changed: full resync",
			"AllLocations", s.AllLocations, "LocationIDs", s.LocationIDs)
		r.Progress.FullSyncPending = true
		r.RetryAt = time.Time{}
		r.abortPass = true
		r.wake = true
	}
}

func (r *inventoryRun) applyChanged(ctx workflow.Context, c InventoryChanged) {
	if r.tellAlongside(ctx, c) {
		return
	}
	for _, id := range c.ItemIDs {
		if len(r.PendingItemIDs) >= maxPendingItems {
			break
		}
		if !slices.Contains(r.PendingItemIDs, id) {
			r.PendingItemIDs = append(r.PendingItemIDs, id)
		}
	}
	r.Dirty = true
	r.wake = true
	r.stirred(ctx)
}

func (r *inventoryRun) applyFullSync(ctx workflow.Context, req InventoryFullSyncRequest) {
	workflow.GetLogger(ctx).Info("Full sync requested", "Reason", req.Reason)
	if req.Options != nil {
		r.rawOpts, r.opts = *req.Options, req.Options.withDefaults()
	}
	if req.Confirm {
		r.Confirmed = true
	}
	r.release(ctx, "full sync requested")
	r.Progress.FullSyncPending = true
	r.RetryAt = time.Time{}
	r.wake = true
}

// sameLocations reports whether two settings have the same contributing
// locations (order of the list does not matter).
func sameLocations(a, b Settings) bool {
	if a.AllLocations != b.AllLocations {
		return false
	}
	x, y := slices.Clone(a.LocationIDs), slices.Clone(b.LocationIDs)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// scope is the activities' view of the settings and options.
func (r *inventoryRun) scope() activities.InventoryScope {
	return activities.InventoryScope{
		AllLocations:          r.settings.AllLocations,
		LocationIDs:           slices.Clone(r.settings.LocationIDs),
		SafetyBuffer:          r.opts.SafetyBuffer,
		BigCommerceLocationID: r.opts.BigCommerceLocationID,
	}
}

// progress is the answer of the progress query.
func (r *inventoryRun) progress() InventoryProgress {
	p := r.Progress
	p.Attention = r.attention()
	p.Hold = r.Hold
	p.Settings = r.settings
	p.SafetyBuffer = r.opts.SafetyBuffer
	return p
}

// attention is why a person should look: an API failure first, then
// linked products BigCommerce does not track.
func (r *inventoryRun) attention() string {
	switch {
	case r.stop:
		return ""
	case r.Hold != nil:
		return r.holdAttention()
	case r.Progress.LastError != "":
		return truncateAttention(r.Progress.LastError)
	case r.Progress.RejectedCount > 0:
		return truncateAttention(fmt.Sprintf("BigCommerce rejected %d SKU levels, e.g. %s",
			r.Progress.RejectedCount, strings.Join(r.Progress.Rejected[:min(len(r.Progress.Rejected), 1)], "")))
	case r.Unmatched.UntrackedCount > 0:
		return fmt.Sprintf("%d linked SKUs are not tracked on BigCommerce", r.Unmatched.UntrackedCount)
	}
	return ""
}

// truncateAttention keeps the Keyword attribute short.
func truncateAttention(s string) string {
	const limit = 200
	if len(s) <= limit {
		return s
	}
	return s[:limit]
}

// setStage records the stage and publishes it when it changed.
func (r *inventoryRun) setStage(ctx workflow.Context, stage string) error {
	r.Progress.Stage = stage
	return r.publish(ctx)
}

// publish upserts the search attributes when stage or attention changed,
// so idle rounds add nothing to the history.
func (r *inventoryRun) publish(ctx workflow.Context) error {
	stage, attention := r.Progress.Stage, r.attention()
	if r.published && stage == r.publishedStage && attention == r.publishedAttention {
		return nil
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx,
		ConnectionAttr.ValueSet(r.connectionID),
		StageAttr.ValueSet(stage),
		AttentionAttr.ValueSet(attention),
	); err != nil {
		return fmt.Errorf("upsert search attributes: %w", err)
	}
	r.published, r.publishedStage, r.publishedAttention = true, stage, attention
	return nil
}

// finish ends the workflow cleanly after inventory sync was turned off.
func (r *inventoryRun) finish(ctx workflow.Context) error {
	if err := r.setStage(ctx, StageStopped); err != nil {
		return err
	}
	workflow.GetLogger(ctx).Info("Inventory sync stopped")
	return nil
}

// continueAsNew hands the state to a fresh run once every signal is taken.
func (r *inventoryRun) continueAsNew(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	r.drainSignals(ctx)
	if r.stop {
		return r.finish(ctx)
	}
	state := r.InventoryState
	state.Progress.Generation = r.generation + 1
	state.Progress.Stage = r.Progress.Stage
	workflow.GetLogger(ctx).Info("Continuing inventory sync as new", "Generation", state.Progress.Generation)
	return workflow.NewContinueAsNewError(ctx, InventorySync, InventorySyncInput{
		ConnectionID: r.connectionID,
		Settings:     r.settings,
		Options:      r.rawOpts,
		State:        &state,
	})
}
