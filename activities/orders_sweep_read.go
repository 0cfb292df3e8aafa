package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"
)

// OrderRuns tells what the Order workflows of a connection have read of
// their BigCommerce orders. The worker answers it from Temporal's
// visibility store, where each Order workflow keeps its last read.
type OrderRuns interface {
	// LastRead returns, by order id, what the workflow of each of the
	// orders has read last. Orders without a workflow, or whose workflow
	// has recorded nothing, are absent.
	LastRead(ctx context.Context, connectionID string, orderIDs []int) (map[int]OrderRead, error)
}

// OrderRead is what an Order workflow has read of its BigCommerce order.
type OrderRead struct {
	// DateModified is the order's date_modified at that read (RFC 3339).
	DateModified string
	// StatusID is the order's status at that read.
	StatusID int
	// Finished is true when the workflow has completed: the order is done
	// with, and no change starts it again.
	Finished bool
	// HeartlandOrderID and Heartland are the Heartland order the workflow
	// imported and its stamp at the import; Heartland is nil when the
	// workflow recorded none.
	HeartlandOrderID int64
	Heartland        *HeartlandStamp
}

// Covers reports whether a workflow that read r has nothing to learn from
// the listed change m: it has finished, or it read the same status at the
// same date_modified or a later one. The Order workflow ignores a change
// signal by the same rule, so the sweep leaves out exactly the orders a
// hand-over would not wake.
func (r OrderRead) Covers(m ModifiedOrder) bool {
	if r.Finished {
		return true
	}
	if r.StatusID != m.StatusID || r.DateModified == "" || m.DateModified == "" {
		return false
	}
	read, err := time.Parse(time.RFC3339, r.DateModified)
	if err != nil {
		return false
	}
	listed, err := time.Parse(time.RFC3339, m.DateModified)
	return err == nil && !listed.After(read)
}

// setAsideRead splits a listing into the orders to hand over and those
// whose workflow has read that change already. When the workflows cannot
// be asked, every order is handed over: that costs the server some writes,
// and loses nothing.
func (a *Orders) setAsideRead(ctx context.Context, connectionID string, listed []ModifiedOrder) (handOver, read []ModifiedOrder) {
	if a.Runs == nil || len(listed) == 0 {
		return listed, nil
	}
	ids := make([]int, 0, len(listed))
	for _, o := range listed {
		if o.StatusID != 0 { // incomplete checkouts have no workflow
			ids = append(ids, o.OrderID)
		}
	}
	if len(ids) == 0 {
		return listed, nil
	}
	known, err := a.Runs.LastRead(ctx, connectionID, ids)
	if err != nil {
		if activity.IsActivity(ctx) {
			activity.GetLogger(ctx).Warn("Could not ask the order workflows what they have read; handing every listed order over", "ConnectionID", connectionID, "Error", err)
		}
		return listed, nil
	}
	handOver = make([]ModifiedOrder, 0, len(listed))
	for _, o := range listed {
		if r, ok := known[o.OrderID]; ok && o.StatusID != 0 && r.Covers(o) {
			read = append(read, o)
			continue
		}
		handOver = append(handOver, o)
	}
	return handOver, read
}
