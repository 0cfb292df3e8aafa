package workflows

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// staffShipAllFromMain is store staff distributing the whole order to
// Main Street in Heartland and invoicing it there, the sweep telling the
// order.
func staffShipAllFromMain(env *testsuite.TestWorkflowEnvironment, w *orderWorld) {
	w.distributed[70], w.distributed[71] = 1, 1
	w.invoices = []activities.InvoiceSummary{invoice(5, 1, "53.00",
		activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})}
	env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
}

// backstopTimers counts the timers the run starts for the Heartland
// backstop.
func backstopTimers(env *testsuite.TestWorkflowEnvironment) *int {
	n := new(int)
	env.SetOnTimerScheduledListener(func(_ string, d time.Duration) {
		if d == DefaultHeartlandBackstop {
			*n++
		}
	})
	return n
}

// The HeartlandSweep's word wakes an order awaiting distribution, which
// reads Heartland each time; its backstop stays the timer it started first,
// where each wake used to start another (and leave the last to fire an hour
// later for nothing). Staff distributing in Heartland moves it on, and
// fulfilling waits on the same timer.
func TestOrderQuietKeepsOneBackstopTimer(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	timers := backstopTimers(env)
	var quiet OrderState
	var readsQuiet, timersQuiet int
	for _, at := range []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute} {
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(OrderHeartlandChangedSignal, w.sweepSaw()) }, at)
	}
	env.RegisterDelayedCallback(func() {
		quiet, readsQuiet, timersQuiet = queryOrder(t, env), w.hlReads, *timers
		w.distributed[70], w.distributed[71] = 1, 1
		env.SignalWorkflow(OrderHeartlandChangedSignal, w.sweepSaw())
	}, 4*time.Minute)
	var after OrderState
	env.RegisterDelayedCallback(func() {
		after = queryOrder(t, env)
		env.CancelWorkflow()
	}, 5*time.Minute)
	startOrder(env)
	if readsQuiet != 3 || quiet.Stage != OrderStageAwaitingDistribution || timersQuiet != 1 {
		t.Errorf("after the sweep's word three times: %d reads, stage %s, %d backstop timers; want 3, awaiting distribution, 1",
			readsQuiet, quiet.Stage, timersQuiet)
	}
	if w.hlReads != 4 || after.Stage != OrderStageFulfilling || after.Lines[0].LocationID != 1 || after.Lines[1].LocationID != 1 {
		t.Errorf("after staff distributed: %d reads, stage %s, lines %+v", w.hlReads, after.Stage, after.Lines)
	}
	if *timers != 1 {
		t.Errorf("%d backstop timers started in all, want the first one only (fulfilling waits on it too)", *timers)
	}
}

// A run from before orderQuietChange starts a backstop timer per wait, as
// it did.
func TestOrderBeforeQuietStartsATimerPerWait(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	env.OnGetVersion(orderQuietChange, workflow.DefaultVersion, orderQuietLatest).Return(workflow.DefaultVersion)
	timers := backstopTimers(env)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(OrderHeartlandChangedSignal, w.sweepSaw()) }, time.Minute)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(OrderHeartlandChangedSignal, w.sweepSaw()) }, 2*time.Minute)
	env.RegisterDelayedCallback(env.CancelWorkflow, 3*time.Minute)
	startOrder(env)
	if w.hlReads != 2 || *timers != 3 {
		t.Errorf("a run before the change: %d reads, %d backstop timers; want 2 and 3", w.hlReads, *timers)
	}
}

// The backstop looks once an hour, counted from when it was started: the
// sweep's word in between (each read at once) does not put it off.
func TestOrderQuietBackstopKeepsItsHour(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	timers := backstopTimers(env)
	for _, at := range []time.Duration{10 * time.Minute, 30 * time.Minute, 55 * time.Minute} {
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(OrderHeartlandChangedSignal, w.sweepSaw()) }, at)
	}
	var before, after int
	env.RegisterDelayedCallback(func() { before = w.hlReads }, 59*time.Minute)
	env.RegisterDelayedCallback(func() { after = w.hlReads }, 61*time.Minute)
	env.RegisterDelayedCallback(env.CancelWorkflow, 62*time.Minute)
	startOrder(env)
	if before != 3 || after != 4 {
		t.Errorf("Heartland reads before the hour %d, after it %d; want 3 and 4", before, after)
	}
	if *timers != 2 {
		t.Errorf("%d backstop timers, want 2 (the first, then the next hour's)", *timers)
	}
}

