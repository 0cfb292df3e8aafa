package worker

import (
	"context"
	"fmt"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/workflows"
)

// OrderRuns answers activities.OrderRuns from Temporal's visibility store:
// one list query for a page of orders, reading the memo each Order
// workflow keeps of its last read (workflows.OrderReadMemo).
type OrderRuns struct {
	// Client lists the workflows.
	Client client.Client
	// DataConverter decodes the memos; it must be the one the workers
	// write them with (payloads are encrypted). Nil means the SDK default.
	DataConverter converter.DataConverter
}

// LastRead implements activities.OrderRuns. Only running and completed
// workflows count: a failed or terminated one is started afresh by the
// sweep's hand-over, which must happen.
func (r OrderRuns) LastRead(ctx context.Context, connectionID string, orderIDs []int) (map[int]activities.OrderRead, error) {
	query, err := lastReadQuery(connectionID, orderIDs)
	if err != nil {
		return nil, err
	}
	dc := r.DataConverter
	if dc == nil {
		dc = converter.GetDefaultDataConverter()
	}
	out := make(map[int]activities.OrderRead, len(orderIDs))
	req := &workflowservice.ListWorkflowExecutionsRequest{Query: query, PageSize: int32(max(len(orderIDs), 100))}
	for {
		resp, err := r.Client.ListWorkflow(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("list the order workflows of connection %s: %w", connectionID, err)
		}
		for _, ex := range resp.GetExecutions() {
			conn, orderID, ok := workflows.ParseOrderWorkflowID(ex.GetExecution().GetWorkflowId())
			if !ok || conn != connectionID {
				continue
			}
			if prev := out[orderID]; prev.Finished {
				continue
			}
			switch ex.GetStatus() {
			case enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
				out[orderID] = activities.OrderRead{Finished: true}
			case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
				read, ok, err := memoRead(dc, ex.GetMemo().GetFields(), ex.GetExecution().GetWorkflowId())
				if err != nil {
					return nil, err
				}
				if ok {
					out[orderID] = read
				}
			}
		}
		if len(resp.GetNextPageToken()) == 0 {
			return out, nil
		}
		req.NextPageToken = resp.GetNextPageToken()
	}
}

// memoRead decodes what a running Order workflow keeps in its memo of its
// BigCommerce order (workflows.OrderReadMemo) and of its Heartland order
// (workflows.OrderHeartlandMemo); ok is false when it keeps neither.
func memoRead(dc converter.DataConverter, fields map[string]*commonpb.Payload, workflowID string) (read activities.OrderRead, ok bool, err error) {
	if p, has := fields[workflows.OrderReadMemo]; has {
		var bc workflows.OrderChange
		if err := dc.FromPayload(p, &bc); err != nil {
			return read, false, fmt.Errorf("read memo %s of workflow %s: %w", workflows.OrderReadMemo, workflowID, err)
		}
		read.DateModified, read.StatusID, ok = bc.DateModified, bc.StatusID, true
	}
	if p, has := fields[workflows.OrderHeartlandMemo]; has {
		var hl workflows.OrderHeartlandRead
		if err := dc.FromPayload(p, &hl); err != nil {
			return read, false, fmt.Errorf("read memo %s of workflow %s: %w", workflows.OrderHeartlandMemo, workflowID, err)
		}
		read.HeartlandOrderID, read.Heartland, ok = hl.HeartlandOrderID, &activities.HeartlandStamp{UpdatedAt: hl.UpdatedAt, Status: hl.Status}, true
	}
	return read, ok, nil
}

// lastReadQuery is the visibility query for the running and completed
// Order workflows of some orders of a connection.
func lastReadQuery(connectionID string, orderIDs []int) (string, error) {
	if strings.ContainsAny(connectionID, `'"\`) {
		return "", fmt.Errorf("connection id %q cannot be quoted in a visibility query", connectionID)
	}
	ids := make([]string, 0, len(orderIDs))
	for _, id := range orderIDs {
		ids = append(ids, "'"+workflows.OrderWorkflowID(connectionID, id)+"'")
	}
	return fmt.Sprintf("WorkflowType = 'Order' AND WorkflowId IN (%s) AND ExecutionStatus IN ('Running', 'Completed')",
		strings.Join(ids, ", ")), nil
}
