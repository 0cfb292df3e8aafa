package starter

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/workflows"
)

// Sentinel errors of order calls.
var (
	// ErrOrderNotFound: no workflow holds that order.
	ErrOrderNotFound = errors.New("order not found")
	// ErrOrderRejected: the order refused the update (see the message).
	ErrOrderRejected = errors.New("order refused the request")
	// ErrOrderFinished: the order's workflow completed (closed, cancelled,
	// resolved, and past the weeks it watches the store): it is not
	// started again.
	ErrOrderFinished = errors.New("order finished")
)

// OrderChanged tells an order's workflow that the BigCommerce order changed,
// starting the workflow if it does not run: every intake path (webhook,
// sweep, operator) meets the same workflow, so an order is imported once.
// An order whose workflow completed is not started again: ErrOrderFinished.
func (c *Client) OrderChanged(ctx context.Context, connectionID string, orderID int, settings workflows.Settings) error {
	id := workflows.OrderWorkflowID(connectionID, orderID)
	_, err := c.temporal.SignalWithStartWorkflow(ctx, id, workflows.OrderBigCommerceChangedSignal, nil,
		client.StartWorkflowOptions{
			ID:        id,
			TaskQueue: c.taskQueue,
			Priority:  fairness(connectionID),
			// One order, one row: a finished order's run watches the store
			// for its last weeks and ends; a webhook after that must not
			// import it again. A run that failed or was terminated may be
			// started afresh.
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
			TypedSearchAttributes: workflows.StartAttributes(connectionID, orderID),
		},
		workflows.Order, workflows.OrderInput{ConnectionID: connectionID, OrderID: orderID, Settings: settings, Published: true})
	return orderStartError(err, "signal-with-start", connectionID, orderID)
}

// orderStartError names what a start of an order's workflow ran into: a
// finished run is ErrOrderFinished, anything else says what was tried.
func orderStartError(err error, tried, connectionID string, orderID int) error {
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return fmt.Errorf("%w: order %d of %q (workflow %s)", ErrOrderFinished, orderID, connectionID, workflows.OrderWorkflowID(connectionID, orderID))
	}
	if err != nil {
		return fmt.Errorf("%s order %d of %q: %w", tried, orderID, connectionID, err)
	}
	return nil
}

// OrderCreated starts the workflow of an order BigCommerce just reported
// created. A new order needs no signal, only a start, and a start can hand
// the order's first workflow task straight to this process's worker (eager
// start), where a signal-with-start leaves it to the server's task queues:
// the order's history is a signal shorter and the server makes one write
// and one dispatch fewer per order. A workflow already running for the
// order (the sweep or another delivery came first) read the order after it
// was created and is left alone; one that finished is ErrOrderFinished, as
// in OrderChanged.
func (c *Client) OrderCreated(ctx context.Context, connectionID string, orderID int, settings workflows.Settings) error {
	_, err := c.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.OrderWorkflowID(connectionID, orderID),
		TaskQueue:                c.taskQueue,
		Priority:                 fairness(connectionID),
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// A finished order's run must come back as an error, not as a
		// handle on the old run.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		// Taken only when this client's own worker polls the task queue
		// and has a free slot; otherwise the start goes the usual way.
		EnableEagerStart:      true,
		TypedSearchAttributes: workflows.StartAttributes(connectionID, orderID),
	}, workflows.Order, workflows.OrderInput{ConnectionID: connectionID, OrderID: orderID, Settings: settings, Published: true})
	return orderStartError(err, "start", connectionID, orderID)
}

// HeartlandChanged tells a running order's workflow to look for new
// invoices now; an order without a running workflow has nothing to learn.
func (c *Client) HeartlandChanged(ctx context.Context, connectionID string, orderID int) error {
	err := c.temporal.SignalWorkflow(ctx, workflows.OrderWorkflowID(connectionID, orderID), "", workflows.OrderHeartlandChangedSignal, nil)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil
	}
	return err
}

// OrderStatus queries an order's workflow.
func (c *Client) OrderStatus(ctx context.Context, connectionID string, orderID int) (workflows.OrderState, error) {
	v, err := c.temporal.QueryWorkflow(ctx, workflows.OrderWorkflowID(connectionID, orderID), "", workflows.OrderStatusQuery)
	if err != nil {
		return workflows.OrderState{}, translateOrder(orderID, err)
	}
	var st workflows.OrderState
	if err := v.Get(&st); err != nil {
		return workflows.OrderState{}, fmt.Errorf("decode status of order %d: %w", orderID, err)
	}
	return st, nil
}

// DistributeOrder assigns ship-from locations to an order's lines.
func (c *Client) DistributeOrder(ctx context.Context, connectionID string, orderID int, req workflows.DistributeOrderRequest) (workflows.OrderState, error) {
	return c.updateOrder(ctx, connectionID, orderID, workflows.OrderDistributeUpdate, req)
}

