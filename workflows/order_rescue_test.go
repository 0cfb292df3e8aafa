package workflows

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// An order stuck on a connection setting is rescued by fixing the setting
// and retrying: the retry takes the connection's settings as they are now.
func TestOrderRetryTakesTheConnectionsCurrentSettings(t *testing.T) {
	w := newOrderWorld(false)
	w.badSource = 3
	fixed := orderSettings()
	fixed.SourceLocationID = 1
	w.current = &fixed
	env := newOrderEnv(t, w)
	var stuck, after OrderState
	var retry *updateResultAny
	env.RegisterDelayedCallback(func() {
		stuck = queryOrder(t, env)
		retry = update(env, OrderRetryUpdate)
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		after = queryOrder(t, env)
		env.CancelWorkflow()
	}, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})

	if stuck.Stage != OrderStageAttention || !strings.Contains(stuck.Attention, "no active station") || w.hlOrder != 900 && stuck.HeartlandOrderID != 0 {
		t.Fatalf("before the retry: %+v", stuck)
	}
	if retry == nil || retry.rejected != nil || !retry.completed {
		t.Fatalf("retry = %+v", retry)
	}
	if w.importSource != 1 || after.Stage != OrderStageAwaitingDistribution || after.HeartlandOrderID != 900 {
		t.Errorf("after the retry: imported at source %d, state %+v; want source 1, awaiting distribution", w.importSource, after)
	}
	if after.RetriesAsked != 1 || after.RetriesAnswered != 1 {
		t.Errorf("retries asked %d answered %d, want 1 and 1", after.RetriesAsked, after.RetriesAnswered)
	}
}

// Auto-distribution to a location Heartland refuses leaves the order in
// attention with the reason, and a distribute by hand still takes it.
func TestOrderFailedAutoDistributeTakesADistributeByHand(t *testing.T) {
	w := newOrderWorld(false)
	w.failDistribute = map[int64]error{42: temporal.NewNonRetryableApplicationError("heartland: location 42 not found", activities.ErrTypeHeartlandRejected, nil)}
	w.invoices = []activities.InvoiceSummary{invoice(5, 1, "53.00",
		activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})}
	env := newOrderEnv(t, w)
	s := orderSettings()
	s.AutoDistributeLocationID = 42
	var stuck OrderState
	var byHand *updateResultAny
	env.RegisterDelayedCallback(func() {
		stuck = queryOrder(t, env)
		byHand = update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1})
	}, time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if stuck.Stage != OrderStageAttention || !strings.Contains(stuck.Attention, "auto-distribute to location 42 failed") ||
		!strings.Contains(stuck.Attention, "location 42 not found") {
		t.Fatalf("after the failed auto-distribute: %+v", stuck)
	}
	if byHand == nil || byHand.rejected != nil || byHand.err != nil {
		t.Fatalf("distribute by hand = %+v", byHand)
	}
	if w.distributed[70] != 1 || w.distributed[71] != 1 || len(w.shipments) != 1 || w.hlStatus != "closed" {
		t.Errorf("distributed %v, shipments %d, heartland %s", w.distributed, len(w.shipments), w.hlStatus)
	}
}

