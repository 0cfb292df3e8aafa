package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// Timeouts of ImportSalesOrder.
const (
	importTimeout          = 15 * time.Minute
	importHeartbeatTimeout = time.Minute
)

// importOrder waits until the order can be imported, then creates it in
// Heartland: customer, addresses, the sales order with its lines.
//
// Whether Heartland holds the order already (an earlier workflow's import)
// matters only for an order hrbc would not import as it stands: one in a
// status it does not sync, cancelled, or blocked. Lean runs look it up only
// then; a plain import finds it inside ImportSalesOrder, which looks up
// before it creates anyway.
func (o *order) importOrder(ctx workflow.Context) error {
	var found *activities.FindSalesOrderResult
	if !o.lean {
		var err error
		var closed bool
		if found, closed, err = o.findEarlierImport(ctx); err != nil || closed {
			return err
		}
	}
	for {
		o.consumeWakeups()
		o.holdReadForImport()
		snap, err := o.read(ctx)
		if err != nil {
			o.releaseRead(ctx)
			return err
		}
		// The import acts on all of the order as read: what it was told
		// meanwhile and saw already needs no second look.
		o.forgetChangesRead()
		if found != nil || !o.plainImport(snap) {
			// Not the import in place that would write the read with it.
			o.releaseRead(ctx)
		}
		if found == nil && !o.plainImport(snap) {
			var closed bool
			if found, closed, err = o.findEarlierImport(ctx); err != nil || closed {
				return err
			}
		}
		imported := found != nil && found.Found
		reason, wait := o.importBlocker(snap, imported)
		switch {
		case wait:
			if err := o.setStage(ctx, OrderStageWaitingStatus, ""); err != nil {
				return err
			}
			workflow.GetLogger(ctx).Info("Order status is not synced; waiting for a change", "OrderID", o.OrderID, "Status", snap.Status)
			o.settled()
			changed, err := workflow.AwaitWithTimeout(ctx, o.options.MaxStatusWait, func() bool { return o.bcChanged > o.seenBC || o.retries > o.seenRetry })
			if err != nil {
				return err
			}
			if !changed && o.rescue {
				// Still one row: a later change must reach this order, and a
				// finished run cannot be started again (the start paths refuse
				// to start a completed order anew). A fresh run keeps waiting.
				return o.continueAsNew(ctx)
			}
			if !changed {
				// An abandoned checkout or an order parked for good: nothing was
				// created, and a later change brings it back through the
				// webhook or the sweep.
				workflow.GetLogger(ctx).Info("Order never reached a synced status; giving up the wait", "OrderID", o.OrderID, "Status", snap.Status)
				return nil
			}
			continue
		case reason != "":
			if err := o.needAttention(ctx, reason); err != nil {
				return err
			}
			continue
		}
		if !o.money && !imported && (snap.StatusID == bcCancelled || snap.StatusID == bcDeclined) {
			// Nothing was ever created in Heartland, so there is nothing to
			// cancel. Runs under moneyChange record it as a canceled sale.
			return o.setStage(ctx, OrderStageCancelled, "")
		}
		if err := o.setStage(ctx, OrderStageImporting, ""); err != nil {
			return err
		}
		var done bool
		if o.lean {
			done, err = o.importInHeartland(ctx, snap)
		} else {
			done, err = o.createInHeartland(ctx, snap)
		}
		if err != nil || done {
			return err
		}
	}
}

// plainImport is true when the order is imported as it is whether or not
// Heartland has it already: nothing blocks it and it is not cancelled.
func (o *order) plainImport(snap activities.OrderSnapshot) bool {
	reason, wait := o.importBlocker(snap, false)
	return reason == "" && !wait && snap.StatusID != bcCancelled && snap.StatusID != bcDeclined
}

// findEarlierImport looks the order up in Heartland; one an earlier
// workflow imported and finished closes this run (closed=true).
func (o *order) findEarlierImport(ctx workflow.Context) (found *activities.FindSalesOrderResult, closed bool, err error) {
	found = &activities.FindSalesOrderResult{}
	if err := o.call(ctx, orderActivities.FindSalesOrder, found, activities.FindSalesOrderRequest{
		ConnectionID: o.ConnectionID, PublicID: HeartlandOrderPublicID(o.OrderID)}); err != nil {
		return nil, false, err
	}
	if found.Found && (found.Status == "closed" || found.Status == "canceled") {
		// Imported and finished by an earlier workflow whose history is gone.
		o.HeartlandOrderID = found.ID
		return found, true, o.setStage(ctx, o.finishedStage(found.Status), "")
	}
	return found, false, nil
}

