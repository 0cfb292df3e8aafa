package workflows

import (
	"slices"
	"testing"
	"time"
)

// Between rounds the sync waits inside WaitInventoryChanges, not on a
// timer; a changed signal cuts the long poll short and its round runs at once.
func TestInventoryLongPollWaitsInOneActivityAndSignalsCutIt(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
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
			w.MaxWait > DefaultInventoryReconcileInterval || w.Changes.Since.IsZero() || len(w.Changes.ItemIDs) > 0 {
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
