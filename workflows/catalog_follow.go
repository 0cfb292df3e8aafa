package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// catalogSweepOverlap is how far before its start a new follower looks,
// for clock skew between the worker and BigCommerce (a product seen
// twice is skipped: its Item # exists).
const catalogSweepOverlap = time.Minute

// catalogFollowPageSize is the products one follow activity reads.
const catalogFollowPageSize = 50

// catalogFollowMaxProblems bounds the follower's named problems.
const catalogFollowMaxProblems = 200

// catalogFollower is the state of one CatalogFollow run.
type catalogFollower struct {
	in     CatalogFollowInput
	fields *activities.CatalogFieldKeys
	pullCh workflow.ReceiveChannel
}

// pullStarted moves the watermark to a full pull's start: the pull reads
// every product created before it, so a sweep that also did would only
// race it for the same items.
func (f *catalogFollower) pullStarted(ps PullStarted) bool {
	if !ps.At.After(f.in.Watermark) {
		return false
	}
	f.in.Watermark, f.in.Status.Watermark = ps.At, ps.At
	return true
}

// takePullsStarted applies the pullStarted signals that wait in the
// channel; it reports whether one moved the watermark.
func (f *catalogFollower) takePullsStarted() bool {
	moved := false
	var ps PullStarted
	for f.pullCh != nil && f.pullCh.ReceiveAsync(&ps) {
		moved = f.pullStarted(ps) || moved
	}
	return moved
}

// CatalogFollow is a connection's follower in pull mode: every product
// created in BigCommerce afterwards becomes Heartland items. The store's
// store/product/created webhook reaches it as a productCreated signal
// (starter.ProductCreated); a sweep of products created since its
// watermark, every SweepInterval, catches what a dropped webhook missed.
// Both paths pull through the same idempotent activity, so a product seen
// twice is created once. A full pull tells it when it starts
// (pullStarted): the sweeps then leave every product created before to
// the pull rather than race it for the same items. It ends cleanly when
// the settings it is signalled turn pull mode off, and continues as new
// when the server suggests it, taking queued signals along.
func CatalogFollow(ctx workflow.Context, in CatalogFollowInput) error {
	f := &catalogFollower{in: in}
	if f.in.Watermark.IsZero() {
		f.in.Watermark = workflow.Now(ctx).Add(-catalogSweepOverlap)
	}
	f.in.Status.Watermark = f.in.Watermark
	if err := workflow.SetQueryHandler(ctx, CatalogFollowStatusQuery, func() (CatalogFollowStatus, error) {
		return f.in.Status, nil
	}); err != nil {
		return fmt.Errorf("register %s query: %w", CatalogFollowStatusQuery, err)
	}
	if err := f.publish(ctx, CatalogStageFollowing); err != nil {
		return err
	}
	if f.in.Settings.CatalogMode != CatalogPull {
		return f.stop(ctx)
	}
	settingsCh := workflow.GetSignalChannel(ctx, CatalogSettingsSignal)
	createdCh := workflow.GetSignalChannel(ctx, CatalogProductCreatedSignal)
	f.pullCh = workflow.GetSignalChannel(ctx, CatalogPullStartedSignal)
	interval := f.in.SweepInterval
	if interval <= 0 {
		interval = DefaultCatalogSweepInterval
	}
	timer := workflow.NewTimer(ctx, interval)
	for {
		if len(f.in.Pending) > 0 {
			f.pullPending(ctx)
		}
		swept, stop := false, false
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(settingsCh, func(c workflow.ReceiveChannel, _ bool) {
			c.Receive(ctx, &f.in.Settings)
			stop = f.in.Settings.CatalogMode != CatalogPull
		})
		sel.AddReceive(createdCh, func(c workflow.ReceiveChannel, _ bool) {
			var pc ProductCreated
			c.Receive(ctx, &pc)
			f.queue(pc)
		})
		sel.AddReceive(f.pullCh, func(c workflow.ReceiveChannel, _ bool) {
			var ps PullStarted
			c.Receive(ctx, &ps)
			f.pullStarted(ps)
		})
		sel.AddFuture(timer, func(workflow.Future) { swept = true })
		sel.Select(ctx)
		// Take every product signalled meanwhile into one pull.
		var pc ProductCreated
		for createdCh.ReceiveAsync(&pc) {
			f.queue(pc)
		}
		if stop {
			return f.stop(ctx)
		}
		if swept {
			f.sweep(ctx)
			timer = workflow.NewTimer(ctx, interval)
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			for settingsCh.ReceiveAsync(&f.in.Settings) {
			}
			for createdCh.ReceiveAsync(&pc) {
				f.queue(pc)
			}
			f.takePullsStarted()
			if f.in.Settings.CatalogMode != CatalogPull {
				return f.stop(ctx)
			}
			return workflow.NewContinueAsNewError(ctx, CatalogFollow, f.in)
		}
	}
}

