package workflows

import (
	"context"
	"maps"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
)

// activityCounter counts the activities a workflow test runs, by name,
// local ones (callRead) included.
func activityCounter(env *testsuite.TestWorkflowEnvironment) map[string]int {
	all, _ := activityCounters(env)
	return all
}

// activityCounters counts the activities a workflow test runs by name:
// all of them, and the local ones.
func activityCounters(env *testsuite.TestWorkflowEnvironment) (all, local map[string]int) {
	all, local = map[string]int{}, map[string]int{}
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		all[info.ActivityType.Name]++
	})
	env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
		all[info.ActivityType.Name]++
		local[info.ActivityType.Name]++
	})
	return all, local
}

func TestOrderLeanImportIsOneReadAndOneHeartlandActivity(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	calls := activityCounter(env)
	var imported map[string]int
	var st OrderState
	env.RegisterDelayedCallback(func() {
		imported = maps.Clone(calls)
		st = queryOrder(t, env)
		env.CancelWorkflow()
	}, time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})

	want := map[string]int{"ReadOrder": 1, "ImportSalesOrder": 1}
	if !maps.Equal(imported, want) {
		t.Errorf("activities of an import = %v, want %v", imported, want)
	}
	if st.Stage != OrderStageAwaitingDistribution || st.HeartlandOrderID != 900 || len(st.Locations) != 3 ||
		len(st.Lines) != 2 || st.Lines[1].LineID != 71 || st.Lines[1].ItemID != 501 || st.DateModified != "2026-11-27T10:00:00Z" {
		t.Errorf("state after import: %+v", st)
	}
}

// The import runs first in place, bounded so as not to hold the workflow
// task; one that would queue behind a flash sale runs as an activity with
// a long start-to-close and a heartbeat timeout. The other activities keep
// theirs.
func TestOrderImportMayWaitItsTurn(t *testing.T) {
	for _, busy := range []bool{false, true} {
		w := newOrderWorld(false)
		if busy {
			w.importBusy = 1
		}
		env := newOrderEnv(t, w)
		type timeouts struct{ startToClose, heartbeat time.Duration }
		got, gotLocal := map[string]timeouts{}, map[string]timeouts{}
		env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
			got[info.ActivityType.Name] = timeouts{info.Deadline.Sub(info.StartedTime).Round(time.Second), info.HeartbeatTimeout}
		})
		env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
			gotLocal[info.ActivityType.Name] = timeouts{info.Deadline.Sub(info.StartedTime).Round(time.Second), info.HeartbeatTimeout}
		})
		var st OrderState
		env.RegisterDelayedCallback(func() {
			st = queryOrder(t, env)
			env.CancelWorkflow()
		}, time.Minute)
		env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
		if g := gotLocal["ImportSalesOrder"]; g.startToClose != localImportTimeout || g.heartbeat != 0 {
			t.Errorf("busy=%t: ImportSalesOrder in place timeouts %+v, want %s and none", busy, g, localImportTimeout)
		}
		if g, ran := got["ImportSalesOrder"]; ran != busy || (busy && (g.startToClose != importTimeout || g.heartbeat != importHeartbeatTimeout)) {
			t.Errorf("busy=%t: ImportSalesOrder as an activity: ran %t, timeouts %+v, want %v and %v", busy, ran, g, importTimeout, importHeartbeatTimeout)
		}
		if st.Stage != OrderStageAwaitingDistribution || st.HeartlandOrderID != 900 {
			t.Errorf("busy=%t: stage %s, Heartland order %d; want imported", busy, st.Stage, st.HeartlandOrderID)
		}
		// The read runs locally first (callRead), bounded so as not to hold
		// the workflow task.
		if g := gotLocal["ReadOrder"]; g.startToClose != localReadTimeout || g.heartbeat != 0 {
			t.Errorf("ReadOrder timeouts %+v, want %s and none", g, localReadTimeout)
		}
	}
}

func TestOrderChangeSignalsAlreadyReadAreIgnored(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	type step struct {
		name              string
		change            any
		reads, statusRead int
	}
	steps := []step{
		// The sweep lists the order as the import read it: nothing to do.
		{"sweep, same state", OrderChange{DateModified: "2026-11-27T10:00:00Z", StatusID: bcAwaitingFulfilment}, 1, 0},
		{"sweep, older state", OrderChange{DateModified: "2026-11-27T09:59:59Z", StatusID: bcAwaitingFulfilment}, 1, 0},
		// A webhook says nothing of the order: its status is read, not its lines.
		{"webhook", nil, 1, 1},
		{"sweep, newer", OrderChange{DateModified: "2026-11-27T10:00:01Z", StatusID: bcAwaitingFulfilment}, 1, 2},
		{"sweep, other status", OrderChange{DateModified: "2026-11-27T09:00:00Z", StatusID: bcCancelled}, 1, 3},
		{"garbage", "not a change", 1, 4},
	}
	for i, s := range steps {
		env.RegisterDelayedCallback(func() {
			if i > 0 {
				prev := steps[i-1]
				if w.reads != prev.reads || w.statusReads != prev.statusRead {
					t.Errorf("after %s: %d reads, %d status reads, want %d and %d", prev.name, w.reads, w.statusReads, prev.reads, prev.statusRead)
				}
			}
			env.SignalWorkflow(OrderBigCommerceChangedSignal, s.change)
		}, time.Duration(i+1)*time.Minute)
	}
	env.RegisterDelayedCallback(func() {
		last := steps[len(steps)-1]
		if w.reads != last.reads || w.statusReads != last.statusRead {
			t.Errorf("after %s: %d reads, %d status reads, want %d and %d", last.name, w.reads, w.statusReads, last.reads, last.statusRead)
		}
		if st := queryOrder(t, env); st.Stage != OrderStageAwaitingDistribution {
			t.Errorf("stage %s, want awaiting_distribution", st.Stage)
		}
		env.CancelWorkflow()
	}, time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
}

func TestOrderLegacyRunKeepsItsCommandSequence(t *testing.T) {
	w := newOrderWorld(true)
	env := newOrderEnv(t, w)
	calls := activityCounter(env)
	var imported map[string]int
	env.RegisterDelayedCallback(func() {
		imported = maps.Clone(calls)
		// A run begun before the change re-reads the whole order on any signal.
		env.SignalWorkflow(OrderBigCommerceChangedSignal, OrderChange{DateModified: "2026-11-27T10:00:00Z", StatusID: bcAwaitingFulfilment})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		if w.reads != 2 || w.statusReads != 0 {
			t.Errorf("legacy run after a signal: %d reads, %d status reads, want 2 and 0", w.reads, w.statusReads)
		}
		env.CancelWorkflow()
	}, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	want := map[string]int{"FindSalesOrder": 1, "ReadOrder": 1, "ResolveOrderItems": 1, "ListShipFromLocations": 1, "EnsureCustomer": 1, "EnsureSalesOrder": 1}
	if !maps.Equal(imported, want) {
		t.Errorf("activities of a legacy import = %v, want %v", imported, want)
	}
}
