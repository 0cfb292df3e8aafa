package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// CatalogLinkReport answers `starter catalog links`: which SKUs are linked
// (Heartland Item # = BigCommerce product or variant SKU), which are on one
// side only, and which cannot be linked. It writes nothing; its ID is
// CatalogWorkflowID(connection, CatalogKindLinks).
func CatalogLinkReport(ctx workflow.Context, in CatalogLinksInput) (CatalogLinksReport, error) {
	if err := workflow.UpsertTypedSearchAttributes(ctx, ConnectionAttr.ValueSet(in.ConnectionID),
		StageAttr.ValueSet(CatalogStageRunning)); err != nil {
		return CatalogLinksReport{}, err
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 30 * time.Second, MaximumAttempts: 5},
	})
	var rep CatalogLinksReport
	err := workflow.ExecuteActivity(actx, catalogActivities.CatalogLinks,
		activities.CatalogLinksRequest{ConnectionID: in.ConnectionID, MaxNames: in.MaxNames}).Get(ctx, &rep)
	if err != nil {
		return rep, fmt.Errorf("catalog links of %q: %w", in.ConnectionID, err)
	}
	attention := ""
	if rep.ProblemCount > 0 {
		attention = fmt.Sprintf("%d SKUs cannot be linked", rep.ProblemCount)
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, StageAttr.ValueSet(CatalogStageDone),
		AttentionAttr.ValueSet(attention)); err != nil {
		return rep, err
	}
	return rep, nil
}
