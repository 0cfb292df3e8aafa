package workflows

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// fakeInventory stands in for the inventory activities: a catalog of
// `items` Heartland items read in chunks, and a record of every call.
type fakeInventory struct {
	mu          sync.Mutex
	items       int64
	passes      []activities.InventoryPassInput
	changes     []activities.InventoryChangesInput
	waits       []activities.InventoryWaitInput
	corrections int
	failChunk   error
	// backlog is how many rounds stop inside a backlog (More) first.
	backlog int
	// previews are the dry-run chunks; blast is what each chunk of a dry
	// run reports (nil: nothing would change).
	previews []activities.InventoryPassInput
	blast    *activities.InventoryBlast
	// itemRounds are the items rounds (SyncInventoryItems); failItems
	// fails them.
	itemRounds []activities.InventoryChangesInput
	failItems  error
	// waitWrote are the items every long poll's round reports written.
	waitWrote []int64
	// failWaits is how many long polls to come fail for good.
	failWaits int
}

// itemsRound answers SyncInventoryItems: every named item written.
func (f *fakeInventory) itemsRound(_ context.Context, in activities.InventoryChangesInput) (activities.InventoryChangesResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.itemRounds = append(f.itemRounds, in)
	if f.failItems != nil {
		return activities.InventoryChangesResult{}, f.failItems
	}
	return activities.InventoryChangesResult{Touched: len(in.ItemIDs), Written: len(in.ItemIDs), WrittenItemIDs: slices.Clone(in.ItemIDs)}, nil
}

func (f *fakeInventory) itemsRounds() []activities.InventoryChangesInput {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.itemRounds)
}

// dryRun answers a dry-run chunk: it writes nothing and reports f.blast.
func (f *fakeInventory) dryRun(in activities.InventoryPassInput) (activities.InventoryPassResult, error) {
	f.previews = append(f.previews, in)
	if f.failChunk != nil {
		return activities.InventoryPassResult{}, f.failChunk
	}
	n := min(int64(in.MaxItems), f.items-in.Cursor)
	res := activities.InventoryPassResult{Cursor: in.Cursor + n, Done: in.Cursor+n >= f.items, Blast: &activities.InventoryBlast{}}
	if f.blast != nil {
		b := *f.blast
		res.Blast = &b
	}
	return res, nil
}

func (f *fakeInventory) chunk(_ context.Context, in activities.InventoryPassInput) (activities.InventoryPassResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if in.DryRun {
		return f.dryRun(in)
	}
	f.passes = append(f.passes, in)
	if f.failChunk != nil {
		return activities.InventoryPassResult{}, f.failChunk
	}
	n := min(int64(in.MaxItems), f.items-in.Cursor)
	res := activities.InventoryPassResult{Cursor: in.Cursor + n, Done: in.Cursor+n >= f.items}
	if in.Cursor == 0 {
		res.Total = int(f.items)
	}
	res.Counts = activities.InventoryPassCounts{Read: int(n), Skipped: int(n) - 1, Unmatched: 1}
	if in.Reason == "hrbc reconciliation" {
		res.Counts.Written, res.Counts.Skipped = f.corrections, int(n)-1-f.corrections
	} else {
		res.Counts.Written, res.Counts.Skipped = 1, int(n)-2
	}
	res.UnmatchedSample = []string{"HL-ONLY"}
	return res, nil
}

func (f *fakeInventory) finish(context.Context, activities.InventoryFinishInput) (activities.InventoryFinishResult, error) {
	return activities.InventoryFinishResult{BigCommerceOnly: 1, BigCommerceOnlySample: []string{"BC-ONLY"}}, nil
}

func (f *fakeInventory) poll(_ context.Context, in activities.InventoryChangesInput) (activities.InventoryChangesResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.changes = append(f.changes, in)
	out := activities.InventoryChangesResult{Since: in.Since, SeenIDs: in.SeenIDs, Touched: len(in.ItemIDs), Written: len(in.ItemIDs)}
	if !in.Since.IsZero() && f.backlog > 0 {
		f.backlog--
		out.AfterID, out.More = in.AfterID+100, true
		return out, nil
	}
	if !in.Since.IsZero() {
		out.Since, out.AfterID = in.Since.Add(time.Second), in.AfterID+1
	}
	return out, nil
}

