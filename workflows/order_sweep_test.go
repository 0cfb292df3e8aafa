package workflows

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

func TestOrderSweepHandsOrdersToTheirWorkflows(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(OrderSweep)
	timerSweeps(env) // the timer path of runs begun before the long poll
	env.RegisterWorkflow(Order)
	env.RegisterActivity(&activities.Orders{})

	pages := [][]activities.ModifiedOrder{
		{{OrderID: 1, StatusID: 11, DateModified: "2026-11-27T10:00:00Z"}, {OrderID: 2, StatusID: 0, DateModified: "2026-11-27T10:00:01Z"}},
		{{OrderID: 3, StatusID: 5, DateModified: "2026-11-27T10:05:00Z"}},
	}
	watermarks := listPages(env, pages)
	started := recordOrderStarts(env)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(SweepNowSignal, nil) }, 10*time.Second)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(SweepStatusQuery)
		if err != nil {
			t.Fatal(err)
		}
		var st SweepStatus
		_ = v.Get(&st)
		if st.Swept != 2 || st.Watermark != "2026-11-27T10:05:00Z" {
			t.Errorf("status %+v", st)
		}
		off := orderSettings()
		off.OrderSync = false
		env.SignalWorkflow(SweepSettingsSignal, off)
	}, 20*time.Second)

	s := orderSettings()
	s.OrderSweepSeconds = 60
	env.ExecuteWorkflow(OrderSweep, OrderSweepInput{ConnectionID: "shop", Settings: s})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("sweep did not end cleanly when order sync went off: %v", err)
	}
	if len(*started) != 2 || (*started)[0] != 1 || (*started)[1] != 3 {
		t.Errorf("order workflows started for %v, want [1 3] (the incomplete order 2 skipped)", *started)
	}
	if len(*watermarks) < 2 || (*watermarks)[0] != "" || (*watermarks)[1] != "2026-11-27T10:00:01Z" {
		t.Errorf("watermarks asked: %v", *watermarks)
	}
}

// A round that fails for good (a revoked token) does not end the sweep: it
// shows why, backs off, reads the same orders again and recovers by itself.
func TestOrderSweepOutlivesAPIErrors(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(OrderSweep)
	timerSweeps(env) // the timer path of runs begun before the long poll
	env.RegisterWorkflow(Order)
	env.RegisterActivity(&activities.Orders{})
	revoked := true
	var asked []string
	var askedAt []time.Time
	env.OnActivity(orderActivities.ListModifiedOrders, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.ModifiedOrdersRequest) (activities.ModifiedOrdersResult, error) {
			asked, askedAt = append(asked, req.Since), append(askedAt, env.Now())
			if revoked {
				return activities.ModifiedOrdersResult{}, temporal.NewNonRetryableApplicationError("bigcommerce: GET /v2/orders: 401 Unauthorized", activities.ErrTypeBigCommerceRejected, nil)
			}
			if req.Since == "" {
				return activities.ModifiedOrdersResult{Orders: []activities.ModifiedOrder{{OrderID: 7, StatusID: 11, DateModified: "2026-11-27T10:00:00Z"}},
					Watermark: "2026-11-27T10:00:00Z"}, nil
			}
			return activities.ModifiedOrdersResult{Watermark: req.Since}, nil
		})
	var started []int
	env.OnWorkflow(Order, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in OrderInput) error {
		started = append(started, in.OrderID)
		return nil
	})
	attention := recordAttention(env)
	var failing SweepStatus
	env.RegisterDelayedCallback(func() {
		failing = querySweep(t, env)
		revoked = false // the operator fixed the token
	}, 4*time.Minute)
	var recovered SweepStatus
	env.RegisterDelayedCallback(func() {
		recovered = querySweep(t, env)
		off := orderSettings()
		off.OrderSync = false
		env.SignalWorkflow(SweepSettingsSignal, off)
	}, 10*time.Minute)
	s := orderSettings()
	s.OrderSweepSeconds = 60
	env.ExecuteWorkflow(OrderSweep, OrderSweepInput{ConnectionID: "shop", Settings: s})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("the sweep ended on an API error: %v", err)
	}
	if failing.Failures < 2 || !strings.Contains(failing.Attention, "401") {
		t.Errorf("while failing: %+v, want failures counted and the 401 shown", failing)
	}
	// 1 min, then 2 min between the failed rounds: it backs off.
	if len(askedAt) < 3 || askedAt[1].Sub(askedAt[0]) != time.Minute || askedAt[2].Sub(askedAt[1]) != 2*time.Minute {
		t.Errorf("rounds at %v, want 1 min then 2 min apart", askedAt)
	}
	if recovered.Failures != 0 || recovered.Attention != "" || recovered.Watermark != "2026-11-27T10:00:00Z" || len(started) != 1 {
		t.Errorf("after the fix: %+v, orders started %v", recovered, started)
	}
	if len(*attention) < 2 || !strings.Contains((*attention)[0], "401") || (*attention)[len(*attention)-1] != "" {
		t.Errorf("HrbcAttention went %q, want the 401 and then cleared", *attention)
	}
	for _, since := range asked {
		if since != "" && since != "2026-11-27T10:00:00Z" {
			t.Errorf("asked since %q", since)
		}
	}
}

