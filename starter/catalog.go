package starter

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/workflows"
)

// Sentinel errors of the catalog calls.
var (
	// ErrCatalogMode: the connection's catalog mode does not allow the run
	// (a push needs mode push, a pull mode pull).
	ErrCatalogMode = errors.New("catalog mode does not allow this run")
	// ErrCatalogRunning: a run of that kind is already going on.
	ErrCatalogRunning = errors.New("catalog run already running")
	// ErrCatalogNotFound: no run of that kind exists for the connection.
	ErrCatalogNotFound = errors.New("no catalog run")
)

// StartCatalogSync starts a push or pull of a connection's catalog,
// `catalog/<connection>/<kind>`, after checking that the connection's
// catalog mode is that kind (a dry run is allowed in any mode). It fails
// with ErrCatalogRunning when one runs already.
func (c *Client) StartCatalogSync(ctx context.Context, connectionID, kind string, opts workflows.CatalogRunOptions) error {
	if kind != workflows.CatalogKindPush && kind != workflows.CatalogKindPull {
		return fmt.Errorf("catalog run kind %q: want push or pull", kind)
	}
	status, err := c.ConnectionStatus(ctx, connectionID)
	if err != nil {
		return err
	}
	mode := workflows.CatalogManual
	if status.Settings != nil {
		mode = status.Settings.CatalogMode
	}
	if string(mode) != kind && !opts.DryRun {
		return fmt.Errorf("%w: connection %q is in catalog mode %s; run `connection configure %s --catalog-mode %s` first (or --dry-run)",
			ErrCatalogMode, connectionID, mode, connectionID, kind)
	}
	id := workflows.CatalogWorkflowID(connectionID, kind)
	_, err = c.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                c.taskQueue,
		Priority:                 fairness(connectionID),
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.ConnectionAttr.ValueSet(connectionID),
			workflows.StageAttr.ValueSet(workflows.CatalogStageRunning)),
	}, workflows.CatalogSync, workflows.CatalogRunInput{ConnectionID: connectionID, Kind: kind, Options: opts})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return fmt.Errorf("%w: %s", ErrCatalogRunning, id)
	}
	if err != nil {
		return fmt.Errorf("start catalog %s of %q: %w", kind, connectionID, err)
	}
	return nil
}

// CatalogProgress queries the latest catalog run of a kind, running or
// finished.
func (c *Client) CatalogProgress(ctx context.Context, connectionID, kind string) (workflows.CatalogProgress, error) {
	var p workflows.CatalogProgress
	v, err := c.temporal.QueryWorkflow(ctx, workflows.CatalogWorkflowID(connectionID, kind), "", workflows.CatalogProgressQuery)
	if err != nil {
		return p, catalogError(connectionID, kind, err)
	}
	if err := v.Get(&p); err != nil {
		return p, fmt.Errorf("decode progress of catalog %s of %q: %w", kind, connectionID, err)
	}
	return p, nil
}

// WaitCatalogSync waits for the latest run of a kind to finish and returns
// its result; a failed run returns its progress and the error.
func (c *Client) WaitCatalogSync(ctx context.Context, connectionID, kind string) (workflows.CatalogProgress, error) {
	var p workflows.CatalogProgress
	err := c.temporal.GetWorkflow(ctx, workflows.CatalogWorkflowID(connectionID, kind), "").Get(ctx, &p)
	if err != nil {
		if q, qerr := c.CatalogProgress(ctx, connectionID, kind); qerr == nil {
			p = q
		}
		return p, catalogError(connectionID, kind, err)
	}
	return p, nil
}

// CatalogLinks reports the connection's SKU links (what inventory and
// orders rely on in manual mode), running CatalogLinkReport to its end.
func (c *Client) CatalogLinks(ctx context.Context, connectionID string) (workflows.CatalogLinksReport, error) {
	var rep workflows.CatalogLinksReport
	if _, err := c.ConnectionStatus(ctx, connectionID); err != nil {
		return rep, err
	}
	run, err := c.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.CatalogWorkflowID(connectionID, workflows.CatalogKindLinks),
		TaskQueue:                c.taskQueue,
		Priority:                 fairness(connectionID),
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.ConnectionAttr.ValueSet(connectionID),
			workflows.StageAttr.ValueSet(workflows.CatalogStageRunning)),
	}, workflows.CatalogLinkReport, workflows.CatalogLinksInput{ConnectionID: connectionID})
	if err != nil {
		return rep, fmt.Errorf("start catalog links of %q: %w", connectionID, err)
	}
	if err := run.Get(ctx, &rep); err != nil {
		return rep, fmt.Errorf("catalog links of %q: %w", connectionID, err)
	}
	return rep, nil
}

// StartCatalogFollow starts a connection's CatalogFollow with in, or, when
// it runs already, hands it in.Settings. The Connection workflow does the
// same from its settings; this is for operators and tests.
func (c *Client) StartCatalogFollow(ctx context.Context, in workflows.CatalogFollowInput) error {
	id := workflows.CatalogFollowWorkflowID(in.ConnectionID)
	_, err := c.temporal.SignalWithStartWorkflow(ctx, id, workflows.CatalogSettingsSignal, in.Settings,
		client.StartWorkflowOptions{
			ID:        id,
			TaskQueue: c.taskQueue,
			Priority:  fairness(in.ConnectionID),
			TypedSearchAttributes: temporal.NewSearchAttributes(
				workflows.ConnectionAttr.ValueSet(in.ConnectionID),
				workflows.StageAttr.ValueSet(workflows.CatalogStageFollowing)),
		}, workflows.CatalogFollow, in)
	if err != nil {
		return fmt.Errorf("start catalog follow of %q: %w", in.ConnectionID, err)
	}
	return nil
}

// ProductCreated tells a connection's CatalogFollow that BigCommerce
// created a product (the store/product/created webhook). A connection
// without a running follower (not in pull mode) has nothing to do: nil.
func (c *Client) ProductCreated(ctx context.Context, connectionID string, productID int) error {
	err := c.temporal.SignalWorkflow(ctx, workflows.CatalogFollowWorkflowID(connectionID), "",
		workflows.CatalogProductCreatedSignal, workflows.ProductCreated{ProductID: productID})
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("signal product %d created to %q: %w", productID, connectionID, err)
	}
	return nil
}

// CatalogFollowStatus queries a connection's CatalogFollow.
func (c *Client) CatalogFollowStatus(ctx context.Context, connectionID string) (workflows.CatalogFollowStatus, error) {
	var st workflows.CatalogFollowStatus
	v, err := c.temporal.QueryWorkflow(ctx, workflows.CatalogFollowWorkflowID(connectionID), "", workflows.CatalogFollowStatusQuery)
	if err != nil {
		return st, catalogError(connectionID, workflows.CatalogKindFollow, err)
	}
	if err := v.Get(&st); err != nil {
		return st, fmt.Errorf("decode catalog follow status of %q: %w", connectionID, err)
	}
	return st, nil
}

// catalogError maps a missing workflow to ErrCatalogNotFound.
func catalogError(connectionID, kind string, err error) error {
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return fmt.Errorf("%w: catalog %s of %q", ErrCatalogNotFound, kind, connectionID)
	}
	return fmt.Errorf("catalog %s of %q: %w", kind, connectionID, err)
}
