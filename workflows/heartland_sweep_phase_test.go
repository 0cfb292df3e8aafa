package workflows

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/hrbc/hrbc/activities"
)

// A hundred connections created together list their sales orders in
// heartlandOrdersEvery slots of about a quarter each, not all in one.
func TestFirstHeartlandTickSpreadsConnections(t *testing.T) {
	slots := make([]int, heartlandOrdersEvery)
	for i := 1; i <= 100; i++ {
		id := fmt.Sprintf("store%03d", i)
		tick := firstHeartlandTick(id)
		if tick < 0 || tick >= heartlandOrdersEvery {
			t.Fatalf("%s starts at tick %d, outside 0..%d", id, tick, heartlandOrdersEvery-1)
		}
		if again := firstHeartlandTick(id); again != tick {
			t.Fatalf("%s starts at tick %d, then %d", id, tick, again)
		}
		slots[tick]++
	}
	for tick, n := range slots {
		if n < 15 || n > 35 {
			t.Errorf("%d of 100 connections list sales orders at tick %d, want about 25 (all: %v)", n, tick, slots)
		}
	}
}

// A sweep started at tick 2 lists invoices twice before its first
// sales-order round, then every heartlandOrdersEvery rounds.
func TestHeartlandSweepListsOrdersFromItsOwnTick(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(HeartlandSweep)
	timerSweeps(env)
	env.RegisterActivity(&activities.Orders{})
	var kinds []string
	env.OnActivity(orderActivities.ListHeartlandChanges, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.HeartlandChangesRequest) (activities.HeartlandChangesResult, error) {
			kinds = append(kinds, req.Only)
			return activities.HeartlandChangesResult{Watermark: req.Watermark, Seen: req.Seen}, nil
		})
	env.RegisterDelayedCallback(func() { turnOrderSyncOff(env) }, 20*time.Second)
	env.ExecuteWorkflow(HeartlandSweep, HeartlandSweepInput{ConnectionID: "shop", Settings: orderSettings(), Ticks: 2})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	i, o := activities.ChangesOfInvoices, activities.ChangesOfOrders
	want := []string{i, i, o, i, i, i, i, o, i}
	if len(kinds) < len(want) {
		t.Fatalf("rounds %v, want them to begin %v", kinds, want)
	}
	if fmt.Sprint(kinds[:len(want)]) != fmt.Sprint(want) {
		t.Errorf("rounds begin %v, want %v", kinds[:len(want)], want)
	}
}