// wait stands in for a long poll: a minute (on the workflow's clock) of
// rounds, reported as one round that read what poll would.
func (f *fakeInventory) wait(ctx context.Context, in activities.InventoryWaitInput) (activities.InventoryWaitResult, error) {
	f.mu.Lock()
	f.waits = append(f.waits, in)
	if f.failWaits > 0 {
		f.failWaits--
		f.mu.Unlock()
		return activities.InventoryWaitResult{}, temporal.NewNonRetryableApplicationError("Heartland down", "test", nil)
	}
	f.mu.Unlock()
	res, err := f.poll(ctx, in.Changes)
	f.mu.Lock()
	if len(f.waitWrote) > 0 {
		res.Movements, res.Touched, res.Written, res.WrittenItemIDs = len(f.waitWrote), len(f.waitWrote), len(f.waitWrote), slices.Clone(f.waitWrote)
	}
	f.mu.Unlock()
	return activities.InventoryWaitResult{InventoryChangesResult: res, Rounds: 30}, err
}

// fullPasses returns the first chunk of every full sync.
func (f *fakeInventory) fullPasses() []activities.InventoryPassInput {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []activities.InventoryPassInput
	for _, p := range f.passes {
		if p.Cursor == 0 && p.Reason == "hrbc full sync" {
			out = append(out, p)
		}
	}
	return out
}

func (f *fakeInventory) changeCalls() []activities.InventoryChangesInput {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.changes)
}

func newInventoryEnv(t *testing.T, fake *fakeInventory) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	env := newTestEnv(quietSuite())
	env.RegisterWorkflow(InventorySync)
	env.RegisterActivity(&activities.Inventory{})
	env.OnActivity(inventoryActivities.SyncInventoryChunk, mock.Anything, mock.Anything).Return(fake.chunk)
	env.OnActivity(inventoryActivities.FinishInventoryPass, mock.Anything, mock.Anything).Return(fake.finish)
	env.OnActivity(inventoryActivities.SyncInventoryChanges, mock.Anything, mock.Anything).Return(fake.poll)
	env.OnActivity(inventoryActivities.WaitInventoryChanges, mock.Anything, mock.Anything).After(time.Minute).Return(fake.wait)
	env.OnActivity(inventoryActivities.SyncInventoryItems, mock.Anything, mock.Anything).Return(fake.itemsRound)
	return env
}

func inventorySettings(locations ...int64) Settings {
	s := DefaultSettings()
	s.InventorySync = true
	if len(locations) > 0 {
		s.AllLocations, s.LocationIDs = false, locations
	}
	return s
}