// Fixing the auto-distribute location and retrying distributes there.
func TestOrderFailedAutoDistributeRetriedWithTheFixedSetting(t *testing.T) {
	w := newOrderWorld(false)
	w.failDistribute = map[int64]error{42: temporal.NewNonRetryableApplicationError("heartland: location 42 not found", activities.ErrTypeHeartlandRejected, nil)}
	env := newOrderEnv(t, w)
	s := orderSettings()
	s.AutoDistributeLocationID = 42
	fixed := s
	fixed.AutoDistributeLocationID = 2
	w.current = &fixed
	var after OrderState
	env.RegisterDelayedCallback(func() { update(env, OrderRetryUpdate) }, time.Minute)
	env.RegisterDelayedCallback(func() {
		after = queryOrder(t, env)
		env.CancelWorkflow()
	}, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	if w.distributed[70] != 2 || w.distributed[71] != 2 || after.Stage != OrderStageFulfilling || after.Attention != "" {
		t.Errorf("distributed %v, state %s %q; want both lines at 2, fulfilling", w.distributed, after.Stage, after.Attention)
	}
	if w.settingsReads != 1 {
		t.Errorf("settings read %d times, want once (at the retry)", w.settingsReads)
	}
}

// Heartland not answering shows on the order within seconds, and the order
// carries on by itself once Heartland answers again: no person needed.
func TestOrderShowsAnOutageAndRecoversByItself(t *testing.T) {
	w := newOrderWorld(false)
	w.importOutage = 12
	env := newOrderEnv(t, w)
	var during, after OrderState
	env.RegisterDelayedCallback(func() { during = queryOrder(t, env) }, 45*time.Second)
	env.RegisterDelayedCallback(func() {
		after = queryOrder(t, env)
		env.CancelWorkflow()
	}, time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if during.Stage != OrderStageAttention || !strings.Contains(during.Attention, "connection refused") || !strings.Contains(during.Attention, "tries again by itself") {
		t.Errorf("during the outage: %s %q", during.Stage, during.Attention)
	}
	if after.Stage != OrderStageAwaitingDistribution || after.Attention != "" || w.hlOrder != 900 {
		t.Errorf("after the outage: %s %q, heartland order %d", after.Stage, after.Attention, w.hlOrder)
	}
}

// A webhook for an order the store does not have ends the run, recorded,
// with nothing written anywhere.
func TestOrderTheStoreDoesNotHaveEnds(t *testing.T) {
	w := newOrderWorld(false)
	w.gone = true
	env := newOrderEnv(t, w)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("completed=%v err=%v", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	if st := queryOrder(t, env); st.Stage != OrderStageNotInStore || st.Attention != "" || w.hlOrder != 0 {
		t.Errorf("state %+v, heartland order %d", st, w.hlOrder)
	}
}

// A closed order keeps watching the store: late webhooks reach it (one
// row), a cancellation after shipment asks a person, and resolving it by
// hand ends the run.
func TestOrderCancelledAfterItClosedIsFlaggedAndResolved(t *testing.T) {
	w, s := closingOrderWorld()
	env := newOrderEnv(t, w)
	var closed, late, flagged, resolved OrderState
	var reads int
	var resolve *updateResultAny
	env.RegisterDelayedCallback(func() {
		closed = queryOrder(t, env)
		reads = w.statusReads
		// hrbc's own status change comes back as a webhook: nothing to do.
		w.snap.StatusID, w.snap.Status = bcShipped, "Shipped"
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, time.Hour)
	env.RegisterDelayedCallback(func() {
		late = queryOrder(t, env)
		w.snap.StatusID, w.snap.Status = bcCancelled, "Cancelled"
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, 2*time.Hour)
	env.RegisterDelayedCallback(func() {
		flagged = queryOrder(t, env)
		resolve = update(env, OrderResolveUpdate, ResolveOrderRequest{Note: "refunded at the till"})
	}, 3*time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	resolved = queryOrder(t, env)
	if closed.Stage != OrderStageClosed {
		t.Fatalf("closed: %+v", closed)
	}
	if late.Stage != OrderStageClosed || late.Attention != "" || w.statusReads != reads+2 {
		t.Errorf("after a late webhook: %s %q, status reads %d (was %d)", late.Stage, late.Attention, w.statusReads, reads)
	}
	if flagged.Stage != OrderStageAttention || !strings.Contains(flagged.Attention, "Cancelled in BigCommerce after 1 shipment(s)") {
		t.Errorf("after the cancellation: %s %q", flagged.Stage, flagged.Attention)
	}
	if resolve == nil || resolve.rejected != nil || resolve.err != nil {
		t.Fatalf("resolve = %+v", resolve)
	}
	if resolved.Stage != OrderStageResolved || resolved.Resolution == nil || resolved.Resolution.Note != "refunded at the till" ||
		!strings.Contains(resolved.Resolution.Attention, "Cancelled in BigCommerce") {
		t.Errorf("after resolve: %+v", resolved)
	}
	if w.hlStatus != "closed" {
		t.Errorf("Heartland order %q after resolve, want it left closed", w.hlStatus)
	}
}

// With nothing happening, a closed order's run ends after FinishedWatch.
func TestOrderFinishedWatchEnds(t *testing.T) {
	w, s := closingOrderWorld()
	env := newOrderEnv(t, w)
	start := env.Now()
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s, Options: OrderOptions{FinishedWatch: 72 * time.Hour}})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("completed=%v err=%v", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	if took := env.Now().Sub(start); took < 72*time.Hour || took > 73*time.Hour {
		t.Errorf("the run ended after %s, want the 72h watch", took)
	}
	if st := queryOrder(t, env); st.Stage != OrderStageClosed {
		t.Errorf("stage %s", st.Stage)
	}
}

// A line no real order has waits for a person instead of committing (and
// zeroing on the website) a whole item's stock.
func TestOrderWithImplausibleLinesWaitsForAPerson(t *testing.T) {
	for name, line := range map[string]activities.OrderLine{
		"huge quantity":  {OrderProductID: 1, SKU: "TEE-S", Name: "Tee", Quantity: 50000, UnitPrice: "12.00"},
		"negative price": {OrderProductID: 1, SKU: "TEE-S", Name: "Tee", Quantity: 1, UnitPrice: "-12.00"},
	} {
		t.Run(name, func(t *testing.T) {
			w := newOrderWorld(false)
			w.snap.Lines[0] = line
			st := stateAfterAnHour(t, w, orderSettings(), nil)
			if st.Stage != OrderStageAttention || !strings.Contains(st.Attention, "implausible order") || w.hlOrder != 0 {
				t.Errorf("state %s %q, heartland order %d", st.Stage, st.Attention, w.hlOrder)
			}
		})
	}
}

// An order in a status hrbc does not sync waits in one run for good,
// continuing as new instead of ending, since a finished order is not
// started again.
func TestOrderInUnsyncedStatusKeepsWaiting(t *testing.T) {
	w := newOrderWorld(false)
	w.snap.StatusID = 7
	env := newOrderEnv(t, w)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings(),
		Options: OrderOptions{MaxStatusWait: 48 * time.Hour}})
	var can *workflow.ContinueAsNewError
	if !errors.As(env.GetWorkflowError(), &can) {
		t.Fatalf("err = %v, want continue-as-new", env.GetWorkflowError())
	}
	if w.hlOrder != 0 {
		t.Error("an order awaiting payment reached Heartland")
	}
}

// Runs begun before orderRescueChange keep their behaviour: a failed
// auto-distribute waits for a retry with the settings the order has.
func TestOrderBeforeRescueKeepsItsSettingsOnRetry(t *testing.T) {
	w := newOrderWorld(false)
	w.failDistribute = map[int64]error{42: temporal.NewNonRetryableApplicationError("heartland: location 42 not found", activities.ErrTypeHeartlandRejected, nil)}
	env := newOrderEnv(t, w)
	orderBefore(env, orderRescueChange)
	s := orderSettings()
	s.AutoDistributeLocationID = 42
	fixed := s
	fixed.AutoDistributeLocationID = 2
	w.current = &fixed
	var distribute *updateResultAny
	var after OrderState
	env.RegisterDelayedCallback(func() {
		distribute = update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1})
		update(env, OrderRetryUpdate)
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		after = queryOrder(t, env)
		env.CancelWorkflow()
	}, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	if distribute == nil || distribute.rejected == nil {
		t.Errorf("distribute in attention before the rescue change = %+v, want refused", distribute)
	}
	if w.settingsReads != 0 || len(w.distributed) != 0 || after.Stage != OrderStageAttention {
		t.Errorf("settings reads %d, distributed %v, stage %s", w.settingsReads, w.distributed, after.Stage)
	}
}

// closingOrderWorld is an order auto-distributed to location 2 whose one
// invoice ships everything at once: it closes as soon as it runs.
func closingOrderWorld() (*orderWorld, Settings) {
	w := newOrderWorld(false)
	w.invoices = []activities.InvoiceSummary{invoice(5, 2, "53.00",
		activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})}
	s := orderSettings()
	s.AutoDistributeLocationID = 2
	return w, s
}

// A resolve is taken only while the order waits for a person: between a
// retry and its outcome the run is writing again, and a resolve then
// would race it (the run would go on importing after the person settled
// the order by hand).
func TestResolveOnlyWhileWaitingForAPerson(t *testing.T) {
	o := &order{OrderState: OrderState{OrderID: 100, Stage: OrderStageAttention, Attention: "unknown SKU: KITE"}}
	if err := o.validateResolve(ResolveOrderRequest{}); err == nil {
		t.Error("a resolve was taken while the run was not waiting for a person")
	}
	o.waitingForPerson = true
	if err := o.validateResolve(ResolveOrderRequest{}); err != nil {
		t.Errorf("a resolve of an order waiting for a person: %v", err)
	}
	o.Attention = ""
	if err := o.validateResolve(ResolveOrderRequest{}); err == nil {
		t.Error("a resolve was taken for an order that needs no person")
	}
}