// queue adds a signalled product to the pending pulls.
func (f *catalogFollower) queue(pc ProductCreated) {
	f.in.Status.Signals++
	if pc.ProductID > 0 && !slices.Contains(f.in.Pending, pc.ProductID) {
		f.in.Pending = append(f.in.Pending, pc.ProductID)
	}
}

// pullPending pulls the signalled products; on failure they stay pending
// for the next sweep tick.
func (f *catalogFollower) pullPending(ctx workflow.Context) {
	ids := f.in.Pending
	if err := f.pull(ctx, activities.PullPageRequest{ProductIDs: ids}); err != nil {
		return
	}
	f.in.Pending = nil
}

// sweep pulls every product created since the watermark, then retries
// what signals left pending.
func (f *catalogFollower) sweep(ctx workflow.Context) {
	f.in.Status.Sweeps++
	_ = f.pull(ctx, activities.PullPageRequest{CreatedSince: f.in.Watermark})
	if len(f.in.Pending) > 0 {
		f.pullPending(ctx)
	}
}

// pull runs PullProductsPage over every page of req, folding the results
// into the status and moving the watermark on.
func (f *catalogFollower) pull(ctx workflow.Context, req activities.PullPageRequest) error {
	actx := catalogActivityOptions(ctx)
	if f.fields == nil {
		var keys activities.CatalogFieldKeys
		if err := workflow.ExecuteActivity(actx, catalogActivities.EnsureCatalogCustomFields,
			activities.CatalogFieldsRequest{ConnectionID: f.in.ConnectionID}).Get(ctx, &keys); err != nil {
			f.failed(ctx, err)
			return err
		}
		f.fields = &keys
	}
	req.ConnectionID, req.Fields, req.Defaults = f.in.ConnectionID, *f.fields, f.in.Defaults
	req.PageSize, req.MaxNames = catalogFollowPageSize, catalogFollowMaxProblems
	st := &f.in.Status
	// Only a whole sweep moves the watermark: a signalled product may be
	// newer than one whose webhook was dropped.
	sweeping, newest := !req.CreatedSince.IsZero(), f.in.Watermark
	for page, resume := 1, 0; page > 0; {
		req.Page, req.Resume = page, resume
		var res activities.CatalogPageResult
		if err := workflow.ExecuteActivity(actx, catalogActivities.PullProductsPage, req).Get(ctx, &res); err != nil {
			f.failed(ctx, err)
			return err
		}
		st.Counts = st.Counts.Add(res.Counts)
		tellInventory(ctx, f.in.ConnectionID, res.LinkedItemIDs)
		for _, p := range res.Problems {
			if len(st.Problems) < catalogFollowMaxProblems {
				st.Problems = append(st.Problems, p)
			}
		}
		if res.NewestCreated.After(newest) {
			newest = res.NewestCreated
		}
		page, resume = res.NextPage, res.ResumeAt
		if sweeping && f.takePullsStarted() {
			// A full pull started meanwhile takes the rest of this
			// sweep's products; the watermark is its start.
			sweeping = false
			break
		}
	}
	if sweeping {
		f.in.Watermark, st.Watermark = newest, newest
	}
	st.LastError = ""
	attention := ""
	if st.Counts.Failed > 0 {
		attention = catalogAttention(st.Counts, st.Problems)
	}
	f.setAttention(ctx, attention)
	return nil
}

// failed records an activity failure; the next sweep tries again.
func (f *catalogFollower) failed(ctx workflow.Context, err error) {
	f.in.Status.LastError = failureReason(err)
	workflow.GetLogger(ctx).Warn("Catalog follow could not pull", "Error", err)
	f.setAttention(ctx, "catalog follow: "+f.in.Status.LastError)
}

func (f *catalogFollower) setAttention(ctx workflow.Context, attention string) {
	if attention == f.in.Status.Attention {
		return
	}
	f.in.Status.Attention = attention
	_ = workflow.UpsertTypedSearchAttributes(ctx, AttentionAttr.ValueSet(attention))
}

// stop ends the follower because pull mode is off.
func (f *catalogFollower) stop(ctx workflow.Context) error {
	workflow.GetLogger(ctx).Info("Catalog mode is not pull; follower ends", "ConnectionID", f.in.ConnectionID)
	return f.publish(ctx, CatalogStageStopped)
}

func (f *catalogFollower) publish(ctx workflow.Context, stage string) error {
	return workflow.UpsertTypedSearchAttributes(ctx,
		ConnectionAttr.ValueSet(f.in.ConnectionID),
		StageAttr.ValueSet(stage),
		AttentionAttr.ValueSet(f.in.Status.Attention))
}
