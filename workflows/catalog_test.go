package workflows

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

func newCatalogEnv() *testsuite.TestWorkflowEnvironment {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(CatalogSync)
	env.RegisterWorkflow(CatalogFollow)
	env.RegisterActivity(&activities.Catalog{})
	return env
}

func TestCatalogIDs(t *testing.T) {
	if got := CatalogWorkflowID("shop", CatalogKindPull); got != "catalog/shop/pull" {
		t.Errorf("CatalogWorkflowID = %q", got)
	}
	if got := CatalogFollowWorkflowID("shop"); got != "catalog/shop/follow" {
		t.Errorf("CatalogFollowWorkflowID = %q", got)
	}
}

func TestCatalogSyncPullsEveryPageAndReports(t *testing.T) {
	env := newCatalogEnv()
	env.OnActivity(catalogActivities.EnsureCatalogCustomFields, mock.Anything, mock.Anything).
		Return(activities.CatalogFieldKeys{ProductID: "bigcommerce_product_id"}, nil).Once()
	var told []PullStarted
	env.OnSignalExternalWorkflow(mock.Anything, CatalogFollowWorkflowID("shop"), "", CatalogPullStartedSignal, mock.Anything).
		Run(func(args mock.Arguments) { told = append(told, args.Get(4).(PullStarted)) }).Return(nil)
	var pages, resumes, afters []int
	env.OnActivity(catalogActivities.PullProductsPage, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.PullPageRequest) (activities.CatalogPageResult, error) {
			pages, resumes, afters = append(pages, req.Page), append(resumes, req.Resume), append(afters, req.AfterID)
			if !req.Keyset {
				t.Errorf("page %d of a new pull is read by page number", req.Page)
			}
			if req.Fields.ProductID != "bigcommerce_product_id" {
				t.Errorf("page %d without the field keys: %+v", req.Page, req.Fields)
			}
			if req.Page == 2 && req.Resume == 0 {
				// The time budget cut page 2 after two records.
				return activities.CatalogPageResult{Counts: activities.CatalogCounts{Read: 2, Created: 2},
					TotalPages: 3, Total: 9, NextPage: 2, ResumeAt: 2, NextAfterID: req.AfterID}, nil
			}
			res := activities.CatalogPageResult{Counts: activities.CatalogCounts{Read: 3, Created: 2, Failed: 1},
				TotalPages: 3, Total: 9, NextPage: req.Page + 1, NextAfterID: 100 * req.Page,
				Problems: []activities.CatalogProblem{{Kind: "failed", SKU: "", Name: "No SKU", Reason: "no SKU"}}}
			if req.Page == 2 {
				res.Counts = activities.CatalogCounts{Read: 1, Failed: 1}
			}
			if req.Page == 3 {
				res.NextPage, res.Done = 0, true
			}
			return res, nil
		})
	var attention string
	env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		if sa, ok := args.Get(0).(temporal.SearchAttributes); ok {
			if v, ok := sa.GetKeyword(AttentionAttr); ok {
				attention = v
			}
		}
	}).Return(nil)
	env.ExecuteWorkflow(CatalogSync, CatalogRunInput{ConnectionID: "shop", Kind: CatalogKindPull, Options: CatalogRunOptions{MaxNames: 2}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var p CatalogProgress
	if err := env.GetWorkflowResult(&p); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pages, []int{1, 2, 2, 3}) || !slices.Equal(resumes, []int{0, 0, 2, 0}) || !slices.Equal(afters, []int{0, 100, 100, 200}) || p.Pages != 3 ||
		p.Counts.Created != 6 || p.Counts.Read != 9 || p.Counts.Failed != 3 ||
		len(p.Problems) != 2 || p.Dropped != 1 || p.Stage != CatalogStageDone || p.TotalPages != 3 {
		t.Fatalf("pages %v resumed at %v after ids %v, progress %+v", pages, resumes, afters, p)
	}
	if len(told) != 1 || !told[0].At.Equal(p.StartedAt) {
		t.Errorf("follower told %+v, want once, at the start %v", told, p.StartedAt)
	}
	if !strings.Contains(attention, "3 catalog record(s) failed") || attention != p.Attention {
		t.Errorf("attention %q / %q", attention, p.Attention)
	}
}

