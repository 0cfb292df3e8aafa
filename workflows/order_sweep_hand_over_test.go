package workflows

import (
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// A page is handed over whole: each order gets its workflow, incomplete
// checkouts are left alone, and the watermark moves past the page. (The
// testsuite resolves a child's start only once the child has run, so the
// orders already running, told by signal, are tested end to end:
// TestEndToEndSweepHandsAPageOverInOneWorkflowTask.)
func TestOrderSweepHandsAPageOverAtOnce(t *testing.T) {
	for _, v := range []workflow.Version{workflow.DefaultVersion, 1} {
		env := newTestEnv(&testsuite.WorkflowTestSuite{})
		env.RegisterWorkflow(OrderSweep)
		timerSweeps(env)
		env.OnGetVersion(sweepHandsOverAtOnceChange, workflow.DefaultVersion, 1).Return(v)
		env.RegisterWorkflow(Order)
		env.RegisterActivity(&activities.Orders{})
		at := func(min int) string { return time.Date(2026, 11, 27, 10, min, 0, 0, time.UTC).Format(time.RFC3339) }
		pages := [][]activities.ModifiedOrder{
			{{OrderID: 1, StatusID: 11, DateModified: at(0)}, {OrderID: 4, StatusID: 0, DateModified: at(1)},
				{OrderID: 2, StatusID: 11, DateModified: at(6)}, {OrderID: 3, StatusID: 10, DateModified: at(7)}},
		}
		listPages(env, pages)
		started := recordOrderStarts(env)
		var st SweepStatus
		env.RegisterDelayedCallback(func() {
			st = queryAs[SweepStatus](t, env, SweepStatusQuery)
			turnOrderSweepOff(env)
		}, 20*time.Second)
		s := orderSettings()
		s.OrderSweepSeconds = 3600
		env.ExecuteWorkflow(OrderSweep, OrderSweepInput{ConnectionID: "shop", Settings: s})
		if err := env.GetWorkflowError(); err != nil {
			t.Fatalf("version %d: sweep: %v", v, err)
		}
		slices.Sort(*started)
		if !slices.Equal(*started, []int{1, 2, 3}) {
			t.Errorf("version %d: order workflows started for %v, want [1 2 3] (the incomplete checkout 4 left alone)", v, *started)
		}
		if st.Swept != 3 || st.Watermark != at(7) || st.Attention != "" {
			t.Errorf("version %d: sweep status %+v, want 3 orders handed over up to %s and no attention", v, st, at(7))
		}
	}
}

// turnOrderSweepOff sends the order sweep settings with order sync off,
// which ends it.
func turnOrderSweepOff(env *testsuite.TestWorkflowEnvironment) {
	off := orderSettings()
	off.OrderSync = false
	env.SignalWorkflow(SweepSettingsSignal, off)
}
