package starter

import (
	"context"
	"fmt"

	"github.com/hrbc/hrbc/workflows"
)

// ConnectionSettings returns a connection's current settings, nil while it
// is unconfigured. It reads them from the Connection workflow's memo
// (workflows.ConnectionSettingsMemo) by describing the workflow, which the
// Temporal server answers without a worker; a run that keeps no memo (one
// begun before it), or a memo this client cannot decode, is asked by query
// as ConnectionStatus does.
func (c *Client) ConnectionSettings(ctx context.Context, connectionID string) (*workflows.Settings, error) {
	desc, err := c.temporal.DescribeWorkflowExecution(ctx, workflows.ConnectionWorkflowID(connectionID), "")
	if err != nil {
		return nil, translate(connectionID, err)
	}
	if p, ok := desc.GetWorkflowExecutionInfo().GetMemo().GetFields()[workflows.ConnectionSettingsMemo]; ok {
		var rec workflows.ConnectionSettingsRecord
		if err := c.dc.FromPayload(p, &rec); err == nil {
			return rec.Settings, nil
		}
	}
	status, err := c.ConnectionStatus(ctx, connectionID)
	if err != nil {
		return nil, fmt.Errorf("settings of connection %q: %w", connectionID, err)
	}
	return status.Settings, nil
}