// importBlocker says why the order cannot be imported now: wait=true for a
// status hrbc does not sync yet, otherwise a reason for attention.
func (o *order) importBlocker(snap activities.OrderSnapshot, imported bool) (reason string, wait bool) {
	if snap.StatusID == bcPartiallyRefunded || strings.EqualFold(snap.PaymentStatus, "partially refunded") {
		return "partially refunded in BigCommerce: not synced", false
	}
	if !imported && !slices.Contains(syncedStatuses, snap.StatusID) && !o.importsAuthorized(snap) {
		return "", true
	}
	var unsupported []string
	for _, l := range snap.Lines {
		if l.Unsupported != "" {
			unsupported = append(unsupported, fmt.Sprintf("line %q (%s): %s", l.Name, l.SKU, l.Unsupported))
		}
	}
	if len(unsupported) > 0 {
		return "unsupported: " + strings.Join(unsupported, "; "), false
	}
	for _, l := range snap.Lines {
		if l.SKU == "" {
			return fmt.Sprintf("line %q has no SKU", l.Name), false
		}
	}
	if len(snap.Lines) == 0 {
		return "order has no lines", false
	}
	if o.rescue {
		if reason := implausibleLines(snap.Lines); reason != "" {
			return reason, false
		}
	}
	return "", false
}

// MaxLineQuantity is the largest quantity of one line hrbc imports without
// a person looking first: more is far likelier a typo or an attack on the
// store's stock than a real web order, and importing it would commit (and
// then zero on the website) the whole stock of the item.
const MaxLineQuantity = 1000

// implausibleLines says which lines no real order has: a quantity that is
// not positive or above MaxLineQuantity, or a price that is negative or
// not a number. Such an order waits in attention instead of being imported.
func implausibleLines(lines []activities.OrderLine) string {
	var bad []string
	for _, l := range lines {
		switch {
		case l.Quantity <= 0 || l.Quantity > MaxLineQuantity:
			bad = append(bad, fmt.Sprintf("line %q (%s) has quantity %d (hrbc imports 1 to %d per line)", l.Name, l.SKU, l.Quantity, MaxLineQuantity))
		case negativeOrInvalid(l.UnitPrice):
			bad = append(bad, fmt.Sprintf("line %q (%s) has unit price %q (must be a number of at least 0)", l.Name, l.SKU, l.UnitPrice))
		}
	}
	if len(bad) == 0 {
		return ""
	}
	return "implausible order, check it in BigCommerce before importing: " + strings.Join(bad, "; ")
}

// negativeOrInvalid reports whether a decimal string is negative or not a
// decimal at all; empty counts as zero.
func negativeOrInvalid(price string) bool {
	if price == "" {
		return false
	}
	d, err := decimal.NewFromString(price)
	return err != nil || d.IsNegative()
}

// createInHeartland resolves SKUs and creates customer and order, one
// activity each, as runs before leanImportChange do. It returns done=false
// when a person must act first (unknown SKU).
func (o *order) createInHeartland(ctx workflow.Context, snap activities.OrderSnapshot) (bool, error) {
	skus := make([]string, 0, len(snap.Lines))
	for _, l := range snap.Lines {
		if !slices.Contains(skus, l.SKU) {
			skus = append(skus, l.SKU)
		}
	}
	var resolved activities.ResolveItemsResult
	if err := o.call(ctx, orderActivities.ResolveOrderItems, &resolved, activities.ResolveItemsRequest{ConnectionID: o.ConnectionID, SKUs: skus}); err != nil {
		return false, err
	}
	if len(resolved.Missing) > 0 {
		return false, o.needAttention(ctx, unknownSKUs(resolved.Missing))
	}
	itemOf := func(sku string) int64 {
		for _, r := range resolved.Items {
			if r.SKU == sku {
				return r.ItemID
			}
		}
		return 0
	}

	var locations []activities.Location
	if err := o.call(ctx, orderActivities.ListShipFromLocations, &locations, activities.ConnectionRequest{ConnectionID: o.ConnectionID}); err != nil {
		return false, err
	}
	o.setLocations(locations)

	var customer activities.CustomerRef
	if err := o.call(ctx, orderActivities.EnsureCustomer, &customer, activities.EnsureCustomerRequest{
		ConnectionID: o.ConnectionID, Email: snap.Email, Billing: snap.Billing, Shipping: snap.Shipping}); err != nil {
		return false, err
	}
	req := activities.EnsureSalesOrderRequest{
		ConnectionID: o.ConnectionID, PublicID: HeartlandOrderPublicID(o.OrderID), Customer: customer,
		SourceLocationID: o.settings.SourceLocationID, ShippingCharge: snap.ShippingCharge,
		Cancelled: o.cancelledSale(snap),
	}
	o.Lines = o.Lines[:0]
	for _, l := range snap.Lines {
		req.Lines = append(req.Lines, activities.SalesLine{OrderProductID: l.OrderProductID, ItemID: itemOf(l.SKU), Quantity: l.Quantity, UnitPrice: l.UnitPrice})
		o.Lines = append(o.Lines, OrderLineState{OrderProductID: l.OrderProductID, SKU: l.SKU, Name: l.Name,
			Quantity: l.Quantity, ItemID: itemOf(l.SKU), UnitPrice: l.UnitPrice})
	}
	var ref activities.SalesOrderRef
	if err := o.call(ctx, orderActivities.EnsureSalesOrder, &ref, req); err != nil {
		return false, err
	}
	if req.Cancelled {
		o.HeartlandOrderID = ref.ID
		return true, o.setStage(ctx, OrderStageCancelled, "")
	}
	return true, o.imported(ctx, snap, ref)
}

