package workflows

import (
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
)

// A change told to an order while its import read is on its way: the
// sweep's (which names the state it listed) is forgotten when the read saw
// that state, anything else still makes the order look again.
func TestOrderForgetsChangesItsImportReadSaw(t *testing.T) {
	read := OrderChange{DateModified: "2026-11-27T10:00:00Z", StatusID: bcAwaitingFulfilment}
	cases := []struct {
		name        string
		told        []any
		before      bool // the run predates orderReadCoversChangesChange
		statusReads int
	}{
		{"sweep, the state read", []any{read}, false, 0},
		{"sweep twice, older and the state read", []any{OrderChange{DateModified: "2026-11-27T09:59:00Z", StatusID: bcAwaitingFulfilment}, read}, false, 0},
		{"sweep, a later state", []any{OrderChange{DateModified: "2026-11-27T10:00:01Z", StatusID: bcAwaitingFulfilment}}, false, 1},
		{"sweep, another status", []any{OrderChange{DateModified: "2026-11-27T09:00:00Z", StatusID: bcCancelled}}, false, 1},
		{"webhook", []any{nil}, false, 1},
		{"sweep covered, then a webhook", []any{read, nil}, false, 1},
		{"run before the change", []any{read}, true, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newOrderWorld(false)
			env := newOrderEnv(t, w)
			if c.before {
				orderBefore(env, orderReadCoversChangesChange)
			}
			w.duringRead = func() {
				if w.reads == 1 {
					for _, change := range c.told {
						env.SignalWorkflow(OrderBigCommerceChangedSignal, change)
					}
				}
			}
			st := runOrderFor(t, env, time.Hour)
			if w.reads != 1 || w.statusReads != c.statusReads {
				t.Errorf("%d reads and %d status reads, want 1 and %d", w.reads, w.statusReads, c.statusReads)
			}
			if st.Stage != OrderStageAwaitingDistribution || st.HeartlandOrderID != 900 {
				t.Errorf("state an hour on: %s, Heartland order %d", st.Stage, st.HeartlandOrderID)
			}
		})
	}
}

// An order waiting for a status hrbc syncs is not read again for a change
// its read saw: the wait goes on until BigCommerce says something new.
func TestOrderWaitingForStatusForgetsChangesItsReadSaw(t *testing.T) {
	w := newOrderWorld(false)
	w.snap.StatusID, w.snap.Status = 1, "Pending"
	env := newOrderEnv(t, w)
	w.duringRead = func() {
		if w.reads == 1 {
			env.SignalWorkflow(OrderBigCommerceChangedSignal, OrderChange{DateModified: w.snap.DateModified, StatusID: 1})
		}
	}
	st := runOrderFor(t, env, time.Hour)
	if w.reads != 1 || st.Stage != OrderStageWaitingStatus {
		t.Errorf("%d reads, stage %s; want 1 read, still %s", w.reads, st.Stage, OrderStageWaitingStatus)
	}
}

// runOrderFor runs order 100 for d of the test's clock and returns its
// state then.
func runOrderFor(t *testing.T, env *testsuite.TestWorkflowEnvironment, d time.Duration) OrderState {
	t.Helper()
	var st OrderState
	env.RegisterDelayedCallback(func() {
		st = queryOrder(t, env)
		env.CancelWorkflow()
	}, d)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	return st
}