// A finished order watches the store for FinishedWatch with one timer,
// however many changes BigCommerce reports meanwhile, and ends on time.
func TestOrderQuietWatchesWithOneTimer(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	var watchTimers int
	env.SetOnTimerScheduledListener(func(_ string, d time.Duration) {
		if d > 24*time.Hour {
			watchTimers++
		}
	})
	env.RegisterDelayedCallback(func() { staffShipAllFromMain(env, w) }, time.Minute)
	var closedAt time.Time
	env.RegisterDelayedCallback(func() {
		if st := queryOrder(t, env); st.Stage != OrderStageClosed {
			t.Errorf("stage %s, want closed", st.Stage)
		}
		closedAt = env.Now()
	}, 2*time.Minute)
	for _, at := range []time.Duration{3 * time.Minute, time.Hour, 48 * time.Hour} {
		env.RegisterDelayedCallback(func() {
			env.SignalWorkflow(OrderBigCommerceChangedSignal, OrderChange{DateModified: "2026-11-28T10:00:00Z", StatusID: bcShipped})
		}, at)
	}
	startOrder(env)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if watchTimers != 1 {
		t.Errorf("%d watch timers, want 1", watchTimers)
	}
	if watched := env.Now().Sub(closedAt); watched < DefaultFinishedWatch-2*time.Minute || watched > DefaultFinishedWatch {
		t.Errorf("watched the store for %s after closing, want about %s", watched, DefaultFinishedWatch)
	}
}

// A run the start paths gave its search attributes (and said so) does not
// write them again at its start; one started without them does.
func TestOrderQuietStartsWithoutPublishing(t *testing.T) {
	for _, tc := range []struct {
		name      string
		published bool
		want      []string
	}{
		{"started with them", true, []string{OrderStageAwaitingDistribution}},
		{"started without them", false, []string{OrderStageImporting, OrderStageAwaitingDistribution}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newOrderWorld(false)
			env := newOrderEnv(t, w)
			var published []string
			env.OnUpsertTypedSearchAttributes(mock.Anything).Return(nil).Run(func(args mock.Arguments) {
				sa := args.Get(0).(temporal.SearchAttributes)
				if stage, ok := sa.GetKeyword(StageAttr); ok {
					published = append(published, stage)
				}
			})
			env.RegisterDelayedCallback(env.CancelWorkflow, time.Minute)
			env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings(), Published: tc.published})
			if !slices.Equal(published, tc.want) {
				t.Errorf("stages published %v, want %v", published, tc.want)
			}
		})
	}
}

// StartAttributes are what a new run would publish first.
func TestStartAttributesAreTheFirstPublish(t *testing.T) {
	sa := StartAttributes("shop", 100)
	conn, _ := sa.GetKeyword(ConnectionAttr)
	stage, _ := sa.GetKeyword(StageAttr)
	id, _ := sa.GetKeyword(BigCommerceOrderIDAttr)
	if conn != "shop" || stage != OrderStageImporting || id != "100" || sa.Size() != 3 {
		t.Errorf("StartAttributes = %s %s %s (%d)", conn, stage, id, sa.Size())
	}
}

// An order's reads run as local activities, in the workflow task that asks
// for them, and so does its import where it can start at once
// (importInPlace). Under orderWritesInPlaceVersion its writes do too; a
// run of an earlier version of orderQuietChange keeps them activities of
// their own, and a run from before orderQuietChange runs every one as an
// activity.
func TestOrderQuietReadsLocally(t *testing.T) {
	reads := []string{"ReadOrder", "ReadOrderStatus", "ReadHeartlandOrder", "ListInvoices", "ImportSalesOrder"}
	writes := []string{"CapturePayment", "CreateShipment", "RecordInvoicePayment", "SettleOrderPayment", "SetOrderStatus", "SetSalesOrderStatus"}
	for _, tc := range []struct {
		name    string
		version workflow.Version
		local   []string
	}{
		{"latest", orderQuietLatest, append(slices.Clone(reads), writes...)},
		{"before writes in place", orderOneMemoVersion, reads},
		{"before quiet", workflow.DefaultVersion, nil},
	} {
		w := newOrderWorld(false)
		env := newOrderEnv(t, w)
		if tc.version != orderQuietLatest {
			env.OnGetVersion(orderQuietChange, workflow.DefaultVersion, orderQuietLatest).Return(tc.version)
		}
		all, local := activityCounters(env)
		env.RegisterDelayedCallback(func() { staffShipAllFromMain(env, w) }, time.Minute)
		env.RegisterDelayedCallback(env.CancelWorkflow, 2*time.Minute)
		startOrder(env)
		if len(w.shipments) != 1 || w.bcStatus != bcShipped {
			t.Fatalf("%s: %d shipments, BigCommerce status %d", tc.name, len(w.shipments), w.bcStatus)
		}
		want := map[string]int{}
		for _, name := range tc.local {
			if all[name] > 0 {
				want[name] = all[name]
			}
		}
		if !maps.Equal(local, want) {
			t.Errorf("%s: local activities %v, want %v (of %v)", tc.name, local, want, all)
		}
		if tc.version != workflow.DefaultVersion && (local["ReadOrder"] != 1 || local["ReadHeartlandOrder"] == 0 || local["ListInvoices"] == 0 || all["ImportSalesOrder"] != 1 || local["ImportSalesOrder"] != 1) {
			t.Errorf("%s: reads %v of activities %v", tc.name, local, all)
		}
		if tc.version == orderQuietLatest {
			for _, name := range writes {
				if all[name] != 1 {
					t.Errorf("%s: %s ran %d times, want once, in place", tc.name, name, all[name])
				}
			}
		}
	}
}

