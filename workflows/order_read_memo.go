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
	if o.holdRead {
		return
	}
	read, ok := o.readToRemember()
	if !ok {
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

// readToRemember is the read the memo lacks, if any.
func (o *order) readToRemember() (OrderChange, bool) {
	if !o.readMemo || o.DateModified == "" {
		return OrderChange{}, false
	}
	read := OrderChange{DateModified: o.DateModified, StatusID: o.BigCommerceStatus}
	return read, read != o.memoRead
}

// holdReadForImport holds back the memo of the read a new order's import
// starts with, when the import will try to run in place: the stamp it
// returns is then written with it, one upsert where two (one history
// event and one visibility update fewer per order). Whatever else follows
// the read lets it go first (releaseRead).
func (o *order) holdReadForImport() {
	o.holdRead = o.oneMemo && o.inPlace && o.lean && o.HeartlandOrderID == 0
}

// releaseRead writes a held read's memo now, before the run waits on
// anything: a memo held over a wait would only have the sweep hand the
// order over for nothing.
func (o *order) releaseRead(ctx workflow.Context) {
	if o.holdRead {
		o.holdRead = false
		o.rememberRead(ctx)
	}
}
