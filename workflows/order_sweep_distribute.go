package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// sweepDistributeWaitingChange versions the sweep telling the orders that
// wait for distribution when auto-distribute is turned on. Sweeps that took
// such a settings signal before it did nothing.
const sweepDistributeWaitingChange = "sweep-distribute-waiting"

// distributeWaiting sends the new settings to every order Awaiting
// Fulfillment in BigCommerce: one that waits for distribution is then
// distributed to the auto-distribute location, the others take no action.
// An order without a running workflow is skipped: it is not waiting.
func distributeWaiting(ctx, actx workflow.Context, connectionID string, settings Settings) error {
	if workflow.GetVersion(ctx, sweepDistributeWaitingChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	var ids []int
	if err := workflow.ExecuteActivity(actx, orderActivities.ListAwaitingOrders,
		activities.ConnectionRequest{ConnectionID: connectionID}).Get(ctx, &ids); err != nil {
		return err
	}
	futures := make([]workflow.Future, 0, len(ids))
	for _, id := range ids {
		futures = append(futures, workflow.SignalExternalWorkflow(ctx, OrderWorkflowID(connectionID, id), "", OrderSettingsSignal, settings))
	}
	told := 0
	for _, f := range futures {
		if f.Get(ctx, nil) == nil {
			told++
		}
	}
	workflow.GetLogger(ctx).Info("Auto-distribute turned on; waiting orders told", "ConnectionID", connectionID, "Orders", len(ids), "Told", told)
	return nil
}