func TestCatalogSyncContinuesAsNewWithItsCursor(t *testing.T) {
	env := newCatalogEnv()
	env.OnActivity(catalogActivities.PushItemsPage, mock.Anything, mock.Anything).Return(
		activities.CatalogPageResult{Counts: activities.CatalogCounts{Read: 2, Created: 2}, Cursor: []byte(`{"after_id":7}`)}, nil)
	env.ExecuteWorkflow(CatalogSync, CatalogRunInput{ConnectionID: "shop", Kind: CatalogKindPush, Options: CatalogRunOptions{PagesPerRun: 2}})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("err = %v, want continue-as-new", err)
	}
	var next CatalogRunInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.State == nil || string(next.State.Cursor) != `{"after_id":7}` || next.State.Progress.Counts.Created != 4 || next.State.Progress.Pages != 2 {
		t.Fatalf("carried state %+v", next.State)
	}
}

func TestCatalogSyncFailureNeedsAttention(t *testing.T) {
	env := newCatalogEnv()
	env.OnActivity(catalogActivities.PushItemsPage, mock.Anything, mock.Anything).Return(
		activities.CatalogPageResult{}, temporal.NewNonRetryableApplicationError("list Heartland items: 401", activities.ErrTypeHeartlandRejected, nil))
	env.ExecuteWorkflow(CatalogSync, CatalogRunInput{ConnectionID: "shop", Kind: CatalogKindPush})
	err := env.GetWorkflowError()
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v", err)
	}
	v, qerr := env.QueryWorkflow(CatalogProgressQuery)
	if qerr != nil {
		t.Fatal(qerr)
	}
	var p CatalogProgress
	_ = v.Get(&p)
	if p.Stage != CatalogStageFailed || !strings.Contains(p.Attention, "401") {
		t.Fatalf("progress %+v", p)
	}
}

func TestCatalogFollowPullsSignalledAndSweptProducts(t *testing.T) {
	env := newCatalogEnv()
	env.OnActivity(catalogActivities.EnsureCatalogCustomFields, mock.Anything, mock.Anything).
		Return(activities.CatalogFieldKeys{ProductID: "pid"}, nil)
	// The swept products were created after the follower's first
	// watermark (its start less the sweep overlap) and before its start.
	newest := env.Now().UTC().Add(-catalogSweepOverlap / 2)
	var byID [][]int
	var sweeps []time.Time
	env.OnActivity(catalogActivities.PullProductsPage, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.PullPageRequest) (activities.CatalogPageResult, error) {
			if len(req.ProductIDs) > 0 {
				byID = append(byID, req.ProductIDs)
				// A signalled product newer than anything swept must not
				// move the watermark past products whose webhook was lost.
				return activities.CatalogPageResult{Counts: activities.CatalogCounts{Read: 1, Created: 1}, Done: true,
					NewestCreated: newest.Add(time.Hour)}, nil
			}
			sweeps = append(sweeps, req.CreatedSince)
			return activities.CatalogPageResult{Counts: activities.CatalogCounts{Read: 1, Created: 1}, Done: true, NewestCreated: newest}, nil
		})
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(CatalogProductCreatedSignal, ProductCreated{ProductID: 41})
		env.SignalWorkflow(CatalogProductCreatedSignal, ProductCreated{ProductID: 42})
	}, time.Second)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(CatalogFollowStatusQuery)
		if err != nil {
			t.Fatal(err)
		}
		var st CatalogFollowStatus
		_ = v.Get(&st)
		if st.Signals != 2 || st.Sweeps != 2 || st.Counts.Created != 2+len(byID) || !st.Watermark.Equal(newest) {
			t.Errorf("status %+v", st)
		}
		env.SignalWorkflow(CatalogSettingsSignal, Settings{CatalogMode: CatalogManual})
	}, 25*time.Second)
	env.ExecuteWorkflow(CatalogFollow, CatalogFollowInput{ConnectionID: "shop", Settings: Settings{CatalogMode: CatalogPull},
		SweepInterval: 10 * time.Second})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("follower did not end cleanly: %v", err)
	}
	var ids []int
	for _, b := range byID {
		ids = append(ids, b...)
	}
	if len(ids) != 2 || ids[0] != 41 || ids[1] != 42 {
		t.Errorf("pulled by id %v, want 41 and 42 once each", byID)
	}
	if len(sweeps) != 2 || !sweeps[1].Equal(newest) {
		t.Errorf("sweeps since %v, want the watermark to move to %v", sweeps, newest)
	}
}