// importInHeartland creates customer and order in one activity. It returns
// done=false when a person must act first (unknown SKU).
func (o *order) importInHeartland(ctx workflow.Context, snap activities.OrderSnapshot) (bool, error) {
	req := activities.ImportSalesOrderRequest{
		ConnectionID: o.ConnectionID, PublicID: HeartlandOrderPublicID(o.OrderID), SourceLocationID: o.settings.SourceLocationID,
		Email: snap.Email, Billing: snap.Billing, Shipping: snap.Shipping, ShippingCharge: snap.ShippingCharge,
		Cancelled: o.cancelledSale(snap),
	}
	if o.importTells {
		req.TellInventory = &activities.InventoryTell{WorkflowID: InventoryWorkflowID(o.ConnectionID), Signal: InventoryChangedSignal, Source: "order opened"}
	}
	req.Stamp = o.stamps
	o.Lines = o.Lines[:0]
	for _, l := range snap.Lines {
		req.Lines = append(req.Lines, activities.ImportLine{OrderProductID: l.OrderProductID, SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice})
		o.Lines = append(o.Lines, OrderLineState{OrderProductID: l.OrderProductID, SKU: l.SKU, Name: l.Name,
			Quantity: l.Quantity, UnitPrice: l.UnitPrice})
	}
	var res activities.ImportSalesOrderResult
	if o.importInPlace(ctx, req, &res) {
		return o.importedInHeartland(ctx, snap, res)
	}
	o.releaseRead(ctx)
	// An import may wait its turn behind a flash sale's other orders (two
	// per connection at a time): a long start-to-close, and a heartbeat to
	// notice a dead worker sooner.
	importCtx := workflow.WithActivityOptions(ctx, o.activityOptions(importTimeout, importHeartbeatTimeout))
	if o.rescue {
		// A refusal is shown until a retry, which may come with fixed
		// settings: the request is then built again from the top.
		if attended, err := o.callOrAttend(importCtx, orderActivities.ImportSalesOrder, &res, req); err != nil || attended {
			return false, err
		}
	} else if err := o.callWith(importCtx, orderActivities.ImportSalesOrder, &res, req); err != nil {
		return false, err
	}
	return o.importedInHeartland(ctx, snap, res)
}

// importedInHeartland takes in what the import found or made: the order
// waits for an admin when SKUs are missing, is finished when an earlier
// workflow finished it, and moves on to distribution otherwise.
func (o *order) importedInHeartland(ctx workflow.Context, snap activities.OrderSnapshot, res activities.ImportSalesOrderResult) (bool, error) {
	if len(res.Missing) > 0 || res.Order.Status == "closed" || res.Order.Status == "canceled" {
		// Only a new import's stamp takes the held read along.
		o.releaseRead(ctx)
	}
	if len(res.Missing) > 0 {
		return false, o.needAttention(ctx, unknownSKUs(res.Missing))
	}
	if st := res.Order.Status; st == "closed" || st == "canceled" {
		// Imported and finished by an earlier workflow whose history is gone.
		o.HeartlandOrderID = res.Order.ID
		return true, o.setStage(ctx, o.finishedStage(st), "")
	}
	o.setLocations(res.Locations)
	for i, l := range res.Order.Lines {
		if i < len(o.Lines) {
			o.Lines[i].ItemID = l.ItemID
		}
	}
	return true, o.imported(ctx, snap, res.Order)
}

// setLocations keeps the Heartland locations an admin may distribute to.
func (o *order) setLocations(locs []activities.Location) {
	o.Locations = o.Locations[:0]
	for _, l := range locs {
		o.Locations = append(o.Locations, LocationRef{ID: l.ID, Name: l.Name})
	}
}

// unknownSKUs is the attention reason for SKUs no Heartland item has.
func unknownSKUs(missing []string) string {
	return "unknown SKU: " + strings.Join(missing, ", ") + " (no Heartland item with that Item #)"
}

// imported records the Heartland order and moves on to distribution.
func (o *order) imported(ctx workflow.Context, snap activities.OrderSnapshot, ref activities.SalesOrderRef) error {
	for i, l := range ref.Lines {
		if i < len(o.Lines) {
			o.Lines[i].LineID, o.Lines[i].LocationID = l.LineID, l.ShipFromLocationID
		}
	}
	o.HeartlandOrderID = ref.ID
	o.Total, o.ShippingCharge, o.OrderAddressID = snap.Total, snap.ShippingCharge, snap.OrderAddressID
	workflow.GetLogger(ctx).Info("Order imported into Heartland", "OrderID", o.OrderID, "HeartlandOrderID", ref.ID, "Created", ref.Created)
	if !o.importTells {
		o.tellInventory(ctx, "opened")
	}
	o.rememberStamp(ctx, ref)
	return o.setStage(ctx, o.resumeStage(), "")
}
