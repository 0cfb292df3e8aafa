package starter

import (
	"context"
	"fmt"
	"slices"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/workflows"
)

// startConnectionOperation starts a connection's workflow, unconfigured,
// for an update-with-start; a running one is used as it is.
func (c *Client) startConnectionOperation(connectionID string) client.WithStartWorkflowOperation {
	return c.temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       workflows.ConnectionWorkflowID(connectionID),
		TaskQueue:                c.taskQueue,
		Priority:                 fairness(connectionID),
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.ConnectionAttr.ValueSet(connectionID),
			workflows.StageAttr.ValueSet(workflows.StageUnconfigured),
		),
	}, workflows.Connection, workflows.ConnectionInput{ConnectionID: connectionID})
}

// CreateConnection starts a connection's entity workflow with settings, in
// one atomic update-with-start. It fails with ErrConnectionExists when the
// connection is already configured, and leaves it untouched.
func (c *Client) CreateConnection(ctx context.Context, connectionID string, settings workflows.Settings) (workflows.ConnectionStatus, error) {
	// Checked here too, so a bad ID never starts a workflow under it.
	if err := refuseInvalid(workflows.ValidateConnectionID(connectionID)); err != nil {
		return workflows.ConnectionStatus{}, err
	}
	start := c.startConnectionOperation(connectionID)
	handle, err := c.temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			WorkflowID:   workflows.ConnectionWorkflowID(connectionID),
			UpdateName:   workflows.ConfigureUpdate,
			Args:         []any{workflows.ConfigureRequest{Settings: settings, CreateOnly: true}},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	if err != nil {
		return workflows.ConnectionStatus{}, translate(connectionID, err)
	}
	var status workflows.ConnectionStatus
	return status, translate(connectionID, handle.Get(ctx, &status))
}

// ConfigureConnection replaces a connection's settings. With a positive
// expectedVersion it fails with ErrVersionConflict if someone else changed
// the connection first.
func (c *Client) ConfigureConnection(ctx context.Context, connectionID string, settings workflows.Settings, expectedVersion int) (workflows.ConnectionStatus, error) {
	handle, err := c.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.ConnectionWorkflowID(connectionID),
		UpdateName:   workflows.ConfigureUpdate,
		Args:         []any{workflows.ConfigureRequest{Settings: settings, ExpectedVersion: expectedVersion}},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return workflows.ConnectionStatus{}, translate(connectionID, err)
	}
	var status workflows.ConnectionStatus
	return status, translate(connectionID, handle.Get(ctx, &status))
}

// ConnectionStatus queries a connection's status, settings included.
func (c *Client) ConnectionStatus(ctx context.Context, connectionID string) (workflows.ConnectionStatus, error) {
	v, err := c.temporal.QueryWorkflow(ctx, workflows.ConnectionWorkflowID(connectionID), "", workflows.StatusQuery)
	if err != nil {
		return workflows.ConnectionStatus{}, translate(connectionID, err)
	}
	var status workflows.ConnectionStatus
	if err := v.Get(&status); err != nil {
		return workflows.ConnectionStatus{}, fmt.Errorf("decode status of connection %q: %w", connectionID, err)
	}
	return status, nil
}

// ListConnections returns the IDs of running connections, sorted, from the
// visibility store (which may lag a moment behind a create).
func (c *Client) ListConnections(ctx context.Context) ([]string, error) {
	var ids []string
	err := c.ListAll(ctx, "WorkflowType = 'Connection' AND ExecutionStatus = 'Running'", func(e *workflowpb.WorkflowExecutionInfo) {
		if id := workflows.ConnectionIDFromWorkflowID(e.GetExecution().GetWorkflowId()); id != "" {
			ids = append(ids, id)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("list connections: %w", err)
	}
	slices.SortFunc(ids, strings.Compare)
	return slices.Compact(ids), nil
}
