package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// OrderHeartlandMemo is the memo key under which an Order workflow keeps
// its Heartland order as its import left it (OrderHeartlandRead). The
// Heartland sweep reads it back from visibility and does not tell the
// order of a change that is only that import (activities.OrderRead
// CoversHeartland): each such word cost the order a signal, a workflow
// task and two Heartland reads. A memo late in visibility only means the
// order is told, as before.
const OrderHeartlandMemo = "hrbc_heartland_read"

// OrderHeartlandRead is what OrderHeartlandMemo holds.
type OrderHeartlandRead struct {
	HeartlandOrderID int64 `json:"heartland_order_id"`
	// UpdatedAt and Status are the order's after the import's last write,
	// read before the lines the workflow holds (activities.HeartlandStamp).
	UpdatedAt string `json:"updated_at"`
	Status    string `json:"status"`
}

// rememberStamp writes the stamp an import returned to the memo, with the
// read a run holds (holdRead). The upsert rides in the workflow task that
// records the import, beside its stage: one history event, no round trip
// of its own. The memo is written once; changes after it (hrbc's own
// writes included) are newer than its stamp, and the sweep tells the
// order of them.
func (o *order) rememberStamp(ctx workflow.Context, ref activities.SalesOrderRef) {
	memo := map[string]any{}
	read, held := o.readToRemember()
	held = held && o.holdRead
	o.holdRead = false
	if held {
		memo[OrderReadMemo] = read
	}
	if o.stamps && ref.Stamp != nil {
		memo[OrderHeartlandMemo] = OrderHeartlandRead{HeartlandOrderID: ref.ID, UpdatedAt: ref.Stamp.UpdatedAt, Status: ref.Stamp.Status}
	}
	if len(memo) == 0 {
		return
	}
	if err := workflow.UpsertMemo(ctx, memo); err != nil {
		// The memo only spares the sweep work: the order is told of its
		// import, or handed over, as before.
		workflow.GetLogger(ctx).Warn("Could not record the order's reads in its memo", "OrderID", o.OrderID, "Error", err)
		return
	}
	if held {
		o.memoRead = read
	}
}
