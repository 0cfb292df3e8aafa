package workflows

import (
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/workflow"
)

// Between rounds the sync waits inside WaitInventoryChanges, not on a
// timer; in a run begun before inventoryTellAlongsideChange a changed
// signal cuts the long poll short and its round runs at once.
func TestInventoryLongPollWaitsInOneActivityAndSignalsCutIt(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	env.OnGetVersion(inventoryTellAlongsideChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	var signalledAt time.Time
	env.RegisterDelayedCallback(func() {
		signalledAt = env.Now()
		env.SignalWorkflow(InventoryChangedSignal, InventoryChanged{ItemIDs: []int64{7}})
	}, 10*time.Minute+30*time.Second)
	turnOff(env, 20*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	waits := slices.Clone(fake.waits)
	fake.mu.Unlock()
	if len(waits) < 10 {
		t.Fatalf("%d long polls in 20 minutes of one-minute polls, want one after another", len(waits))
	}
	for _, w := range waits {
		if w.Interval != DefaultInventoryPollInterval || w.MaxWait <= 0 || w.MaxWait > longPollIdle ||
			w.Changes.Since.IsZero() || len(w.Changes.ItemIDs) > 0 {
			t.Fatalf("long poll input %+v", w)
		}
	}
	var named [][]int64
	for _, c := range fake.changeCalls() {
		if len(c.ItemIDs) > 0 {
			named = append(named, c.ItemIDs)
		}
	}
	if len(named) != 1 || !slices.Equal(named[0], []int64{7}) {
		t.Fatalf("rounds naming items = %v, want one naming 7", named)
	}
	p := queryProgress(t, env)
	if p.IncrementalWrites != 1 || p.LastWriteAt.Sub(signalledAt) > time.Second {
		t.Errorf("writes %d at %v, signalled at %v", p.IncrementalWrites, p.LastWriteAt, signalledAt)
	}
	if p.Polls < 30*len(waits)/2 {
		t.Errorf("polls %d: the long polls' rounds are not counted", p.Polls)
	}
}

// A reconciliation that corrected nothing on a quiet store doubles the
// wait before the next, up to quietReconcileMax; a signal brings it back
// to ReconcileInterval.
func TestInventoryQuietStoreReconcilesLessOften(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	var quiet, woken InventoryProgress
	env.RegisterDelayedCallback(func() {
		quiet = queryProgress(t, env)
		env.SignalWorkflow(InventoryChangedSignal, InventoryChanged{ItemIDs: []int64{7}})
	}, 4*time.Hour)
	env.RegisterDelayedCallback(func() { woken = queryProgress(t, env) }, 4*time.Hour+20*time.Minute)
	turnOff(env, 5*time.Hour)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	// 15 min after the full sync, then 30 min, 1 h, 2 h later: four by 4 h.
	if quiet.Reconciles != 4 {
		t.Errorf("%d reconciliations in 4 quiet hours, want 4 (15 min, then doubling)", quiet.Reconciles)
	}
	if woken.Reconciles != 5 {
		t.Errorf("%d reconciliations 20 min after the signal, want one more", woken.Reconciles)
	}
}

// Runs begun before the quiet reconciliation reconcile every interval.
func TestInventoryQuietReconcileOldPath(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	env.OnGetVersion(inventoryQuietReconcileChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	turnOff(env, 2*time.Hour+time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if p := queryProgress(t, env); p.Reconciles < 7 {
		t.Errorf("%d reconciliations in 2 h, want one every 15 min", p.Reconciles)
	}
}