func queryProgress(t *testing.T, env *testsuite.TestWorkflowEnvironment) InventoryProgress {
	t.Helper()
	v, err := env.QueryWorkflow(InventoryProgressQuery)
	if err != nil {
		t.Fatal(err)
	}
	var p InventoryProgress
	if err := v.Get(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

func turnOff(env *testsuite.TestWorkflowEnvironment, after time.Duration) {
	env.RegisterDelayedCallback(func() {
		s := inventorySettings()
		s.InventorySync = false
		env.SignalWorkflow(InventorySettingsSignal, s)
	}, after)
}

// The timer path (a timer and a round every poll interval) of runs begun
// before the long poll.
func TestInventoryFullSyncThenIncrementalThenOff(t *testing.T) {
	fake := &fakeInventory{items: 25}
	env := newInventoryEnv(t, fake)
	env.OnGetVersion(inventoryLongPollChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	start := env.Now()
	var mid InventoryProgress
	env.RegisterDelayedCallback(func() { mid = queryProgress(t, env) }, time.Minute)
	turnOff(env, 2*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{
		ConnectionID: "shop", Settings: inventorySettings(), Options: InventoryOptions{ChunkItems: 10},
	})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("completed=%v err=%v", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	fs := mid.FullSync
	if mid.FullSyncs != 1 || fs.Running || fs.Total != 25 || fs.Read != 25 || fs.Written != 3 || fs.Unmatched != 3 || fs.BigCommerceOnly != 1 {
		t.Fatalf("progress after full sync = %+v", mid)
	}
	if mid.Stage != StageIncremental || mid.Polls < 20 {
		t.Errorf("stage %s with %d polls, want incremental and a poll every 2s", mid.Stage, mid.Polls)
	}
	if want := start.Add(-inventoryWatermarkOverlap); mid.Watermark.Before(want) {
		t.Errorf("watermark %v before %v", mid.Watermark, want)
	}
	if len(fake.passes) != 3 || fake.passes[1].Cursor != 10 || fake.passes[2].Cursor != 20 {
		t.Errorf("chunks = %+v, want cursors 0, 10, 20", fake.passes)
	}
	// Every round continues from the previous round's watermark.
	calls := fake.changeCalls()
	for i := 1; i < len(calls); i++ {
		if !calls[i].Since.Equal(calls[i-1].Since.Add(time.Second)) {
			t.Fatalf("round %d read from %v after %v", i, calls[i].Since, calls[i-1].Since)
		}
	}
	final := queryProgress(t, env)
	if final.Stage != StageStopped {
		t.Errorf("final stage = %s", final.Stage)
	}
	u, err := env.QueryWorkflow(InventoryUnmatchedQuery)
	if err != nil {
		t.Fatal(err)
	}
	var report InventoryUnmatched
	if err := u.Get(&report); err != nil {
		t.Fatal(err)
	}
	if report.HeartlandOnlyCount != 3 || report.BigCommerceOnlyCount != 1 || !slices.Equal(report.BigCommerceOnly, []string{"BC-ONLY"}) {
		t.Errorf("unmatched = %+v", report)
	}
}

func TestInventoryChangedSignalRecomputesAtOnce(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	var signalledAt time.Time
	env.RegisterDelayedCallback(func() {
		signalledAt = env.Now()
		env.SignalWorkflow(InventoryChangedSignal, InventoryChanged{ItemIDs: []int64{7, 8}})
		env.SignalWorkflow(InventoryChangedSignal, InventoryChanged{ItemIDs: []int64{8, 9}})
	}, 10*time.Minute)
	turnOff(env, 20*time.Minute)
	// Polling is slow here, so only the signal can explain a prompt round.
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{
		ConnectionID: "shop", Settings: inventorySettings(), Options: InventoryOptions{PollInterval: time.Hour},
	})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var named []int64
	rounds := 0
	for _, c := range fake.changeCalls() {
		if len(c.ItemIDs) > 0 {
			rounds++
			named = append(named, c.ItemIDs...)
		}
	}
	if rounds > 2 || !slices.Equal(named, []int64{7, 8, 8, 9}) && !slices.Equal(named, []int64{7, 8, 9}) {
		t.Fatalf("%d rounds recomputed %v, want 7, 8, 9 in at most two rounds", rounds, named)
	}
	p := queryProgress(t, env)
	if p.IncrementalWrites < 3 || p.LastWriteAt.Sub(signalledAt) > time.Second {
		t.Errorf("writes %d at %v, signalled at %v", p.IncrementalWrites, p.LastWriteAt, signalledAt)
	}
}

// A round that stops inside a backlog is followed at once by the next,
// which resumes after the movements already handled.
func TestInventoryBacklogIsReadWithoutWaiting(t *testing.T) {
	fake := &fakeInventory{items: 3, backlog: 3}
	env := newInventoryEnv(t, fake)
	turnOff(env, 8*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{
		ConnectionID: "shop", Settings: inventorySettings(), Options: InventoryOptions{PollInterval: 5 * time.Minute},
	})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var after []int64
	for _, c := range fake.changeCalls() {
		if !c.Since.IsZero() {
			after = append(after, c.AfterID)
		}
	}
	// The first poll (5 minutes after the full sync) meets the backlog:
	// three rounds stop inside it and a fourth finishes it, all before the
	// poll interval could have passed once more.
	if len(after) < 4 || !slices.Equal(after[:4], []int64{0, 100, 200, 300}) {
		t.Fatalf("rounds resumed after %v, want 0, 100, 200, 300", after)
	}
}

func TestInventoryLocationChangeResyncs(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	env.RegisterDelayedCallback(func() {
		// Same locations in another order: no resync.
		env.SignalWorkflow(InventorySettingsSignal, inventorySettings(2, 1))
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(InventorySettingsSignal, inventorySettings(1, 3))
	}, 2*time.Minute)
	turnOff(env, 3*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings(1, 2)})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	full := fake.fullPasses()
	if len(full) != 2 {
		t.Fatalf("%d full syncs, want 2", len(full))
	}
	if got := full[1].Scope.LocationIDs; !slices.Equal(got, []int64{1, 3}) || full[1].Scope.AllLocations {
		t.Errorf("resync scope = %+v, want locations 1, 3", full[1].Scope)
	}
	if p := queryProgress(t, env); p.FullSyncs != 2 {
		t.Errorf("full syncs = %d", p.FullSyncs)
	}
}

func TestInventoryLocationChangeInterruptsRunningFullSync(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newTestEnv(quietSuite())
	env.RegisterWorkflow(InventorySync)
	env.RegisterActivity(&activities.Inventory{})
	// The first chunk hangs for an hour; the second pass completes.
	env.OnActivity(inventoryActivities.SyncInventoryChunk, mock.Anything, mock.Anything).After(time.Hour).Return(fake.chunk).Once()
	env.OnActivity(inventoryActivities.SyncInventoryChunk, mock.Anything, mock.Anything).Return(fake.chunk)
	env.OnActivity(inventoryActivities.FinishInventoryPass, mock.Anything, mock.Anything).Return(fake.finish)
	env.OnActivity(inventoryActivities.SyncInventoryChanges, mock.Anything, mock.Anything).Return(fake.poll)
	env.RegisterDelayedCallback(func() {
		if p := queryProgress(t, env); !p.FullSync.Running || p.Stage != StageFullSync {
			t.Errorf("progress during full sync = %+v", p)
		}
		env.SignalWorkflow(InventorySettingsSignal, inventorySettings(4))
	}, time.Minute)
	turnOff(env, 5*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings(1)})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	p := queryProgress(t, env)
	if p.FullSyncs != 1 || p.FullSync.FinishedAt.Sub(env.Now()) > 0 {
		t.Fatalf("progress = %+v", p)
	}
	full := fake.fullPasses()
	// The hanging chunk was cancelled before it recorded anything; the
	// one that completed is the second pass, for location 4.
	if len(full) != 1 || !slices.Equal(full[0].Scope.LocationIDs, []int64{4}) || !strings.HasSuffix(full[0].PassID, "/2") {
		t.Errorf("completed full syncs = %+v, want pass 2 for location 4", full)
	}
}

func TestInventoryOffEndsAtOnce(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	s := inventorySettings()
	s.InventorySync = false
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: s})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("completed=%v err=%v", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	if len(fake.passes) != 0 {
		t.Errorf("a stopped sync ran %d chunks", len(fake.passes))
	}
}

