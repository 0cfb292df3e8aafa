package workflows

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/hrbc/hrbc/activities"
)

// An order waiting for distribution is distributed to the auto-distribute
// location as soon as auto-distribute is turned on.
func TestOrderWaitingIsDistributedWhenAutoDistributeTurnsOn(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	env.RegisterDelayedCallback(func() {
		if st := queryOrder(t, env); st.Stage != OrderStageAwaitingDistribution {
			t.Errorf("stage %s, want awaiting_distribution", st.Stage)
		}
		s := orderSettings()
		s.AutoDistributeLocationID = 2
		env.SignalWorkflow(OrderSettingsSignal, s)
	}, time.Hour)
	env.RegisterDelayedCallback(func() {
		if st := queryOrder(t, env); st.Stage != OrderStageFulfilling || w.distributed[70] != 2 || w.distributed[71] != 2 {
			t.Errorf("stage %s distributed %v, want fulfilling from location 2", st.Stage, w.distributed)
		}
		env.CancelWorkflow()
	}, 2*time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
}

// Turning auto-distribute on makes the sweep send the settings to every
// order awaiting fulfillment.
func TestOrderSweepTellsWaitingOrdersOfAutoDistribute(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(OrderSweep)
	env.RegisterActivity(&activities.Orders{})
	env.OnActivity(orderActivities.ListModifiedOrders, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.ModifiedOrdersRequest) (activities.ModifiedOrdersResult, error) {
			return activities.ModifiedOrdersResult{Watermark: req.Since}, nil
		})
	env.OnActivity(orderActivities.ListAwaitingOrders, mock.Anything, mock.Anything).Return([]int{7, 8}, nil)
	var told []string
	env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, "", OrderSettingsSignal, mock.Anything).
		Run(func(args mock.Arguments) { told = append(told, args.String(1)) }).Return(nil)
	env.RegisterDelayedCallback(func() {
		s := orderSettings()
		s.AutoDistributeLocationID = 2
		env.SignalWorkflow(SweepSettingsSignal, s)
	}, 10*time.Second)
	env.RegisterDelayedCallback(func() {
		off := orderSettings()
		off.OrderSync = false
		env.SignalWorkflow(SweepSettingsSignal, off)
	}, 20*time.Second)
	env.ExecuteWorkflow(OrderSweep, OrderSweepInput{ConnectionID: "shop", Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	// The test environment delivers the two signals concurrently: which
	// is recorded first is not the workflow's doing.
	slices.Sort(told)
	if !slices.Equal(told, []string{OrderWorkflowID("shop", 7), OrderWorkflowID("shop", 8)}) {
		t.Errorf("told %v, want orders 7 and 8", told)
	}
}
