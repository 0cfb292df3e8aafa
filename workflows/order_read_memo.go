package workflows

import "go.temporal.io/sdk/workflow"

// orderReadMemoChange versions the Order workflow keeping what it last read
// of its BigCommerce order in its memo (OrderReadMemo). Runs begun before
// it write no memo, and the sweep hands their orders over as it always did.
const orderReadMemoChange = "order-read-memo"

// OrderReadMemo is the memo key under which an Order workflow keeps the
// OrderChange it last read of its BigCommerce order. The order sweep's
// listing reads it back from visibility and leaves out the orders whose
// workflow has read the change already: handing those over would cost a
// child start and a signal on the server each, for a signal the order
// ignores (alreadyRead). A memo that is late in visibility only means the
// order is handed over as before.
const OrderReadMemo = "hrbc_bigcommerce_read"

// recordRead records what a read of the BigCommerce order found, and keeps it in
// the memo: every read goes through here, so none is missed by the sweep.
func (o *order) recordRead(ctx workflow.Context, statusID int, paymentStatus, dateModified string) {
	o.BigCommerceStatus, o.PaymentStatus, o.DateModified = statusID, paymentStatus, dateModified
	o.rememberRead(ctx)
}

// rememberRead writes the state of the BigCommerce order this run has read
// to the memo, when it differs from what the memo holds. The upsert rides
// in the workflow task that acts on the read, so it adds a history event
// and a visibility update but no round trip of its own.
func (o *order) rememberRead(ctx workflow.Context) {
	if !o.readMemo || o.DateModified == "" {
		return
	}
	read := OrderChange{DateModified: o.DateModified, StatusID: o.BigCommerceStatus}
	if read == o.memoRead {
		return
	}
	if err := workflow.UpsertMemo(ctx, map[string]any{OrderReadMemo: read}); err != nil {
		// The memo only spares the sweep work; without it the order is
		// handed over and ignores what it knows.
		workflow.GetLogger(ctx).Warn("Could not record the order's last read in its memo", "OrderID", o.OrderID, "Error", err)
		return
	}
	o.memoRead = read
}