func TestInventoryContinueAsNewKeepsState(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(InventoryChangedSignal, InventoryChanged{ItemIDs: []int64{42}})
	}, 30*time.Second)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{
		ConnectionID: "shop", Settings: inventorySettings(), Options: InventoryOptions{RunRounds: 20, SafetyBuffer: 2},
	})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("err = %v, want continue-as-new", err)
	}
	var next InventorySyncInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	st := next.State
	if st == nil || st.Progress.Generation != 1 || st.Progress.FullSyncs != 1 || st.Progress.FullSyncPending ||
		st.Progress.Watermark.IsZero() || st.Progress.Polls == 0 || next.Options.SafetyBuffer != 2 {
		t.Fatalf("carried input = %+v state %+v", next, st)
	}

	// The next run starts incremental from the carried watermark.
	fake2 := &fakeInventory{items: 3}
	env2 := newInventoryEnv(t, fake2)
	turnOff(env2, 3*time.Minute)
	next.Options.RunRounds = 0
	env2.ExecuteWorkflow(InventorySync, next)
	if err := env2.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(fake2.passes) != 0 {
		t.Errorf("the continued run ran a full sync again")
	}
	calls := fake2.changeCalls()
	if len(calls) == 0 || !calls[0].Since.Equal(st.Progress.Watermark) {
		t.Fatalf("first round of the new run = %+v, want since %v", calls, st.Progress.Watermark)
	}
	p := queryProgress(t, env2)
	if p.Generation != 1 || p.FullSyncs != 1 || p.Polls <= st.Progress.Polls || p.SafetyBuffer != 2 {
		t.Errorf("progress of the new run = %+v", p)
	}
}

