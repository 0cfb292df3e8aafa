package workflows

import (
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// webhookActivities is the method-value handle on the webhook activities.
var webhookActivities *activities.Webhooks

// registerWebhooks asks both platforms to send hrbc their events. A failure
// does not stop the connection (the sweeps and polls still find every
// change, only later); it is shown as the connection's attention.
func (c *connection) registerWebhooks(ctx workflow.Context) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 5},
	})
	var reg activities.WebhookRegistration
	err := workflow.ExecuteActivity(actx, webhookActivities.EnsureWebhooks,
		activities.ConnectionRequest{ConnectionID: c.ConnectionID}).Get(ctx, &reg)
	attention := ""
	if err != nil {
		attention = "webhooks not registered: " + failureReason(err)
		workflow.GetLogger(ctx).Warn("Webhooks not registered", "Error", err)
	} else if !reg.Skipped {
		workflow.GetLogger(ctx).Info("Webhooks registered", "BigCommerceCreated", reg.BigCommerceCreated,
			"BigCommerceEnabled", reg.BigCommerceEnabled, "HeartlandCreated", reg.HeartlandCreated)
	}
	c.Attention = attention
	c.publishAttention(ctx)
}

// ensureFollowers starts the workflows a connection's settings turn on and
// hands new settings to those already running. Followers are abandoned
// children: they outlive this run and continue-as-new on their own.
func (c *connection) ensureFollowers(ctx workflow.Context) {
	s := *c.Settings
	if s.OrderSync || s.InventorySync || s.CatalogMode == CatalogPull {
		c.registerWebhooks(ctx)
	}
	wasOn := func(on func(Settings) bool) bool { return c.previous != nil && on(*c.previous) }
	orderSync := func(s Settings) bool { return s.OrderSync }
	inventorySync := func(s Settings) bool { return s.InventorySync }
	switch {
	case s.OrderSync:
		c.ensureFollower(ctx, OrderSweepWorkflowID(c.ConnectionID), OrderSweep,
			OrderSweepInput{ConnectionID: c.ConnectionID, Settings: s}, SweepSettingsSignal)
		if c.sweepsHeartland(ctx) {
			c.ensureFollower(ctx, HeartlandSweepWorkflowID(c.ConnectionID), HeartlandSweep,
				HeartlandSweepInput{ConnectionID: c.ConnectionID, Settings: s, Ticks: firstHeartlandTick(c.ConnectionID)},
				HeartlandSweepSettingsSignal)
		}
	case wasOn(orderSync):
		c.tellFollower(ctx, OrderSweepWorkflowID(c.ConnectionID), SweepSettingsSignal)
		if c.sweepsHeartland(ctx) {
			c.tellFollower(ctx, HeartlandSweepWorkflowID(c.ConnectionID), HeartlandSweepSettingsSignal)
		}
	}
	pullMode := func(s Settings) bool { return s.CatalogMode == CatalogPull }
	switch {
	case pullMode(s):
		c.ensureFollower(ctx, CatalogFollowWorkflowID(c.ConnectionID), CatalogFollow,
			CatalogFollowInput{ConnectionID: c.ConnectionID, Settings: s}, CatalogSettingsSignal)
	case wasOn(pullMode):
		c.tellFollower(ctx, CatalogFollowWorkflowID(c.ConnectionID), CatalogSettingsSignal)
	}
	switch {
	case s.InventorySync:
		c.ensureFollower(ctx, InventoryWorkflowID(c.ConnectionID), InventorySync,
			InventorySyncInput{ConnectionID: c.ConnectionID, Settings: s}, InventorySettingsSignal)
	case wasOn(inventorySync):
		c.tellFollower(ctx, InventoryWorkflowID(c.ConnectionID), InventorySettingsSignal)
	}
}

// heartlandSweepChange versions the connection that starts a HeartlandSweep
// beside its OrderSweep. Runs begun before it start none; their orders
// still find their invoices by the per-order poll they were started with.
const heartlandSweepChange = "connection-heartland-sweep"

// sweepsHeartland reports whether this run starts and tells the
// HeartlandSweep.
func (c *connection) sweepsHeartland(ctx workflow.Context) bool {
	return workflow.GetVersion(ctx, heartlandSweepChange, workflow.DefaultVersion, 1) >= 1
}

// ensureFollower starts a follower, or signals it the settings when it
// runs already.
func (c *connection) ensureFollower(ctx workflow.Context, id string, wf, input any, settingsSignal string) {
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:        id,
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			ConnectionAttr.ValueSet(c.ConnectionID)),
	})
	err := workflow.ExecuteChildWorkflow(cctx, wf, input).GetChildWorkflowExecution().Get(ctx, nil)
	switch {
	case err == nil:
		workflow.GetLogger(ctx).Info("Follower workflow started", "WorkflowID", id)
	case temporal.IsWorkflowExecutionAlreadyStartedError(err):
		c.tellFollower(ctx, id, settingsSignal)
	default:
		workflow.GetLogger(ctx).Warn("Could not start follower workflow", "WorkflowID", id, "Error", err)
	}
}

// tellFollower signals the current settings to a running follower; one
// that is not running has nothing to be told.
func (c *connection) tellFollower(ctx workflow.Context, id, settingsSignal string) {
	if err := workflow.SignalExternalWorkflow(ctx, id, "", settingsSignal, *c.Settings).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Info("Follower workflow not signalled", "WorkflowID", id, "Error", err)
	}
}
