package workflows

import (
	"maps"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// orderBefore makes the test's run one begun before change: before the
// baselines too, which would otherwise stand for it.
func orderBefore(env *testsuite.TestWorkflowEnvironment, change string) {
	env.OnGetVersion(orderQuietChange, workflow.DefaultVersion, orderQuietLatest).Return(workflow.DefaultVersion)
	env.OnGetVersion(orderBaselineChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	env.OnGetVersion(change, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
}

// A run under the baseline does not ask for the changes it stands for:
// were they asked, each would say "before" here, and the import would be
// the legacy one of six activities.
func TestOrderBaselineStandsForEveryChange(t *testing.T) {
	// The baseline, in a run before orderQuietChange; and orderQuietChange,
	// which stands for the baseline in turn.
	t.Run("baseline", func(t *testing.T) { testOrderBaselineStandsForEveryChange(t, orderQuietChange) })
	t.Run("quiet", func(t *testing.T) { testOrderBaselineStandsForEveryChange(t, orderBaselineChange) })
}

func testOrderBaselineStandsForEveryChange(t *testing.T, before string) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	latest := workflow.Version(1)
	if before == orderQuietChange {
		latest = orderQuietLatest
	}
	env.OnGetVersion(before, workflow.DefaultVersion, latest).Return(workflow.DefaultVersion)
	for _, change := range []string{leanImportChange, moneyChange, heartlandScreensChange, orderRescueChange, captureChange,
		orderReadMemoChange, orderReadCoversChangesChange, commandSignalsChange, orderTellsInventoryChange} {
		env.OnGetVersion(change, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	}
	calls := activityCounter(env)
	var imported map[string]int
	env.RegisterDelayedCallback(func() {
		imported = maps.Clone(calls)
		env.CancelWorkflow()
	}, time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if want := map[string]int{"ReadOrder": 1, "ImportSalesOrder": 1}; !maps.Equal(imported, want) {
		t.Errorf("activities of an import under the baseline = %v, want %v", imported, want)
	}
	// The order told the inventory sync of the stock it committed: the
	// lazily asked change is taken too.
	if len(w.inventoryTold) != 1 {
		t.Errorf("inventory sync told %d times, want once", len(w.inventoryTold))
	}

	var o order
	o.takeEveryChange()
	if !o.lean || !o.money || !o.screens || !o.rescue || !o.capture || !o.readMemo || !o.readCovers ||
		o.commandSignals == nil || !*o.commandSignals || o.tellsInventory == nil || !*o.tellsInventory {
		t.Errorf("takeEveryChange left a change off: %+v", o)
	}
}
