package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/workflows"
)

// readHistory reads the history of a workflow's current (or last) run.
func readHistory(ctx context.Context, c client.Client, workflowID string) (*historypb.History, error) {
	hist := &historypb.History{}
	it := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", workflowID, err)
		}
		hist.Events = append(hist.Events, ev)
	}
	return hist, nil
}

// EventStats summarises history sizes.
type EventStats struct {
	Workflows int     `json:"workflows"`
	Mean      float64 `json:"mean"`
	Min       int     `json:"min"`
	Max       int     `json:"max"`
	// Actions is the mean of Temporal Cloud's billable actions per
	// workflow, heartbeats estimated (costOf), from its first event to its
	// last.
	Actions float64 `json:"mean_actions"`
}

// countHistories sums the histories of workflows.
func countHistories(ctx context.Context, c client.Client, ids []string) (EventStats, error) {
	var st EventStats
	total, actions := 0, 0
	for _, id := range ids {
		hist, err := readHistory(ctx, c, id)
		if err != nil {
			return st, err
		}
		n := len(hist.Events)
		if n > 0 {
			cost := costOf(hist.Events, 0, hist.Events[0].GetEventTime().AsTime(), hist.Events[n-1].GetEventTime().AsTime())
			actions += cost.Actions + cost.Heartbeats
		}
		if st.Workflows == 0 || n < st.Min {
			st.Min = n
		}
		st.Max = max(st.Max, n)
		st.Workflows++
		total += n
	}
	st.Mean = Ratio(total, st.Workflows)
	st.Actions = Ratio(actions, st.Workflows)
	return st, nil
}

// orderHistorySample is how many orders bench cluster --stores reads the
// history of: enough for a stable mean, few enough to read in seconds.
const orderHistorySample = 200

// sampleKeys picks at most n of keys, evenly spread, in their order.
func sampleKeys(keys []int, n int) []int {
	if len(keys) <= n {
		return keys
	}
	out := make([]int, 0, n)
	for i := range n {
		out = append(out, keys[i*len(keys)/n])
	}
	return out
}

// orderHistories sums the histories of the orders behind Watch keys
// (storeKey) of the stores.
func orderHistories(ctx context.Context, c client.Client, stores []store, keys []int) (EventStats, error) {
	ids := make([]string, 0, len(keys))
	for _, k := range keys {
		i, orderID := splitStoreKey(k)
		if i >= len(stores) {
			return EventStats{}, fmt.Errorf("order key %d names store %d of %d", k, i, len(stores))
		}
		ids = append(ids, workflows.OrderWorkflowID(stores[i].conn.ID, orderID))
	}
	return countHistories(ctx, c, ids)
}

// connectionWorkflowsCost counts the events, and the billable actions
// among them, that the connections' own workflows (idleKinds: connection,
// inventory sync, both sweeps, catalog follower) wrote between from and to: what the
// orders of that time cost beyond their own histories (the inventory sync
// told of each import's stock, the sweeps' rounds), their idle cost
// included. Only each workflow's current run is read; one that does not
// exist counts nothing.
func connectionWorkflowsCost(ctx context.Context, c client.Client, connectionIDs []string, from, to time.Time) (historyCost, error) {
	var total historyCost
	for _, conn := range connectionIDs {
		for _, k := range idleKinds {
			hist, err := readHistory(ctx, c, k.id(conn))
			var notFound *serviceerror.NotFound
			if errors.As(err, &notFound) {
				continue
			}
			if err != nil {
				return total, err
			}
			cost := costBetween(hist.Events, from, to)
			total.Events += cost.Events
			total.Actions += cost.Actions
			total.Heartbeats += cost.Heartbeats
		}
	}
	return total, nil
}

// costBetween is the cost (costOf) of the events of a history stamped
// from from to to; the events before are read for the activities running
// at from.
func costBetween(evs []*historypb.HistoryEvent, from, to time.Time) historyCost {
	last := len(evs)
	for last > 0 && evs[last-1].GetEventTime().AsTime().After(to) {
		last--
	}
	first := 0
	for first < last && evs[first].GetEventTime().AsTime().Before(from) {
		first++
	}
	return costOf(evs[:last], first, from, to)
}
