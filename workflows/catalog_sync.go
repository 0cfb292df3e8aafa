package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// catalogActivities is the method-value handle on the catalog activities.
var catalogActivities *activities.Catalog

// catalogActivityOptions: pages heartbeat their position, so a retried
// attempt resumes where the last one stopped; 4xx are not retried.
func catalogActivityOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute,
			MaximumAttempts: 10},
	})
}

// catalogRun is the state of one CatalogSync run.
type catalogRun struct {
	in    CatalogRunInput
	state CatalogRunState
}

// CatalogSync is one push (Heartland → BigCommerce) or pull (BigCommerce
// → Heartland) of a connection's catalog, `catalog/<connection>/<kind>`.
// It goes through the catalog a page per activity; each activity reads a
// page, writes it to the other side and returns counts, named problems
// and a cursor, so the catalog never travels through history. Long runs
// continue as new. The progress query answers at any time; the result is
// the final progress.
func CatalogSync(ctx workflow.Context, in CatalogRunInput) (CatalogProgress, error) {
	if in.Kind != CatalogKindPush && in.Kind != CatalogKindPull {
		return CatalogProgress{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("catalog run kind %q is not push or pull", in.Kind), ErrTypeCatalogKind, nil)
	}
	r := &catalogRun{in: in}
	if in.State != nil {
		r.state = *in.State
		r.state.Progress.Runs++
	} else {
		r.state = CatalogRunState{Page: 1, Progress: CatalogProgress{ConnectionID: in.ConnectionID, Kind: in.Kind,
			DryRun: in.Options.DryRun, StartedAt: workflow.Now(ctx)}}
		// Decided once per pull and carried across continue-as-new, so a
		// pull that began by page numbers finishes by them.
		r.state.Keyset = in.Kind == CatalogKindPull &&
			workflow.GetVersion(ctx, catalogPullKeysetChange, workflow.DefaultVersion, 1) == 1
	}
	r.state.Progress.Stage = CatalogStageRunning
	if err := workflow.SetQueryHandler(ctx, CatalogProgressQuery, func() (CatalogProgress, error) {
		return r.state.Progress, nil
	}); err != nil {
		return CatalogProgress{}, fmt.Errorf("register %s query: %w", CatalogProgressQuery, err)
	}
	if err := r.publish(ctx); err != nil {
		return CatalogProgress{}, err
	}
	if in.State == nil && in.Kind == CatalogKindPull && !in.Options.DryRun {
		r.tellFollower(ctx)
	}
	actx := catalogActivityOptions(ctx)
	pagesPerRun := in.Options.PagesPerRun
	if pagesPerRun <= 0 {
		pagesPerRun = DefaultCatalogPagesPerRun
	}
	for pages := 0; ; pages++ {
		if pages >= pagesPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			next := in
			st := r.state
			next.State = &st
			workflow.GetLogger(ctx).Info("Catalog run continues as new", "Pages", r.state.Progress.Pages)
			return CatalogProgress{}, workflow.NewContinueAsNewError(ctx, CatalogSync, next)
		}
		var page activities.CatalogPageResult
		var err error
		if in.Kind == CatalogKindPull {
			page, err = r.pullPage(ctx, actx)
		} else {
			page, err = r.pushPage(ctx, actx)
		}
		if err != nil {
			return r.fail(ctx, err)
		}
		r.add(page)
		tellInventory(ctx, in.ConnectionID, page.LinkedItemIDs)
		if page.Done {
			break
		}
	}
	p := &r.state.Progress
	p.Stage, p.FinishedAt = CatalogStageDone, workflow.Now(ctx)
	p.Attention = catalogAttention(p.Counts, p.Problems)
	if err := r.publish(ctx); err != nil {
		return *p, err
	}
	workflow.GetLogger(ctx).Info("Catalog run done", "Kind", in.Kind, "Created", p.Counts.Created,
		"Updated", p.Counts.Updated, "Skipped", p.Counts.Skipped, "Failed", p.Counts.Failed)
	return *p, nil
}

// pullPage ensures the custom fields once, then pulls the next page.
func (r *catalogRun) pullPage(ctx, actx workflow.Context) (activities.CatalogPageResult, error) {
	if r.state.Fields == nil {
		var keys activities.CatalogFieldKeys
		if err := workflow.ExecuteActivity(actx, catalogActivities.EnsureCatalogCustomFields, activities.CatalogFieldsRequest{
			ConnectionID: r.in.ConnectionID, DryRun: r.in.Options.DryRun}).Get(ctx, &keys); err != nil {
			return activities.CatalogPageResult{}, err
		}
		r.state.Fields = &keys
	}
	size := r.in.Options.PageSize
	if size <= 0 {
		size = DefaultCatalogPullPageSize
	}
	var page activities.CatalogPageResult
	err := workflow.ExecuteActivity(actx, catalogActivities.PullProductsPage, activities.PullPageRequest{
		ConnectionID: r.in.ConnectionID, Page: r.state.Page, Resume: r.state.Resume, PageSize: size, Fields: *r.state.Fields,
		Keyset: r.state.Keyset, AfterID: r.state.AfterID,
		Defaults: r.in.Options.Defaults, DryRun: r.in.Options.DryRun, MaxNames: r.room(),
	}).Get(ctx, &page)
	if err == nil {
		r.state.Page, r.state.Resume, r.state.AfterID = page.NextPage, page.ResumeAt, page.NextAfterID
	}
	return page, err
}

