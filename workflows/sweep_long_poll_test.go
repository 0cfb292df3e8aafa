package workflows

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// timerSweeps makes both sweeps take the path of runs begun before their
// long poll: a timer and a round every interval.
func timerSweeps(env *testsuite.TestWorkflowEnvironment) {
	env.OnGetVersion(orderSweepLongPollChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	env.OnGetVersion(heartlandLongPollChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
}

// Between rounds the order sweep waits inside WaitModifiedOrders, which is
// told the orders already handed over at the watermark; an order the long
// poll brings is handed over, and sweepNow cuts the long poll short.
func TestOrderSweepLongPollBringsNewOrders(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(OrderSweep)
	env.RegisterWorkflow(Order)
	env.RegisterActivity(&activities.Orders{})
	first := activities.ModifiedOrder{OrderID: 1, StatusID: 11, DateModified: "2026-11-27T10:00:00Z"}
	second := activities.ModifiedOrder{OrderID: 2, StatusID: 11, DateModified: "2026-11-27T10:07:00Z"}
	lists := 0
	env.OnActivity(orderActivities.ListModifiedOrders, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.ModifiedOrdersRequest) (activities.ModifiedOrdersResult, error) {
			lists++
			return activities.ModifiedOrdersResult{Orders: []activities.ModifiedOrder{first}, Watermark: first.DateModified}, nil
		})
	var waits []activities.ModifiedOrdersWait
	env.OnActivity(orderActivities.WaitModifiedOrders, mock.Anything, mock.Anything).After(10 * time.Minute).Return(
		func(_ context.Context, in activities.ModifiedOrdersWait) (activities.ModifiedOrdersResult, error) {
			waits = append(waits, in)
			if len(waits) == 1 {
				return activities.ModifiedOrdersResult{Orders: []activities.ModifiedOrder{first, second}, Watermark: second.DateModified}, nil
			}
			return activities.ModifiedOrdersResult{Watermark: in.Request.Since}, nil
		})
	var started []int
	env.OnWorkflow(Order, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in OrderInput) error {
		started = append(started, in.OrderID)
		return nil
	})
	// sweepNow in the second long poll: a regular round at once.
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(SweepNowSignal, nil) }, 15*time.Minute)
	env.RegisterDelayedCallback(func() {
		off := orderSettings()
		off.OrderSync = false
		env.SignalWorkflow(SweepSettingsSignal, off)
	}, 40*time.Minute)
	env.ExecuteWorkflow(OrderSweep, OrderSweepInput{ConnectionID: "shop", Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(started, []int{1, 2}) {
		t.Errorf("order workflows started for %v, want [1 2]", started)
	}
	if lists != 2 {
		t.Errorf("%d regular rounds, want 2 (the first, and sweepNow's)", lists)
	}
	if len(waits) < 3 {
		t.Fatalf("%d long polls, want one after each round", len(waits))
	}
	if w := waits[0]; w.Request.Since != first.DateModified || !slices.Equal(w.Known, []activities.ModifiedOrder{first}) ||
		w.Interval != DefaultOrderSweepInterval || w.MaxWait != longPollIdle {
		t.Errorf("first long poll %+v", w)
	}
	if w := waits[1]; w.Request.Since != second.DateModified || !slices.Equal(w.Known, []activities.ModifiedOrder{second}) {
		t.Errorf("second long poll %+v, want from the order it brought", w)
	}
}

// Between rounds the Heartland sweep waits inside WaitHeartlandChanges,
// which runs the rounds itself; the orders it brings are signalled and
// both watermarks move.
func TestHeartlandSweepLongPollSignalsWhatItBrings(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(HeartlandSweep)
	env.RegisterActivity(&activities.Orders{})
	env.OnActivity(orderActivities.ListHeartlandChanges, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.HeartlandChangesRequest) (activities.HeartlandChangesResult, error) {
			return activities.HeartlandChangesResult{Watermark: req.Watermark, Seen: req.Seen}, nil
		})
	var waits []activities.HeartlandChangesWait
	env.OnActivity(orderActivities.WaitHeartlandChanges, mock.Anything, mock.Anything).After(10 * time.Minute).Return(
		func(_ context.Context, in activities.HeartlandChangesWait) (activities.HeartlandChangesWaitResult, error) {
			waits = append(waits, in)
			res := activities.HeartlandChangesWaitResult{
				Orders:   activities.HeartlandChangesResult{Watermark: in.Orders.Watermark, Seen: in.Orders.Seen},
				Invoices: activities.HeartlandChangesResult{Watermark: in.Invoices.Watermark, Seen: in.Invoices.Seen},
				Ticks:    in.Ticks + 300,
			}
			if len(waits) == 1 {
				res.Invoices = activities.HeartlandChangesResult{Watermark: "2026-11-27T10:00:03Z", Seen: []string{"i5/complete/true@2026-11-27T10:00:03Z"},
					Orders: []activities.HeartlandOrderChange{{OrderID: 100, HeartlandOrderID: 900, Status: "open", InvoiceIDs: []int64{5}}}}
			}
			return res, nil
		})
	var signaled []string
	env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, mock.Anything, OrderHeartlandChangedSignal, mock.Anything).Return(
		func(_, workflowID, _, _ string, _ any) error {
			signaled = append(signaled, workflowID)
			return nil
		})
	env.RegisterDelayedCallback(func() { turnOrderSyncOff(env) }, 25*time.Minute)
	env.ExecuteWorkflow(HeartlandSweep, HeartlandSweepInput{ConnectionID: "shop", Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(signaled, []string{OrderWorkflowID("shop", 100)}) {
		t.Errorf("signalled %v, want order/shop/100 once", signaled)
	}
	// Two long polls ended by themselves; the settings cut the third.
	if len(waits) != 2 {
		t.Fatalf("%d long polls ran out in 25 minutes of 10-minute polls, want 2", len(waits))
	}
	w := waits[1]
	if w.Invoices.Watermark != "2026-11-27T10:00:03Z" || len(w.Invoices.Seen) != 1 || w.Ticks != waits[0].Ticks+300 ||
		w.OrdersEvery != heartlandOrdersEvery || w.Interval != invoiceInterval(DefaultHeartlandSweepInterval) || w.MaxWait != longPollIdle {
		t.Errorf("second long poll %+v, want from where the first stopped", w)
	}
}

// Orders whose workflows read the listed change already (the webhooks
// brought them) are not handed over, yet count: they are known at the
// watermark, and a page full of them is followed at once by the next.
func TestOrderSweepPassesOverOrdersTheirWorkflowsRead(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(OrderSweep)
	env.RegisterWorkflow(Order)
	env.RegisterActivity(&activities.Orders{})
	at := func(min, sec int) string {
		return time.Date(2026, 11, 27, 10, min, sec, 0, time.UTC).Format(time.RFC3339)
	}
	// The first listing is more than full (it read on past a second full of
	// orders): 59 orders the webhooks brought, and one that needs handing
	// over. The second has one of each at its watermark.
	var full activities.ModifiedOrdersResult
	for i := range sweepPageSize + 9 {
		full.Read = append(full.Read, activities.ModifiedOrder{OrderID: 100 + i, StatusID: 11, DateModified: at(0, i)})
	}
	missed := activities.ModifiedOrder{OrderID: 7, StatusID: 11, DateModified: at(0, 30)}
	full.Orders, full.Watermark = []activities.ModifiedOrder{missed}, at(0, 58)
	lastRead := activities.ModifiedOrder{OrderID: 200, StatusID: 11, DateModified: at(5, 0)}
	lastMissed := activities.ModifiedOrder{OrderID: 8, StatusID: 11, DateModified: at(5, 0)}
	next := activities.ModifiedOrdersResult{Orders: []activities.ModifiedOrder{lastMissed}, Read: []activities.ModifiedOrder{lastRead}, Watermark: at(5, 0)}
	var since []string
	env.OnActivity(orderActivities.ListModifiedOrders, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.ModifiedOrdersRequest) (activities.ModifiedOrdersResult, error) {
			since = append(since, req.Since)
			switch len(since) {
			case 1:
				return full, nil
			case 2:
				return next, nil
			}
			return activities.ModifiedOrdersResult{Watermark: req.Since}, nil
		})
	var waits []activities.ModifiedOrdersWait
	env.OnActivity(orderActivities.WaitModifiedOrders, mock.Anything, mock.Anything).After(10 * time.Minute).Return(
		func(_ context.Context, in activities.ModifiedOrdersWait) (activities.ModifiedOrdersResult, error) {
			waits = append(waits, in)
			return activities.ModifiedOrdersResult{Watermark: in.Request.Since}, nil
		})
	var started []int
	env.OnWorkflow(Order, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in OrderInput) error {
		started = append(started, in.OrderID)
		return nil
	})
	env.RegisterDelayedCallback(func() {
		off := orderSettings()
		off.OrderSync = false
		env.SignalWorkflow(SweepSettingsSignal, off)
	}, 15*time.Minute)
	env.ExecuteWorkflow(OrderSweep, OrderSweepInput{ConnectionID: "shop", Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(started, []int{7, 8}) {
		t.Errorf("order workflows started for %v, want [7 8]: the others had read their change", started)
	}
	if !slices.Equal(since, []string{"", at(0, 58)}) {
		t.Errorf("listings from %q, want the full page followed at once by the next", since)
	}
	if len(waits) == 0 {
		t.Fatal("no long poll after the rounds")
	}
	if w := waits[0]; w.Request.Since != at(5, 0) || !slices.Equal(w.Known, []activities.ModifiedOrder{lastMissed, lastRead}) {
		t.Errorf("long poll %+v, want from %s knowing both orders there", w, at(5, 0))
	}
}
