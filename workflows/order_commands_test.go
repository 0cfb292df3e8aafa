package workflows

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities"
)

// shipEverything completes one invoice of both lines at location loc and
// tells the order, so a distributed order runs to closed.
func shipEverything(env interface {
	SignalWorkflow(string, interface{})
}, w *orderWorld, loc int64) {
	w.invoices = []activities.InvoiceSummary{invoice(5, loc, "53.00",
		activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})}
	env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
}

func TestOrderDistributeBySignal(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	var after OrderState
	env.RegisterDelayedCallback(func() {
		// As the Temporal UI sends it: JSON with the update's field names.
		env.SignalWorkflow(OrderDistributeSignal, json.RawMessage(`{"location_id": 1, "lines": [{"line_id": 71, "location_id": 2}]}`))
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		after = queryOrder(t, env)
		shipEverything(env, w, 1)
	}, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if after.Stage != OrderStageFulfilling || after.LastRejected != nil || w.distributed[70] != 1 || w.distributed[71] != 2 {
		t.Fatalf("after the signal: stage %s, rejected %+v, distributed %v", after.Stage, after.LastRejected, w.distributed)
	}
	if w.hlStatus != "closed" || len(w.shipments) != 1 {
		t.Errorf("order did not run to closed: heartland %q, shipments %d", w.hlStatus, len(w.shipments))
	}
}

// A refused signal changes nothing and says why in the status; a good one
// afterwards still distributes.
func TestOrderDistributeSignalRefused(t *testing.T) {
	cases := []struct {
		name    string
		payload any
		reason  string
	}{
		{"unknown line", DistributeOrderRequest{Lines: []LineAssignment{{LineID: 99, LocationID: 1}}}, "has no line 99"},
		{"unknown location", DistributeOrderRequest{LocationID: 42}, "location 42 is not a Heartland location"},
		{"no location", DistributeOrderRequest{}, "name a location"},
		{"misspelt field", json.RawMessage(`{"location": 1}`), `unknown field "location"`},
		{"not an object", json.RawMessage(`"Main Street"`), "not a distribute request"},
		{"no payload", nil, "needs a payload"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newOrderWorld(false)
			env := newOrderEnv(t, w)
			var refused OrderState
			env.RegisterDelayedCallback(func() { env.SignalWorkflow(OrderDistributeSignal, tc.payload) }, time.Minute)
			env.RegisterDelayedCallback(func() {
				refused = queryOrder(t, env)
				env.SignalWorkflow(OrderDistributeSignal, DistributeOrderRequest{LocationID: 2})
			}, 2*time.Minute)
			env.RegisterDelayedCallback(func() { shipEverything(env, w, 2) }, 3*time.Minute)
			env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
			if err := env.GetWorkflowError(); err != nil {
				t.Fatal(err)
			}
			r := refused.LastRejected
			if refused.Stage != OrderStageAwaitingDistribution || r == nil || r.Command != OrderDistributeSignal || !strings.Contains(r.Reason, tc.reason) {
				t.Fatalf("after the bad signal: stage %s, rejected %+v; want awaiting_distribution and a reason containing %q", refused.Stage, r, tc.reason)
			}
			if r.At.IsZero() {
				t.Error("the refusal has no time")
			}
			for _, l := range refused.Lines {
				if l.LocationID != 0 {
					t.Errorf("a refused signal distributed line %d to %d", l.LineID, l.LocationID)
				}
			}
			if w.distributeCalls != 1 || w.distributed[70] != 2 || w.hlStatus != "closed" {
				t.Errorf("the good signal after it: %d distribute calls, distributed %v, heartland %q", w.distributeCalls, w.distributed, w.hlStatus)
			}
		})
	}
}

// A signal for an order that is no longer awaiting distribution is refused
// and leaves the distribution as it was.
func TestOrderDistributeSignalAfterDistribution(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	var st OrderState
	env.RegisterDelayedCallback(func() { update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1}) }, time.Minute)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(OrderDistributeSignal, DistributeOrderRequest{LocationID: 2}) }, 2*time.Minute)
	env.RegisterDelayedCallback(func() { st = queryOrder(t, env); shipEverything(env, w, 1) }, 3*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if st.LastRejected == nil || !strings.Contains(st.LastRejected.Reason, "not awaiting distribution") || w.distributed[70] != 1 || w.distributeCalls != 1 {
		t.Fatalf("rejected %+v, distributed %v in %d calls", st.LastRejected, w.distributed, w.distributeCalls)
	}
}

