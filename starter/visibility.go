package starter

import (
	"context"

	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// ListAll walks every page of a visibility query and hands each execution
// to visit. The server pages at its own size, so a caller that stopped
// after the first page would silently miss workflows on a busy namespace.
func (c *Client) ListAll(ctx context.Context, query string, visit func(*workflowpb.WorkflowExecutionInfo)) error {
	var token []byte
	for {
		resp, err := c.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return err
		}
		for _, e := range resp.GetExecutions() {
			visit(e)
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return nil
		}
	}
}

// Keyword decodes a Keyword search attribute of an execution; absent is "".
func Keyword(e *workflowpb.WorkflowExecutionInfo, key temporal.SearchAttributeKeyKeyword) string {
	p := e.GetSearchAttributes().GetIndexedFields()[key.GetName()]
	if p == nil {
		return ""
	}
	var s string
	if err := converter.GetDefaultDataConverter().FromPayload(p, &s); err != nil {
		return ""
	}
	return s
}
