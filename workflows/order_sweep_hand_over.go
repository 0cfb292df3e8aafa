package workflows

import (
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// sweepHandsOverAtOnceChange versions the sweep that hands a page over in
// two workflow tasks, whatever its length: every order's workflow is
// started at once, then every one already running is signalled at once.
// Runs begun before it hand orders over one at a time (handOver), two
// workflow tasks each: a page of 50 was 100 round trips through the
// server, which a cluster behind on its work could not afford — the sweep
// lists more unread orders the further behind the cluster is.
const sweepHandsOverAtOnceChange = "order-sweep-hands-over-at-once"

// handOverAll hands every order over to its workflow as handOver does, all
// at once: it starts each order's workflow, then tells the ones already
// running what the listing says. An order whose run has finished is passed
// over. It returns the first error (the round then fails and reads the
// page again: handing over twice is harmless, an order ignores a state it
// has read).
func handOverAll(ctx workflow.Context, connectionID string, orders []activities.ModifiedOrder, settings Settings) error {
	starts := make([]workflow.ChildWorkflowFuture, len(orders))
	for i, mo := range orders {
		starts[i] = startOrderChild(ctx, connectionID, mo.OrderID, settings)
	}
	var running []activities.ModifiedOrder
	for i, f := range starts {
		err := f.GetChildWorkflowExecution().Get(ctx, nil)
		switch {
		case err == nil:
		case temporal.IsWorkflowExecutionAlreadyStartedError(err):
			running = append(running, orders[i])
		default:
			return fmt.Errorf("hand order %d to its workflow: %w", orders[i].OrderID, err)
		}
	}
	signals := make([]workflow.Future, len(running))
	for i, mo := range running {
		signals[i] = workflow.SignalExternalWorkflow(ctx, OrderWorkflowID(connectionID, mo.OrderID), "",
			OrderBigCommerceChangedSignal, OrderChange{DateModified: mo.DateModified, StatusID: mo.StatusID})
	}
	for i, f := range signals {
		err := f.Get(ctx, nil)
		var finished *temporal.UnknownExternalWorkflowExecutionError
		if err != nil && !errors.As(err, &finished) {
			return fmt.Errorf("tell order %d's workflow of its change: %w", running[i].OrderID, err)
		}
	}
	return nil
}

// startOrderChild starts an order's workflow as an abandoned child of the
// sweep: it outlives the sweep's run.
func startOrderChild(ctx workflow.Context, connectionID string, orderID int, settings Settings) workflow.ChildWorkflowFuture {
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:        OrderWorkflowID(connectionID, orderID),
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
		// One order, one row: an order whose run finished (and watched the
		// store for its last weeks) is not imported again.
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		TypedSearchAttributes: StartAttributes(connectionID, orderID),
	})
	return workflow.ExecuteChildWorkflow(cctx, Order, OrderInput{ConnectionID: connectionID, OrderID: orderID, Settings: settings, Published: true})
}
