package starter

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/workflows"
)

// Sentinel errors of the inventory calls.
var (
	// ErrInventorySyncOff: the connection's settings have inventory sync off.
	ErrInventorySyncOff = errors.New("inventory sync is off")
	// ErrInventoryNotRunning: no inventory sync workflow runs for the connection.
	ErrInventoryNotRunning = errors.New("inventory sync is not running")
)

// StartInventorySync asks for a full inventory sync of a connection ("Start
// Sync"): it reads the connection's settings and signals fullSync to its
// InventorySync workflow, starting it with opts if it is not running. Non-zero
// opts also replace a running sync's options. It fails with
// ErrInventorySyncOff when the connection has inventory sync off.
func (c *Client) StartInventorySync(ctx context.Context, connectionID string, opts workflows.InventoryOptions) error {
	return c.RequestFullInventorySync(ctx, connectionID, opts, false)
}

// RequestFullInventorySync is StartInventorySync that can also confirm:
// with confirm the next full sync writes even if the guard on destructive
// writes would hold it back (`sync inventory --confirm`), and a pass the
// guard holds is released.
func (c *Client) RequestFullInventorySync(ctx context.Context, connectionID string, opts workflows.InventoryOptions, confirm bool) error {
	// The workflow would quietly floor a negative buffer; refuse it instead.
	if err := refuseInvalid(opts.Validate()); err != nil {
		return err
	}
	status, err := c.ConnectionStatus(ctx, connectionID)
	if err != nil {
		return err
	}
	if status.Settings == nil || !status.Settings.InventorySync {
		return fmt.Errorf("%w for connection %q: turn it on with `connection configure %s --inventory-sync`",
			ErrInventorySyncOff, connectionID, connectionID)
	}
	_, err = c.temporal.SignalWithStartWorkflow(ctx, workflows.InventoryWorkflowID(connectionID),
		workflows.InventoryFullSyncSignal, fullSyncRequest(opts, confirm),
		client.StartWorkflowOptions{
			ID:        workflows.InventoryWorkflowID(connectionID),
			TaskQueue: c.taskQueue,
			Priority:  fairness(connectionID),
			TypedSearchAttributes: temporal.NewSearchAttributes(
				workflows.ConnectionAttr.ValueSet(connectionID),
				workflows.StageAttr.ValueSet(workflows.StageFullSync),
			),
		},
		workflows.InventorySync, workflows.InventorySyncInput{
			ConnectionID: connectionID,
			Settings:     *status.Settings,
			Options:      opts,
		})
	if err != nil {
		return fmt.Errorf("start inventory sync of connection %q: %w", connectionID, err)
	}
	return nil
}

// InventoryProgress queries a connection's inventory sync (running or
// finished) for its progress.
func (c *Client) InventoryProgress(ctx context.Context, connectionID string) (workflows.InventoryProgress, error) {
	var p workflows.InventoryProgress
	return p, c.queryInventory(ctx, connectionID, workflows.InventoryProgressQuery, &p)
}

// InventoryUnmatched queries the SKUs the last full sync or reconciliation
// found on one side only.
func (c *Client) InventoryUnmatched(ctx context.Context, connectionID string) (workflows.InventoryUnmatched, error) {
	var u workflows.InventoryUnmatched
	return u, c.queryInventory(ctx, connectionID, workflows.InventoryUnmatchedQuery, &u)
}

// SignalInventoryChanged tells a running inventory sync that Heartland
// stock changed. It fails with ErrInventoryNotRunning, and starts nothing,
// when the connection's inventory sync is not running.
func (c *Client) SignalInventoryChanged(ctx context.Context, connectionID string, changed workflows.InventoryChanged) error {
	err := c.temporal.SignalWorkflow(ctx, workflows.InventoryWorkflowID(connectionID), "", workflows.InventoryChangedSignal, changed)
	return inventoryError(connectionID, "signal inventory sync", err)
}

// SignalInventorySettings hands new connection settings to a running
// inventory sync (what the Connection workflow does on every configure): a
// change of contributing locations starts a full resync, InventorySync off
// ends it. It fails with ErrInventoryNotRunning when none runs.
func (c *Client) SignalInventorySettings(ctx context.Context, connectionID string, settings workflows.Settings) error {
	err := c.temporal.SignalWorkflow(ctx, workflows.InventoryWorkflowID(connectionID), "", workflows.InventorySettingsSignal, settings)
	return inventoryError(connectionID, "signal inventory settings", err)
}

func (c *Client) queryInventory(ctx context.Context, connectionID, query string, out any) error {
	v, err := c.temporal.QueryWorkflow(ctx, workflows.InventoryWorkflowID(connectionID), "", query)
	if err != nil {
		return inventoryError(connectionID, "query inventory sync", err)
	}
	if err := v.Get(out); err != nil {
		return fmt.Errorf("decode %s of inventory sync %q: %w", query, connectionID, err)
	}
	return nil
}

// inventoryError maps a missing workflow to ErrInventoryNotRunning.
func inventoryError(connectionID, what string, err error) error {
	if err == nil {
		return nil
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return fmt.Errorf("%w for connection %q", ErrInventoryNotRunning, connectionID)
	}
	return fmt.Errorf("%s of connection %q: %w", what, connectionID, err)
}

// fullSyncRequest carries opts to a running sync unless they are all
// defaults, so a bare "sync inventory" keeps the options in force.
func fullSyncRequest(opts workflows.InventoryOptions, confirm bool) workflows.InventoryFullSyncRequest {
	req := workflows.InventoryFullSyncRequest{Reason: "operator", Confirm: confirm}
	if opts != (workflows.InventoryOptions{}) {
		req.Options = &opts
	}
	return req
}
