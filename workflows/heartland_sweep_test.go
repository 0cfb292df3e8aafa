package workflows

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// heartlandSide is the Heartland the sweep's mocked activity reads: the
// changes of each round in turn, then nothing.
type heartlandSide struct {
	rounds   []activities.HeartlandChangesResult
	failing  bool
	asked    []activities.HeartlandChangesRequest
	signaled []string
}

func (h *heartlandSide) install(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterWorkflow(HeartlandSweep)
	timerSweeps(env) // the timer path of runs begun before the long poll
	env.RegisterActivity(&activities.Orders{})
	env.OnActivity(orderActivities.ListHeartlandChanges, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.HeartlandChangesRequest) (activities.HeartlandChangesResult, error) {
			h.asked = append(h.asked, req)
			if h.failing {
				return activities.HeartlandChangesResult{}, temporal.NewNonRetryableApplicationError(
					"heartland: GET /sales/invoices: 401 Unauthorized", activities.ErrTypeHeartlandRejected, nil)
			}
			if len(h.rounds) == 0 {
				return activities.HeartlandChangesResult{Watermark: req.Watermark, Seen: req.Seen}, nil
			}
			r := h.rounds[0]
			h.rounds = h.rounds[1:]
			return r, nil
		})
	env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, mock.Anything, OrderHeartlandChangedSignal, mock.Anything).Return(
		func(_, workflowID, _, _ string, _ any) error {
			h.signaled = append(h.signaled, workflowID)
			return nil
		})
}

