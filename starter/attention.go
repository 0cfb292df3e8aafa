package starter

import (
	"context"
	"fmt"

	workflowpb "go.temporal.io/api/workflow/v1"

	"github.com/hrbc/hrbc/workflows"
)

// AttentionQuery is the visibility query of everything that needs a person:
// running workflows with a reason, and finished catalog runs that named
// failed records (they end, but their failures still want fixing).
const AttentionQuery = "HrbcAttention != '' AND (ExecutionStatus = 'Running' OR WorkflowType = 'CatalogSync')"

// AttentionItem is one workflow that needs a person, and why.
type AttentionItem struct {
	WorkflowID   string `json:"workflow_id"`
	WorkflowType string `json:"workflow_type"`
	ConnectionID string `json:"connection_id"`
	Stage        string `json:"stage"`
	Reason       string `json:"reason"`
	// Age is how long an order has waited for distribution; empty for
	// anything else.
	Age string `json:"age,omitempty"`
}

// NeedsAttention lists every running workflow whose HrbcAttention is set:
// orders, syncs, anything that cannot proceed on its own.
func (c *Client) NeedsAttention(ctx context.Context) ([]AttentionItem, error) {
	var out []AttentionItem
	err := c.ListAll(ctx, AttentionQuery, func(e *workflowpb.WorkflowExecutionInfo) {
		out = append(out, AttentionItem{
			WorkflowID:   e.GetExecution().GetWorkflowId(),
			WorkflowType: e.GetType().GetName(),
			ConnectionID: Keyword(e, workflows.ConnectionAttr),
			Stage:        Keyword(e, workflows.StageAttr),
			Reason:       Keyword(e, workflows.AttentionAttr),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list workflows needing attention: %w", err)
	}
	return out, nil
}
