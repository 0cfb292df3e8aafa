package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

func TestOrderSweepHandsOrdersToTheirWorkflows(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(OrderSweep)
	env.RegisterWorkflow(Order)
	env.RegisterActivity(&activities.Orders{})

	pages := [][]activities.ModifiedOrder{
		{{OrderID: 1, StatusID: 11, DateModified: "2026-11-27T10:00:00Z"}, {OrderID: 2, StatusID: 0, DateModified: "2026-11-27T10:00:01Z"}},
		{{OrderID: 3, StatusID: 5, DateModified: "2026-11-27T10:05:00Z"}},
	}
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
	var started []int
	env.OnWorkflow(Order, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in OrderInput) error {
		started = append(started, in.OrderID)
		return nil
	})
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
	if len(started) != 2 || started[0] != 1 || started[1] != 3 {
		t.Errorf("order workflows started for %v, want [1 3] (the incomplete order 2 skipped)", started)
	}
	if len(watermarks) < 2 || watermarks[0] != "" || watermarks[1] != "2026-11-27T10:00:01Z" {
		t.Errorf("watermarks asked: %v", watermarks)
	}
}
