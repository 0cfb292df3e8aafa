package main

import (
	"context"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// historyEvents counts the events in the history of a workflow's current
// (or last) run.
func historyEvents(ctx context.Context, c client.Client, workflowID string) (int, error) {
	it := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	n := 0
	for it.HasNext() {
		if _, err := it.Next(); err != nil {
			return n, fmt.Errorf("history of %s: %w", workflowID, err)
		}
		n++
	}
	return n, nil
}

// EventStats summarises history sizes.
type EventStats struct {
	Workflows int     `json:"workflows"`
	Mean      float64 `json:"mean"`
	Min       int     `json:"min"`
	Max       int     `json:"max"`
}

// countHistories sums the histories of workflows.
func countHistories(ctx context.Context, c client.Client, ids []string) (EventStats, error) {
	var st EventStats
	total := 0
	for _, id := range ids {
		n, err := historyEvents(ctx, c, id)
		if err != nil {
			return st, err
		}
		if st.Workflows == 0 || n < st.Min {
			st.Min = n
		}
		st.Max = max(st.Max, n)
		st.Workflows++
		total += n
	}
	st.Mean = Ratio(total, st.Workflows)
	return st, nil
}