// A signal and an update sent together distribute once, whichever the
// workflow takes first; the other is refused.
func TestOrderDistributeSignalRacingUpdate(t *testing.T) {
	for _, signalFirst := range []bool{true, false} {
		name := "update first"
		if signalFirst {
			name = "signal first"
		}
		t.Run(name, func(t *testing.T) {
			w := newOrderWorld(false)
			env := newOrderEnv(t, w)
			var upd *updateResultAny
			var st OrderState
			env.RegisterDelayedCallback(func() {
				if signalFirst {
					env.SignalWorkflow(OrderDistributeSignal, DistributeOrderRequest{LocationID: 2})
					upd = update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1})
				} else {
					upd = update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1})
					env.SignalWorkflow(OrderDistributeSignal, DistributeOrderRequest{LocationID: 2})
				}
			}, time.Minute)
			env.RegisterDelayedCallback(func() { st = queryOrder(t, env); shipEverything(env, w, w.distributed[70]) }, 2*time.Minute)
			env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
			if err := env.GetWorkflowError(); err != nil {
				t.Fatal(err)
			}
			if w.distributeCalls != 1 {
				t.Fatalf("%d distribute calls, want 1 (distributed %v)", w.distributeCalls, w.distributed)
			}
			updateRefused := upd != nil && (upd.rejected != nil || upd.err != nil)
			if signalFirst != updateRefused || signalFirst == (st.LastRejected != nil) {
				t.Errorf("update refused %v (%+v), signal refused %+v", updateRefused, upd, st.LastRejected)
			}
			if want := map[bool]int64{true: 2, false: 1}[signalFirst]; w.distributed[70] != want || w.distributed[71] != want {
				t.Errorf("distributed %v, want every line at %d", w.distributed, want)
			}
		})
	}
}

func TestOrderRetryBySignal(t *testing.T) {
	w := newOrderWorld(false)
	w.missing = []string{"MUG"}
	env := newOrderEnv(t, w)
	var early, stuck OrderState
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(OrderRetrySignal, nil) }, 0)
	env.RegisterDelayedCallback(func() { early = queryOrder(t, env) }, time.Second)
	env.RegisterDelayedCallback(func() {
		stuck = queryOrder(t, env)
		w.missing = nil
		env.SignalWorkflow(OrderRetrySignal, nil)
	}, time.Hour)
	var after OrderState
	env.RegisterDelayedCallback(func() { after = queryOrder(t, env); env.CancelWorkflow() }, 2*time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if early.LastRejected == nil || early.LastRejected.Command != OrderRetrySignal || !strings.Contains(early.LastRejected.Reason, "needs no retry") {
		t.Errorf("retry signal before any attention: rejected %+v", early.LastRejected)
	}
	if stuck.Stage != OrderStageAttention || !strings.Contains(stuck.Attention, "unknown SKU: MUG") {
		t.Errorf("before the fix: stage %s attention %q", stuck.Stage, stuck.Attention)
	}
	if after.Stage != OrderStageAwaitingDistribution || after.HeartlandOrderID != 900 {
		t.Errorf("after the retry signal: stage %s, Heartland order %d", after.Stage, after.HeartlandOrderID)
	}
}

// Runs begun before command signals were handled keep ignoring them, so
// their histories replay.
func TestOrderBeforeCommandSignalsIgnoresThem(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	orderBefore(env, commandSignalsChange)
	var st OrderState
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(OrderDistributeSignal, DistributeOrderRequest{LocationID: 1}) }, time.Minute)
	env.RegisterDelayedCallback(func() { st = queryOrder(t, env); env.CancelWorkflow() }, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if st.Stage != OrderStageAwaitingDistribution || st.LastRejected != nil || w.distributeCalls != 0 {
		t.Fatalf("stage %s, rejected %+v, %d distribute calls; want the signal ignored", st.Stage, st.LastRejected, w.distributeCalls)
	}
}