// Runs begun before the change still end on such an error, as their
// histories say they did.
func TestOrderSweepBeforeTheChangeEndsOnAnAPIError(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(OrderSweep)
	timerSweeps(env) // the timer path of runs begun before the long poll
	env.RegisterActivity(&activities.Orders{})
	env.OnGetVersion(sweepSurvivesErrorsChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	env.OnActivity(orderActivities.ListModifiedOrders, mock.Anything, mock.Anything).Return(
		activities.ModifiedOrdersResult{}, temporal.NewNonRetryableApplicationError("401", activities.ErrTypeBigCommerceRejected, nil))
	env.ExecuteWorkflow(OrderSweep, OrderSweepInput{ConnectionID: "shop", Settings: orderSettings()})
	if err := env.GetWorkflowError(); err == nil {
		t.Fatal("a run from before the change survived")
	}
}

func TestSweepBackoff(t *testing.T) {
	for _, c := range []struct {
		interval time.Duration
		failures int
		want     time.Duration
	}{{time.Minute, 1, time.Minute}, {time.Minute, 2, 2 * time.Minute}, {time.Minute, 5, 15 * time.Minute}, {time.Minute, 40, 15 * time.Minute},
		{time.Hour, 3, time.Hour}} {
		if got := sweepBackoff(c.interval, c.failures); got != c.want {
			t.Errorf("sweepBackoff(%s, %d) = %s, want %s", c.interval, c.failures, got, c.want)
		}
	}
}

func querySweep(t *testing.T, env *testsuite.TestWorkflowEnvironment) SweepStatus {
	t.Helper()
	return queryAs[SweepStatus](t, env, SweepStatusQuery)
}

// queryAs runs a query on the test workflow and decodes its answer.
func queryAs[T any](t *testing.T, env *testsuite.TestWorkflowEnvironment, query string) T {
	t.Helper()
	var out T
	v, err := env.QueryWorkflow(query)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Get(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// recordAttention keeps every HrbcAttention value the workflow sets.
func recordAttention(env *testsuite.TestWorkflowEnvironment) *[]string {
	var attention []string
	env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		if sa, ok := args.Get(0).(temporal.SearchAttributes); ok {
			if v, ok := sa.GetKeyword(AttentionAttr); ok {
				attention = append(attention, v)
			}
		}
	}).Return(nil)
	return &attention
}

// listPages has the mocked ListModifiedOrders return pages in turn, each
// with its last order's date_modified as the watermark, then nothing new;
// the watermarks the sweep asked from are recorded.
func listPages(env *testsuite.TestWorkflowEnvironment, pages [][]activities.ModifiedOrder) *[]string {
	var watermarks []string
	env.OnActivity(orderActivities.ListModifiedOrders, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.ModifiedOrdersRequest) (activities.ModifiedOrdersResult, error) {
			watermarks = append(watermarks, req.Since)
			if len(pages) == 0 {
				return activities.ModifiedOrdersResult{Watermark: req.Since}, nil
			}
			p := pages[0]
			pages = pages[1:]
			return activities.ModifiedOrdersResult{Orders: p, Watermark: p[len(p)-1].DateModified}, nil
		})
	return &watermarks
}

// recordOrderStarts has the mocked Order workflow record the orders it
// was started for, and end at once.
func recordOrderStarts(env *testsuite.TestWorkflowEnvironment) *[]int {
	var started []int
	env.OnWorkflow(Order, mock.Anything, mock.Anything).Return(func(ctx workflow.Context, in OrderInput) error {
		// Started with the attributes it would publish first, and told so.
		id, _ := workflow.GetTypedSearchAttributes(ctx).GetKeyword(BigCommerceOrderIDAttr)
		if !in.Published || id != strconv.Itoa(in.OrderID) {
			return fmt.Errorf("order %d started with published=%t, order id attribute %q", in.OrderID, in.Published, id)
		}
		started = append(started, in.OrderID)
		return nil
	})
	return &started
}