func TestCatalogFollowEndsOutsidePullMode(t *testing.T) {
	env := newCatalogEnv()
	env.ExecuteWorkflow(CatalogFollow, CatalogFollowInput{ConnectionID: "shop", Settings: Settings{CatalogMode: CatalogPush}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
}

func TestCatalogSyncDryRunLeavesTheFollowerAlone(t *testing.T) {
	env := newCatalogEnv()
	told := 0
	env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).
		Run(func(mock.Arguments) { told++ }).Return(nil)
	env.OnActivity(catalogActivities.EnsureCatalogCustomFields, mock.Anything, mock.Anything).
		Return(activities.CatalogFieldKeys{}, nil)
	env.OnActivity(catalogActivities.PullProductsPage, mock.Anything, mock.Anything).
		Return(activities.CatalogPageResult{Counts: activities.CatalogCounts{Read: 1, Created: 1}, Done: true}, nil)
	env.ExecuteWorkflow(CatalogSync, CatalogRunInput{ConnectionID: "shop", Kind: CatalogKindPull, Options: CatalogRunOptions{DryRun: true}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if told != 0 {
		t.Fatalf("a dry run told the follower %d time(s)", told)
	}
}

// TestCatalogFollowLeavesAFullPullItsProducts: once a full pull has said
// when it started, the follower's sweeps look only at products created
// since, and a sweep under way stops at its next page, so the two never
// go through the same products at the same time.
func TestCatalogFollowLeavesAFullPullItsProducts(t *testing.T) {
	env := newCatalogEnv()
	env.OnActivity(catalogActivities.EnsureCatalogCustomFields, mock.Anything, mock.Anything).
		Return(activities.CatalogFieldKeys{ProductID: "pid"}, nil)
	start := env.Now().UTC().Add(-time.Hour)
	pullAt := start.Add(30 * time.Minute)
	type call struct {
		since time.Time
		page  int
	}
	var calls []call
	env.OnActivity(catalogActivities.PullProductsPage, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.PullPageRequest) (activities.CatalogPageResult, error) {
			calls = append(calls, call{req.CreatedSince, req.Page})
			if req.CreatedSince.Equal(start) {
				// The first sweep has many pages; the pull starts while it
				// reads page 1 (the signal is sent from the activity, as
				// the real pull's would arrive meanwhile).
				if req.Page == 1 {
					env.SignalWorkflow(CatalogPullStartedSignal, PullStarted{At: pullAt})
				}
				res := activities.CatalogPageResult{Counts: activities.CatalogCounts{Read: 50, Created: 50},
					NextPage: req.Page + 1, TotalPages: 10, NewestCreated: start.Add(time.Minute)}
				if req.Page == 10 {
					res.NextPage, res.Done = 0, true
				}
				return res, nil
			}
			return activities.CatalogPageResult{Done: true}, nil
		})
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(CatalogSettingsSignal, Settings{CatalogMode: CatalogManual})
	}, 25*time.Second)
	env.ExecuteWorkflow(CatalogFollow, CatalogFollowInput{ConnectionID: "shop", Settings: Settings{CatalogMode: CatalogPull},
		SweepInterval: 10 * time.Second, Watermark: start})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("follower did not end cleanly: %v", err)
	}
	want := []call{{start, 1}, {pullAt, 1}}
	if !slices.Equal(calls, want) {
		t.Fatalf("sweeps %v, want the first stopped after page 1 and the next from the pull's start %v", calls, pullAt)
	}
}
