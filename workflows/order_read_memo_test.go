package workflows

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// upsertsOf records what the workflow writes to its memo under key.
func upsertsOf[T any](env *testsuite.TestWorkflowEnvironment, key string) *[]T {
	var memos []T
	env.OnUpsertMemo(mock.Anything).Run(func(args mock.Arguments) {
		if v, ok := args.Get(0).(map[string]any)[key].(T); ok {
			memos = append(memos, v)
		}
	}).Return(nil)
	return &memos
}

// memosOf records what the workflow writes under OrderReadMemo.
func memosOf(env *testsuite.TestWorkflowEnvironment) *[]OrderChange {
	return upsertsOf[OrderChange](env, OrderReadMemo)
}

// The order keeps in its memo what it last read of the BigCommerce order,
// and writes it again only when a read finds something else: the sweep
// leaves out the orders whose memo shows the change it lists.
func TestOrderKeepsItsLastReadInItsMemo(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	memos := memosOf(env)
	imported := OrderChange{DateModified: "2026-11-27T10:00:00Z", StatusID: bcAwaitingFulfilment}
	edited := OrderChange{DateModified: "2026-11-27T10:05:00Z", StatusID: bcAwaitingFulfilment}
	check := func(after string, want ...OrderChange) {
		t.Helper()
		if !slices.Equal(*memos, want) {
			t.Errorf("memos after %s: %+v, want %+v", after, *memos, want)
		}
	}
	env.RegisterDelayedCallback(func() {
		check("the import", imported)
		env.SignalWorkflow(OrderBigCommerceChangedSignal, imported) // the sweep, nothing new
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		check("a change it knew", imported)
		w.snap.DateModified = edited.DateModified // staff edit the order in BigCommerce
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		check("a webhook for the edit", imported, edited)
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil) // a webhook delivered twice
	}, 3*time.Minute)
	env.RegisterDelayedCallback(func() {
		if w.statusReads != 2 {
			t.Errorf("%d status reads, want 2 (one per webhook)", w.statusReads)
		}
		check("a read that found the same", imported, edited)
		env.CancelWorkflow()
	}, 4*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
}

// A run begun before the memo keeps its command sequence: it writes none.
func TestOrderBeforeTheMemoWritesNone(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	orderBefore(env, orderReadMemoChange)
	memos := memosOf(env)
	env.RegisterDelayedCallback(func() {
		w.snap.DateModified = "2026-11-27T10:05:00Z"
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, time.Minute)
	env.RegisterDelayedCallback(env.CancelWorkflow, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if w.reads != 1 || w.statusReads != 1 {
		t.Fatalf("%d reads and %d status reads, want 1 and 1", w.reads, w.statusReads)
	}
	if len(*memos) != 0 {
		t.Errorf("a run before the memo wrote %+v", *memos)
	}
}

// A run continued from another (or from one before the memo) writes at
// its start what the order had read, before it reads anything itself.
func TestOrderContinuedWritesWhatItHadRead(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	memos := memosOf(env)
	had := OrderChange{DateModified: "2026-11-27T09:00:00Z", StatusID: bcShipped}
	env.RegisterDelayedCallback(env.CancelWorkflow, time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings(), Resume: &OrderState{
		ConnectionID: "shop", OrderID: 100, Stage: OrderStageClosed, HeartlandOrderID: 900,
		BigCommerceStatus: had.StatusID, DateModified: had.DateModified,
	}})
	if len(*memos) == 0 || (*memos)[0] != had {
		t.Errorf("memos of a continued run %+v, want %+v first", *memos, had)
	}
}

// stampsOf records what the workflow writes under OrderHeartlandMemo.
func stampsOf(env *testsuite.TestWorkflowEnvironment) *[]OrderHeartlandRead {
	return upsertsOf[OrderHeartlandRead](env, OrderHeartlandMemo)
}

// The import asks for its Heartland order's stamp and the order keeps it
// in its memo, once: the Heartland sweep does not tell it of its import.
func TestOrderKeepsItsImportsStampInItsMemo(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	stamps := stampsOf(env)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(OrderHeartlandChangedSignal, HeartlandChange{Status: "open"}) // told all the same: a memo late in visibility
	}, time.Minute)
	env.RegisterDelayedCallback(env.CancelWorkflow, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	want := []OrderHeartlandRead{{HeartlandOrderID: 900, UpdatedAt: "2026-11-27T10:00:02Z", Status: "open"}}
	if !w.importStamped || !slices.Equal(*stamps, want) {
		t.Errorf("import stamped %t, memos %+v, want %+v", w.importStamped, *stamps, want)
	}
}

// A run under the first version of orderQuietChange asks for no stamp and
// writes none: its command sequence stays as it ran.
func TestOrderBeforeStampsKeepsNone(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	env.OnGetVersion(orderQuietChange, workflow.DefaultVersion, orderQuietLatest).Return(workflow.Version(1))
	stamps := stampsOf(env)
	st := stateAfterAMinute(t, env)
	if w.importStamped || len(*stamps) != 0 {
		t.Errorf("a run of version 1 stamped %t, wrote %+v", w.importStamped, *stamps)
	}
	if st.HeartlandOrderID != 900 || st.Stage != OrderStageAwaitingDistribution {
		t.Errorf("state %+v", st)
	}
}