func TestInventoryReconciliationCountsCorrections(t *testing.T) {
	fake := &fakeInventory{items: 30, corrections: 2}
	env := newInventoryEnv(t, fake)
	turnOff(env, 35*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{
		ConnectionID: "shop", Settings: inventorySettings(), Options: InventoryOptions{ReconcileInterval: 10 * time.Minute},
	})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	p := queryProgress(t, env)
	if p.Reconciles != 3 || p.LastCorrections != 2 || p.TotalCorrections != 6 || p.Reconcile.Read != 30 {
		t.Fatalf("progress = %+v, want 3 reconciliations of 2 corrections", p)
	}
}

func TestInventoryFailedFullSyncNeedsAttentionAndRetries(t *testing.T) {
	fake := &fakeInventory{items: 3, failChunk: temporal.NewNonRetryableApplicationError("write 3 inventory levels: 422 Item is tracked by product", activities.ErrTypeBigCommerceRejected, nil)}
	env := newInventoryEnv(t, fake)
	env.RegisterDelayedCallback(func() {
		p := queryProgress(t, env)
		if p.Attention == "" || !p.FullSyncPending || p.FullSyncs != 0 {
			t.Errorf("progress after rejection = %+v", p)
		}
		fake.mu.Lock()
		fake.failChunk = nil
		fake.mu.Unlock()
	}, 30*time.Second)
	turnOff(env, 3*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	env2 := queryProgress(t, env)
	if env2.FullSyncs != 1 || env2.LastError != "" {
		t.Errorf("progress after retry = %+v", env2)
	}
}

// quietSuite is a test suite whose SDK logger discards (rounds every 2 s
// would flood the test output).
func quietSuite() *testsuite.WorkflowTestSuite {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	return &suite
}

func TestInventoryContinuesAsNewWhenSuggestedWithPendingSignals(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	env.RegisterDelayedCallback(func() {
		env.SetContinueAsNewSuggested(true)
		env.SignalWorkflow(InventoryChangedSignal, InventoryChanged{ItemIDs: []int64{42}})
		env.SignalWorkflow(InventoryFullSyncSignal, InventoryFullSyncRequest{Reason: "test"})
	}, time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("err = %v, want continue-as-new", err)
	}
	var next InventorySyncInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	st := next.State
	// Nothing signalled is lost across the hand-over: the item is written
	// alongside the long poll before it, or carried over to be.
	if st == nil || !st.Progress.FullSyncPending || st.Progress.FullSyncs != 1 {
		t.Fatalf("carried state = %+v", st)
	}
	rounds := fake.itemsRounds()
	written := len(rounds) == 1 && slices.Equal(rounds[0].ItemIDs, []int64{42})
	carried := st.Dirty && slices.Equal(st.PendingItemIDs, []int64{42})
	if written == carried {
		t.Fatalf("item 42: written alongside %v (rounds %+v), carried %v (state %+v); want one of them", written, rounds, carried, st)
	}
}

func TestInventoryRejectedLevelsNeedAttention(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newTestEnv(quietSuite())
	env.RegisterWorkflow(InventorySync)
	env.RegisterActivity(&activities.Inventory{})
	env.OnActivity(inventoryActivities.SyncInventoryChunk, mock.Anything, mock.Anything).Return(fake.chunk)
	env.OnActivity(inventoryActivities.FinishInventoryPass, mock.Anything, mock.Anything).Return(fake.finish)
	env.OnActivity(inventoryActivities.SyncInventoryChanges, mock.Anything, mock.Anything).Return(
		activities.InventoryChangesResult{Since: time.Unix(1, 0), Touched: 1, Rejected: []string{"MUG: tracked by variant"}}, nil).Once()
	env.OnActivity(inventoryActivities.SyncInventoryChanges, mock.Anything, mock.Anything).Return(fake.poll)
	var p InventoryProgress
	env.RegisterDelayedCallback(func() { p = queryProgress(t, env) }, time.Minute)
	turnOff(env, 2*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if p.RejectedCount != 1 || !strings.Contains(p.Attention, "MUG: tracked by variant") {
		t.Errorf("progress = %+v", p)
	}
}