// catalogPullKeysetChange versions pulls that page by product id.
const catalogPullKeysetChange = "catalog-pull-keyset"

// catalogPullTellsFollowerChange versions the signal a pull sends the
// connection's follower when it starts (histories from before have none).
const catalogPullTellsFollowerChange = "catalog-pull-tells-follower"

// tellFollower tells the connection's CatalogFollow that this pull takes
// every product created before it started. Without it the follower's
// sweep, which looks a minute back on its first start, goes through the
// same recently created products as the pull at the same moment: each
// side's lookup misses the items the other is about to create, and every
// such item is created twice (the second rejected as a duplicate Item #).
// A follower that is not running has nothing to be told.
func (r *catalogRun) tellFollower(ctx workflow.Context) {
	if workflow.GetVersion(ctx, catalogPullTellsFollowerChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	id := CatalogFollowWorkflowID(r.in.ConnectionID)
	err := workflow.SignalExternalWorkflow(ctx, id, "", CatalogPullStartedSignal,
		PullStarted{At: r.state.Progress.StartedAt}).Get(ctx, nil)
	if err != nil {
		workflow.GetLogger(ctx).Info("Catalog follower not told of the pull", "WorkflowID", id, "Error", err)
	}
}

// pushPage pushes the next page of Heartland items.
func (r *catalogRun) pushPage(ctx, actx workflow.Context) (activities.CatalogPageResult, error) {
	var page activities.CatalogPageResult
	err := workflow.ExecuteActivity(actx, catalogActivities.PushItemsPage, activities.PushPageRequest{
		ConnectionID: r.in.ConnectionID, Cursor: r.state.Cursor, PageSize: r.in.Options.PageSize,
		Filter: r.in.Options.Filter, Update: r.in.Options.Update, DryRun: r.in.Options.DryRun, MaxNames: r.room(),
	}).Get(ctx, &page)
	if err == nil {
		r.state.Cursor = page.Cursor
	}
	return page, err
}

// room is how many more names the run may keep (at least 1, so a page
// still reports that it dropped some).
func (r *catalogRun) room() int {
	limit := r.in.Options.MaxNames
	if limit <= 0 {
		limit = activities.DefaultCatalogMaxNames
	}
	p := r.state.Progress
	return max(limit-len(p.Problems)-len(p.Planned), 1)
}

// add folds a page into the progress, keeping the name lists bounded.
func (r *catalogRun) add(page activities.CatalogPageResult) {
	p := &r.state.Progress
	if page.ResumeAt == 0 {
		// A page cut by the time budget is counted when it is finished.
		p.Pages++
	}
	p.Counts = p.Counts.Add(page.Counts)
	if page.TotalPages > 0 {
		p.TotalPages, p.Total = page.TotalPages, page.Total
	}
	limit := r.in.Options.MaxNames
	if limit <= 0 {
		limit = activities.DefaultCatalogMaxNames
	}
	p.Dropped += page.Dropped
	for _, pr := range page.Problems {
		if len(p.Problems)+len(p.Planned) >= limit {
			p.Dropped++
			continue
		}
		p.Problems = append(p.Problems, pr)
	}
	for _, pl := range page.Planned {
		if len(p.Problems)+len(p.Planned) >= limit {
			p.Dropped++
			continue
		}
		p.Planned = append(p.Planned, pl)
	}
}

// fail ends the run on an error the activity could not get past.
func (r *catalogRun) fail(ctx workflow.Context, err error) (CatalogProgress, error) {
	p := &r.state.Progress
	p.Stage, p.FinishedAt = CatalogStageFailed, workflow.Now(ctx)
	p.Error = failureReason(err)
	p.Attention = fmt.Sprintf("catalog %s stopped: %s", r.in.Kind, p.Error)
	if perr := r.publish(ctx); perr != nil {
		return *p, perr
	}
	workflow.GetLogger(ctx).Warn("Catalog run failed", "Kind", r.in.Kind, "Error", err)
	return *p, temporal.NewNonRetryableApplicationError(p.Attention, "CatalogRunFailed", err)
}

// publish writes stage and attention to the search attributes.
func (r *catalogRun) publish(ctx workflow.Context) error {
	p := r.state.Progress
	return workflow.UpsertTypedSearchAttributes(ctx,
		ConnectionAttr.ValueSet(r.in.ConnectionID),
		StageAttr.ValueSet(p.Stage),
		AttentionAttr.ValueSet(p.Attention))
}

// catalogAttention summarises failed and partially saved records, or "".
func catalogAttention(c CatalogCounts, problems []CatalogProblem) string {
	partial := 0
	first := ""
	for _, pr := range problems {
		if pr.Kind == activities.CatalogProblemPartial {
			partial++
		}
		if first == "" && pr.Kind != activities.CatalogProblemSkipped {
			first = pr.Reason
			if pr.SKU != "" {
				first = pr.SKU + ": " + first
			}
		}
	}
	switch {
	case c.Failed > 0:
		return fmt.Sprintf("%d catalog record(s) failed (first: %s)", c.Failed, first)
	case partial > 0:
		return fmt.Sprintf("%d catalog record(s) saved with warnings (first: %s)", partial, first)
	}
	return ""
}