// An invoice made in Heartland wakes the Order workflow of its web order,
// at the next round, and that order only once.
func TestHeartlandSweepSignalsTheOrderOfAnInvoice(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	h := &heartlandSide{rounds: []activities.HeartlandChangesResult{
		{Watermark: "2026-11-27T10:00:00Z"},
		{Orders: []activities.HeartlandOrderChange{{OrderID: 100, HeartlandOrderID: 900, Status: "open", InvoiceIDs: []int64{5}}},
			Watermark: "2026-11-27T10:00:03Z", Seen: []string{"i5/complete/true@2026-11-27T10:00:03Z"}},
	}}
	h.install(env)
	// Runs before heartlandFastInvoicesChange list both kinds every round.
	env.OnGetVersion(heartlandFastInvoicesChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	env.RegisterDelayedCallback(func() {
		st := queryAs[HeartlandSweepStatus](t, env, HeartlandSweepStatusQuery)
		if st.Signalled != 1 || st.Watermark != "2026-11-27T10:00:03Z" {
			t.Errorf("status %+v", st)
		}
		turnOrderSyncOff(env)
	}, time.Minute)
	env.ExecuteWorkflow(HeartlandSweep, HeartlandSweepInput{ConnectionID: "shop", Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("the sweep did not end when order sync went off: %v", err)
	}
	if len(h.signaled) != 1 || h.signaled[0] != OrderWorkflowID("shop", 100) {
		t.Errorf("signalled %v, want only order/shop/100", h.signaled)
	}
	// First round from an hour back; every later one from the watermark
	// and the records already seen at it.
	if len(h.asked) < 4 || h.asked[0].Watermark == "" || h.asked[2].Watermark != "2026-11-27T10:00:03Z" || len(h.asked[2].Seen) != 1 {
		t.Errorf("asked %+v", h.asked[:min(len(h.asked), 3)])
	}
	// Rounds every DefaultHeartlandSweepInterval: a minute is 15 rounds or so.
	if n := len(h.asked); n < 14 || n > 17 {
		t.Errorf("%d rounds in a minute, want about 15", n)
	}
}

// A round that fails for good (a revoked token) does not end the sweep: it
// shows why, backs off, and reads from the same watermark once it can; the
// watermark then goes on with the continued run.
func TestHeartlandSweepOutlivesAPIErrorsAndContinuesAsNew(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	h := &heartlandSide{failing: true, rounds: []activities.HeartlandChangesResult{
		{Orders: []activities.HeartlandOrderChange{{OrderID: 7, HeartlandOrderID: 70, Status: "canceled"}},
			Watermark: "2026-11-27T10:05:00Z", Seen: []string{"o70/canceled/0.00/0.00@2026-11-27T10:05:00Z"}},
	}}
	h.install(env)
	env.OnGetVersion(heartlandFastInvoicesChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	attention := recordAttention(env)
	var failing, recovered HeartlandSweepStatus
	env.RegisterDelayedCallback(func() {
		failing = queryAs[HeartlandSweepStatus](t, env, HeartlandSweepStatusQuery)
		h.failing = false // the operator fixed the token
	}, 30*time.Second)
	env.RegisterDelayedCallback(func() {
		recovered = queryAs[HeartlandSweepStatus](t, env, HeartlandSweepStatusQuery)
		env.SetContinueAsNewSuggested(true)
	}, 2*time.Minute)
	start := "2026-11-27T10:00:00Z"
	env.ExecuteWorkflow(HeartlandSweep, HeartlandSweepInput{ConnectionID: "shop", Settings: orderSettings(), Watermark: start})

	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("the sweep ended with %v, want continue-as-new", err)
	}
	if failing.Failures < 2 || !strings.Contains(failing.Attention, "401") {
		t.Errorf("while failing: %+v", failing)
	}
	for _, r := range h.asked[:failing.Failures] {
		if r.Watermark != start {
			t.Errorf("a failed round moved the watermark: asked from %q", r.Watermark)
		}
	}
	if recovered.Failures != 0 || recovered.Attention != "" || recovered.Watermark != "2026-11-27T10:05:00Z" || recovered.Signalled != 1 {
		t.Errorf("after the fix: %+v", recovered)
	}
	if len(*attention) < 2 || !strings.Contains((*attention)[0], "401") || (*attention)[len(*attention)-1] != "" {
		t.Errorf("HrbcAttention went %q, want the 401 and then cleared", *attention)
	}
	var next HeartlandSweepInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.Watermark != "2026-11-27T10:05:00Z" || len(next.Seen) != 1 || next.Signalled != 1 || next.ConnectionID != "shop" || !next.Settings.OrderSync {
		t.Errorf("continued with %+v", next)
	}
}

// Invoices are listed every half interval with their own watermark, sales
// orders every heartlandOrdersEvery rounds with theirs: an invoice made in
// Heartland reaches its order within two seconds at the default interval.
func TestHeartlandSweepListsInvoicesTwiceAsOften(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	var invoiceRounds, orderRounds []activities.HeartlandChangesRequest
	var signaled []string
	env.RegisterWorkflow(HeartlandSweep)
	timerSweeps(env) // the timer path of runs begun before the long poll
	env.RegisterActivity(&activities.Orders{})
	env.OnActivity(orderActivities.ListHeartlandChanges, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.HeartlandChangesRequest) (activities.HeartlandChangesResult, error) {
			switch req.Only {
			case activities.ChangesOfInvoices:
				invoiceRounds = append(invoiceRounds, req)
				if len(invoiceRounds) == 3 {
					return activities.HeartlandChangesResult{Watermark: "2026-11-27T10:00:03Z", Seen: []string{"i5/complete/true@2026-11-27T10:00:03Z"},
						Orders: []activities.HeartlandOrderChange{{OrderID: 100, HeartlandOrderID: 900, Status: "open", InvoiceIDs: []int64{5}}}}, nil
				}
			case activities.ChangesOfOrders:
				orderRounds = append(orderRounds, req)
				return activities.HeartlandChangesResult{Watermark: "2026-11-27T09:59:00Z"}, nil
			default:
				t.Errorf("a round listed both kinds: %+v", req)
			}
			return activities.HeartlandChangesResult{Watermark: req.Watermark, Seen: req.Seen}, nil
		})
	env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, mock.Anything, OrderHeartlandChangedSignal, mock.Anything).Return(
		func(_, workflowID, _, _ string, _ any) error {
			signaled = append(signaled, workflowID)
			return nil
		})
	env.RegisterDelayedCallback(func() { turnOrderSyncOff(env) }, time.Minute)
	env.ExecuteWorkflow(HeartlandSweep, HeartlandSweepInput{ConnectionID: "shop", Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if n := len(invoiceRounds); n < 28 || n > 32 {
		t.Errorf("%d invoice rounds in a minute, want about 30", n)
	}
	if n := len(orderRounds); n < 7 || n > 9 {
		t.Errorf("%d order rounds in a minute, want about 8", n)
	}
	if len(signaled) != 1 || signaled[0] != OrderWorkflowID("shop", 100) {
		t.Errorf("signalled %v, want order/shop/100 once", signaled)
	}
	// Each kind goes on from its own watermark.
	if w := invoiceRounds[len(invoiceRounds)-1]; w.Watermark != "2026-11-27T10:00:03Z" || len(w.Seen) != 1 {
		t.Errorf("last invoice round asked %+v", w)
	}
	if w := orderRounds[len(orderRounds)-1]; w.Watermark != "2026-11-27T09:59:00Z" {
		t.Errorf("last order round asked %+v", w)
	}
}

// turnOrderSyncOff sends the sweep settings with order sync off, which ends it.
func turnOrderSyncOff(env *testsuite.TestWorkflowEnvironment) {
	off := orderSettings()
	off.OrderSync = false
	env.SignalWorkflow(HeartlandSweepSettingsSignal, off)
}
