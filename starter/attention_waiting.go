package starter

import (
	"context"
	"fmt"
	"time"

	workflowpb "go.temporal.io/api/workflow/v1"

	"github.com/hrbc/hrbc/workflows"
)

// DefaultDistributionWait is how long an order may wait for distribution
// before `starter errors` lists it: a day of web orders nobody distributed
// is stock promised to customers and not on its way.
const DefaultDistributionWait = 24 * time.Hour

// waitingDistributionQuery finds running orders awaiting distribution that
// started before a time. An order reaches that stage seconds after it
// starts, so its start time stands for the start of the wait.
func waitingDistributionQuery(startedBefore time.Time) string {
	return fmt.Sprintf("WorkflowType = 'Order' AND ExecutionStatus = 'Running' AND %s = '%s' AND StartTime < '%s'",
		workflows.StageAttr.GetName(), workflows.OrderStageAwaitingDistribution, startedBefore.UTC().Format(time.RFC3339))
}

// WaitingDistribution lists the orders that have waited for distribution
// longer than wait (as of now), with their age in the reason.
func (c *Client) WaitingDistribution(ctx context.Context, wait time.Duration, now time.Time) ([]AttentionItem, error) {
	var out []AttentionItem
	err := c.ListAll(ctx, waitingDistributionQuery(now.Add(-wait)), func(e *workflowpb.WorkflowExecutionInfo) {
		age := now.Sub(e.GetStartTime().AsTime())
		out = append(out, AttentionItem{
			WorkflowID:   e.GetExecution().GetWorkflowId(),
			WorkflowType: e.GetType().GetName(),
			ConnectionID: Keyword(e, workflows.ConnectionAttr),
			Stage:        workflows.OrderStageAwaitingDistribution,
			Reason:       waitingReason(age),
			Age:          age.Round(time.Second).String(),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list orders waiting for distribution: %w", err)
	}
	return out, nil
}

// waitingReason says how long an order has waited, in days and hours.
func waitingReason(age time.Duration) string {
	days, hours := int(age/(24*time.Hour)), int(age%(24*time.Hour)/time.Hour)
	return fmt.Sprintf("waiting for distribution for %dd%dh: run `starter orders distribute`", days, hours)
}
