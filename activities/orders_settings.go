package activities

import (
	"context"
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/activity"
)

// CurrentSettingsRequest names the workflow that holds a connection's
// settings and the query that returns them. The workflow package knows both
// names; activities cannot import it.
type CurrentSettingsRequest struct {
	ConnectionID string `json:"connection_id"`
	WorkflowID   string `json:"workflow_id"`
	Query        string `json:"query"`
}

// CurrentSettings asks the connection's workflow for its settings as they
// are now, so an order retried after an operator fixed a setting uses the
// fix instead of the settings it was started with. The answer is handed
// back as JSON for the caller to decode into its own type.
func (a *Orders) CurrentSettings(ctx context.Context, req CurrentSettingsRequest) (json.RawMessage, error) {
	v, err := activity.GetClient(ctx).QueryWorkflow(ctx, req.WorkflowID, "", req.Query)
	if err != nil {
		return nil, fmt.Errorf("read the settings of connection %q from %s: %w", req.ConnectionID, req.WorkflowID, err)
	}
	var raw json.RawMessage
	if err := v.Get(&raw); err != nil {
		return nil, fmt.Errorf("decode the settings of connection %q: %w", req.ConnectionID, err)
	}
	return raw, nil
}
