package workflows

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"
)

// memosOf records what the workflow writes under OrderReadMemo.
func memosOf(env *testsuite.TestWorkflowEnvironment) *[]OrderChange {
	var memos []OrderChange
	env.OnUpsertMemo(mock.Anything).Run(func(args mock.Arguments) {
		if c, ok := args.Get(0).(map[string]any)[OrderReadMemo].(OrderChange); ok {
			memos = append(memos, c)
		}
	}).Return(nil)
	return &memos
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
