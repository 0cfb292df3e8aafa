package workflows

import (
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// setBlast changes what the fake's dry runs report.
func (f *fakeInventory) setBlast(b *activities.InventoryBlast) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.blast = b
}

func (f *fakeInventory) counts() (passes, previews int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.passes), len(f.previews)
}

// emptying is a pass that would set half the store's in-stock SKUs to 0.
var emptying = &activities.InventoryBlast{StoreInStock: 10, StoreQuantity: 100, Zeroed: 5, Lowered: 5, Removed: 60,
	Top: []activities.SKUChange{{SKU: "MUG", From: 20, To: 0}}}

func TestInventoryFirstSyncThatZeroesWaitsForConfirm(t *testing.T) {
	// One SKU of ten to 0 and 5 % of the stock: within the limits, but a
	// first sync that zeroes anything waits for a person.
	fake := &fakeInventory{items: 5, blast: &activities.InventoryBlast{StoreInStock: 10, StoreQuantity: 100, Zeroed: 1, Lowered: 1, Removed: 5}}
	env := newInventoryEnv(t, fake)
	var held InventoryProgress
	var writesWhileHeld int
	env.RegisterDelayedCallback(func() {
		held = queryProgress(t, env)
		writesWhileHeld, _ = fake.counts()
		env.SignalWorkflow(InventoryFullSyncSignal, InventoryFullSyncRequest{Reason: "test", Confirm: true})
	}, time.Hour)
	turnOff(env, time.Hour+time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if writesWhileHeld != 0 {
		t.Errorf("%d write chunks ran while the first sync was held", writesWhileHeld)
	}
	if held.Stage != StageInventoryAttention || held.Hold == nil || held.Holds != 1 || held.FullSyncs != 0 ||
		!strings.Contains(held.Attention, "--confirm") || !strings.Contains(held.Attention, "first full sync would set 1 of 10") {
		t.Fatalf("held progress = %+v (hold %+v)", held, held.Hold)
	}
	if held.LastBlast == nil || held.LastBlast.Zeroed != 1 {
		t.Errorf("blast radius not shown: %+v", held.LastBlast)
	}
	p := queryProgress(t, env)
	if p.FullSyncs != 1 || p.Hold != nil || len(fake.fullPasses()) != 1 {
		t.Errorf("after --confirm: %d full syncs, hold %+v, write passes %d", p.FullSyncs, p.Hold, len(fake.fullPasses()))
	}
}

func TestInventoryFirstSyncThatZeroesNothingRunsAtOnce(t *testing.T) {
	fake := &fakeInventory{items: 5, blast: &activities.InventoryBlast{StoreInStock: 10, StoreQuantity: 100, Added: 40}}
	env := newInventoryEnv(t, fake)
	turnOff(env, time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	p := queryProgress(t, env)
	if p.FullSyncs != 1 || p.Holds != 0 || p.LastBlast == nil || p.LastBlast.Added != 40 {
		t.Errorf("progress = %+v", p)
	}
}

func TestInventoryReconciliationBeyondLimitsIsHeldAndIncrementalGoesOn(t *testing.T) {
	fake := &fakeInventory{items: 5}
	env := newInventoryEnv(t, fake)
	// After the first sync, Heartland loses half the store's stock.
	env.RegisterDelayedCallback(func() { fake.setBlast(emptying) }, time.Minute)
	var held InventoryProgress
	var writes, pollsHeld int
	env.RegisterDelayedCallback(func() {
		held = queryProgress(t, env)
		writes, _ = fake.counts()
		pollsHeld = len(fake.changeCalls())
	}, 20*time.Minute)
	var again InventoryProgress
	env.RegisterDelayedCallback(func() {
		// A settings change releases the hold; the pass is worked out
		// again and, as nothing changed, held again.
		env.SignalWorkflow(InventorySettingsSignal, inventorySettings(7))
	}, 25*time.Minute)
	env.RegisterDelayedCallback(func() { again = queryProgress(t, env) }, 26*time.Minute)
	turnOff(env, 30*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings(),
		Options: InventoryOptions{ReconcileInterval: 10 * time.Minute}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if held.Hold == nil || held.Hold.Kind != "reconciliation" || held.Reconciles != 0 || held.Stage != StageInventoryAttention {
		t.Fatalf("progress at 20m = %+v", held)
	}
	if !strings.Contains(held.Attention, "5 of 10 in-stock SKUs would go to 0") || !strings.Contains(held.Attention, "-60%") {
		t.Errorf("attention = %q", held.Attention)
	}
	if writes != 1 { // the first sync's one chunk, nothing of the reconciliation
		t.Errorf("%d write chunks, want the first sync's 1", writes)
	}
	if pollsHeld < 100 {
		t.Errorf("%d incremental rounds by 20m: incremental changes must not be held back", pollsHeld)
	}
	if again.Hold == nil || again.Hold.Kind != "full sync" || again.Holds != 2 || again.FullSyncs != 1 {
		t.Errorf("after a settings change = %+v, hold %+v", again, again.Hold)
	}
	if w, _ := fake.counts(); w != 1 {
		t.Errorf("%d write chunks in all, want 1", w)
	}
}

func TestInventoryGuardLimitsAreOptions(t *testing.T) {
	// Each reconciliation corrects a SKU, so none is stretched as quiet.
	fake := &fakeInventory{items: 5, corrections: 1}
	env := newInventoryEnv(t, fake)
	env.RegisterDelayedCallback(func() { fake.setBlast(emptying) }, time.Minute)
	turnOff(env, 25*time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings(),
		Options: InventoryOptions{ReconcileInterval: 10 * time.Minute, GuardZeroPercent: 60, GuardDropPercent: 100}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if p := queryProgress(t, env); p.Holds != 0 || p.Reconciles != 2 {
		t.Errorf("with limits 60%%/off: %d holds, %d reconciliations", p.Holds, p.Reconciles)
	}
}

func TestInventoryGuardOldPathWritesAtOnce(t *testing.T) {
	fake := &fakeInventory{items: 5, blast: emptying}
	env := newInventoryEnv(t, fake)
	env.OnGetVersion(inventoryGuardChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	turnOff(env, time.Minute)
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	writes, previews := fake.counts()
	if p := queryProgress(t, env); p.FullSyncs != 1 || p.Holds != 0 || writes != 1 || previews != 0 {
		t.Errorf("old path: %d full syncs, %d holds, %d writes, %d previews", p.FullSyncs, p.Holds, writes, previews)
	}
}

func TestInventoryGuardOptionsValidate(t *testing.T) {
	if err := (InventoryOptions{GuardZeroPercent: -1}).Validate(); err == nil || !strings.Contains(err.Error(), "guard_zero_percent") {
		t.Errorf("negative limit: %v", err)
	}
}