// RetryOrder resumes an order that needs attention.
func (c *Client) RetryOrder(ctx context.Context, connectionID string, orderID int) (workflows.OrderState, error) {
	return c.updateOrder(ctx, connectionID, orderID, workflows.OrderRetryUpdate)
}

func (c *Client) updateOrder(ctx context.Context, connectionID string, orderID int, name string, args ...any) (workflows.OrderState, error) {
	handle, err := c.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.OrderWorkflowID(connectionID, orderID),
		UpdateName:   name,
		Args:         args,
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return workflows.OrderState{}, translateOrder(orderID, err)
	}
	var st workflows.OrderState
	if err := handle.Get(ctx, &st); err != nil {
		return workflows.OrderState{}, translateOrder(orderID, err)
	}
	return st, nil
}

func translateOrder(orderID int, err error) error {
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return fmt.Errorf("%w: %d", ErrOrderNotFound, orderID)
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return fmt.Errorf("%w: %s", ErrOrderRejected, appErr.Message())
	}
	return fmt.Errorf("order %d: %w", orderID, err)
}

// OrderSummary is one order as the visibility store lists it.
type OrderSummary struct {
	ConnectionID     string `json:"connection_id"`
	OrderID          int    `json:"order_id"`
	Stage            string `json:"stage"`
	Attention        string `json:"attention,omitempty"`
	HeartlandOrderID string `json:"heartland_order_id,omitempty"`
	// Running is false once the workflow has ended (closed, cancelled).
	Running bool `json:"running"`
}

// OrderFilter narrows ListOrders.
type OrderFilter struct {
	// ConnectionID limits to one connection; empty lists all.
	ConnectionID string
	// Stage limits to one stage.
	Stage string
	// Attention lists only orders that need a person.
	Attention bool
}

// Query is the visibility query of the filter, the same one an operator
// can paste into the Temporal UI.
func (f OrderFilter) Query() string {
	// A run that continued as new is the same order as its successor.
	parts := []string{"WorkflowType = 'Order'", "ExecutionStatus != 'ContinuedAsNew'"}
	if f.ConnectionID != "" {
		parts = append(parts, workflows.ConnectionAttr.GetName()+" = "+quote(f.ConnectionID))
	}
	if f.Stage != "" {
		parts = append(parts, workflows.StageAttr.GetName()+" = "+quote(f.Stage))
	}
	if f.Attention {
		parts = append(parts, workflows.AttentionAttr.GetName()+" != ''")
	}
	return strings.Join(parts, " AND ")
}

// quote makes a visibility-query string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }

// ListOrders lists orders from the visibility store, newest first.
func (c *Client) ListOrders(ctx context.Context, f OrderFilter) ([]OrderSummary, error) {
	var out []OrderSummary
	seen := map[string]bool{}
	err := c.ListAll(ctx, f.Query(), func(e *workflowpb.WorkflowExecutionInfo) {
		conn, id, ok := workflows.ParseOrderWorkflowID(e.GetExecution().GetWorkflowId())
		if !ok || seen[e.GetExecution().GetWorkflowId()] {
			// Runs from before one order was one run: the newest stands for
			// the order (the list is newest first).
			return
		}
		seen[e.GetExecution().GetWorkflowId()] = true
		out = append(out, OrderSummary{
			ConnectionID:     conn,
			OrderID:          id,
			Stage:            Keyword(e, workflows.StageAttr),
			Attention:        Keyword(e, workflows.AttentionAttr),
			HeartlandOrderID: Keyword(e, workflows.HeartlandOrderIDAttr),
			Running:          e.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING,
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list orders (%s): %w", f.Query(), err)
	}
	return out, nil
}

// HeartlandOrderChanged finds the running order workflow that carries a
// Heartland sales order (by the HrbcHeartlandOrderID search attribute) and
// tells it to look for new invoices now. Heartland's webhooks name its own
// order id, not BigCommerce's, so the visibility store translates.
func (c *Client) HeartlandOrderChanged(ctx context.Context, connectionID string, heartlandOrderID int64) error {
	query := fmt.Sprintf("WorkflowType = 'Order' AND ExecutionStatus = 'Running' AND %s = %s AND %s = %s",
		workflows.ConnectionAttr.GetName(), quote(connectionID),
		workflows.HeartlandOrderIDAttr.GetName(), quote(strconv.FormatInt(heartlandOrderID, 10)))
	resp, err := c.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query})
	if err != nil {
		return fmt.Errorf("find the order of Heartland order %d: %w", heartlandOrderID, err)
	}
	for _, e := range resp.GetExecutions() {
		conn, id, ok := workflows.ParseOrderWorkflowID(e.GetExecution().GetWorkflowId())
		if !ok {
			continue
		}
		if err := c.HeartlandChanged(ctx, conn, id); err != nil {
			return err
		}
	}
	return nil
}
