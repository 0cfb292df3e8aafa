package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/hrbc/hrbc/activities/heartland"
)

// CoversHeartland reports whether a workflow that read r has nothing to
// learn from a Heartland change c of its order, listed with updatedAt: it
// has finished, or c is no more than the order its import left, as the
// import's stamp recorded it (same order and status, updated no later, no
// invoice). Most changes a sweep lists are hrbc's own imports; telling
// their orders cost each a signal, a workflow task and two Heartland
// reads, for nothing. A change by anyone stamped in the stamp's own second
// is in the lines the order holds, read a second later (stampSettle).
func (r OrderRead) CoversHeartland(c HeartlandOrderChange, updatedAt time.Time) bool {
	if r.Finished {
		return true
	}
	h := r.Heartland
	if h == nil || len(c.InvoiceIDs) > 0 || updatedAt.IsZero() ||
		r.HeartlandOrderID != c.HeartlandOrderID || h.Status != c.Status {
		return false
	}
	stamped, err := time.Parse(time.RFC3339, h.UpdatedAt)
	return err == nil && !updatedAt.After(stamped)
}

// setAsideKnown leaves out of a round's changes those whose workflow knows
// them already (OrderRead.CoversHeartland), and counts them. Only changes
// of the order itself are asked about; one with invoices always goes.
// When the workflows cannot be asked, every change goes: the orders read
// Heartland for nothing, as they did before, and nothing is lost.
func (a *Orders) setAsideKnown(ctx context.Context, connectionID string, changes []HeartlandOrderChange, listed map[int64]heartland.SalesOrder) ([]HeartlandOrderChange, int) {
	if a.Runs == nil {
		return changes, 0
	}
	var ids []int
	for _, c := range changes {
		if len(c.InvoiceIDs) == 0 {
			ids = append(ids, c.OrderID)
		}
	}
	if len(ids) == 0 {
		return changes, 0
	}
	known, err := a.Runs.LastRead(ctx, connectionID, ids)
	if err != nil {
		if activity.IsActivity(ctx) {
			activity.GetLogger(ctx).Warn("Could not ask the order workflows what they know of Heartland; telling every changed order", "ConnectionID", connectionID, "Error", err)
		}
		return changes, 0
	}
	tell := make([]HeartlandOrderChange, 0, len(changes))
	for _, c := range changes {
		if r, ok := known[c.OrderID]; ok && r.CoversHeartland(c, listed[c.HeartlandOrderID].UpdatedAt) {
			continue
		}
		tell = append(tell, c)
	}
	return tell, len(changes) - len(tell)
}