// A write that fails in place (the store throttling, say) runs again as an
// activity of its own, and the order carries on to closed with one
// shipment.
func TestOrderWriteFallsBackToAnActivity(t *testing.T) {
	w := newOrderWorld(false)
	w.throttledShipments = 1
	env := newOrderEnv(t, w)
	all, local := activityCounters(env)
	env.RegisterDelayedCallback(func() { staffShipAllFromMain(env, w) }, time.Minute)
	env.RegisterDelayedCallback(env.CancelWorkflow, 2*time.Minute)
	startOrder(env)
	if len(w.shipments) != 1 || w.bcStatus != bcShipped {
		t.Fatalf("%d shipments, BigCommerce status %d; want 1 and Shipped", len(w.shipments), w.bcStatus)
	}
	if local["CreateShipment"] != 1 || all["CreateShipment"] != 2 {
		t.Errorf("CreateShipment ran %d times, %d in place; want twice, once in place", all["CreateShipment"], local["CreateShipment"])
	}
	if local["RecordInvoicePayment"] != 1 || local["SetOrderStatus"] != 1 {
		t.Errorf("the writes after the fallback: %v in place of %v", local, all)
	}
}

// A read that fails as a local activity (the store throttling, say) runs
// again as an activity of its own, and the order carries on; the workflow
// task is not held through the API's retries.
func TestOrderQuietReadFallsBackToAnActivity(t *testing.T) {
	w := newOrderWorld(false)
	w.throttledReads = 2
	env := newOrderEnv(t, w)
	all, local := activityCounters(env)
	st := stateAfterAMinute(t, env)
	if st.Stage != OrderStageAwaitingDistribution || st.HeartlandOrderID == 0 {
		t.Errorf("after throttled reads: stage %s, Heartland order %d", st.Stage, st.HeartlandOrderID)
	}
	// Once local (throttled), then as an activity: throttled once more,
	// retried by the activity's policy.
	if local["ReadOrder"] != 1 || all["ReadOrder"] != 3 || w.reads != 3 {
		t.Errorf("ReadOrder ran %d times locally of %d (%d reads), want 1 of 3", local["ReadOrder"], all["ReadOrder"], w.reads)
	}
}

// staffInvoiceWhileTheSweepTells is store staff distributing the order in
// Heartland and invoicing it at once: the sweep's invoice round tells the
// order of the invoice, and while the order reads Heartland on that word,
// the sweep's orders round tells it of the distribution (a status, no
// invoice).
func staffInvoiceWhileTheSweepTells(env *testsuite.TestWorkflowEnvironment, w *orderWorld) {
	w.distributed[70], w.distributed[71] = 1, 1
	w.invoices = []activities.InvoiceSummary{invoice(5, 1, "53.00",
		activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})}
	w.duringHLRead = func() {
		w.duringHLRead = nil
		env.SignalWorkflow(OrderHeartlandChangedSignal, w.sweepSaw())
	}
	env.SignalWorkflow(OrderHeartlandChangedSignal, HeartlandChange{Status: w.hlStatus, InvoiceIDs: []int64{5}})
}

// The read on the sweep's word sees the distribution but not the invoice,
// so the invoice told before it is still collected: the order ships and
// closes now, not at the next hour's backstop.
func TestOrderCollectsInvoicesToldBeforeTheReadThatFoundTheDistribution(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	env.RegisterDelayedCallback(func() { staffInvoiceWhileTheSweepTells(env, w) }, time.Minute)
	st := runOrderFor(t, env, 10*time.Minute)
	if st.Stage != OrderStageClosed || len(w.shipments) != 1 || !slices.Equal(w.payments, []int64{5}) {
		t.Errorf("ten minutes after the invoice: stage %s, %d shipments, invoice payments %v; want closed, 1, [5]",
			st.Stage, len(w.shipments), w.payments)
	}
}

// A run from before orderInvoiceNewsChange forgot the invoice at the read
// and replays so: it waits for the backstop, which ships the invoice.
func TestOrderBeforeInvoiceNewsWaitsForTheBackstop(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	env.OnGetVersion(orderInvoiceNewsChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	env.RegisterDelayedCallback(func() { staffInvoiceWhileTheSweepTells(env, w) }, time.Minute)
	var early OrderState
	env.RegisterDelayedCallback(func() { early = queryOrder(t, env) }, 10*time.Minute)
	st := runOrderFor(t, env, 2*time.Hour)
	if early.Stage != OrderStageFulfilling || len(early.Invoices) != 0 {
		t.Errorf("a run before the change, ten minutes on: stage %s, %d invoices; want fulfilling, none", early.Stage, len(early.Invoices))
	}
	if st.Stage != OrderStageClosed || len(w.shipments) != 1 {
		t.Errorf("after the backstop: stage %s, %d shipments; want closed, 1", st.Stage, len(w.shipments))
	}
}
