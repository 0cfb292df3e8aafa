package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// BigCommerce order statuses the Order workflow acts on.
const (
	bcShipped            = 2
	bcPartiallyShipped   = 3
	bcCancelled          = 5
	bcDeclined           = 6
	bcAwaitingFulfilment = 11
	bcPartiallyRefunded  = 14
)

// syncedStatuses are the statuses in which a not yet imported order is
// brought to Heartland; any other status waits for the next change.
var syncedStatuses = []int{bcAwaitingFulfilment, bcCancelled, bcDeclined, bcShipped}

// orderActivities is the method-value handle on the order activities; the
// worker registers a real *activities.Orders under the same names.
var orderActivities *activities.Orders

// order is the state and the machinery of one Order workflow run.
type order struct {
	OrderState
	settings Settings
	options  OrderOptions

	bcChanged, seenBC  int
	hlChanged, seenHL  int
	retries, seenRetry int
	// distributing is true while a distribute update writes to Heartland.
	distributing bool
}

// Order carries one BigCommerce order from import to closed: it creates the
// Heartland sales order, waits for (or performs) distribution, turns every
// Heartland invoice into a BigCommerce shipment, captures the payment and
// closes both sides. Whatever it cannot do is shown as HrbcAttention with
// the reason, and resumes on the retry update.
func Order(ctx workflow.Context, in OrderInput) error {
	o := &order{settings: in.Settings, options: in.Options.withDefaults()}
	if in.Resume != nil {
		o.OrderState = *in.Resume
	} else {
		o.OrderState = OrderState{ConnectionID: in.ConnectionID, OrderID: in.OrderID, Stage: OrderStageImporting}
	}
	if err := o.listen(ctx); err != nil {
		return err
	}
	if err := o.publish(ctx); err != nil {
		return err
	}

	var err error
	switch o.Stage {
	case OrderStageImporting, OrderStageWaitingStatus, OrderStageAttention:
		if o.HeartlandOrderID == 0 {
			if err = o.importOrder(ctx); err != nil {
				return o.finish(ctx, err)
			}
		}
	}
	if o.Stage == OrderStageClosed || o.Stage == OrderStageCancelled || o.HeartlandOrderID == 0 {
		// Finished already, cancelled before import, or never synced.
		return o.finish(ctx, nil)
	}
	if !o.allDistributed() {
		if err = o.distribute(ctx); err != nil {
			return o.finish(ctx, err)
		}
	}
	if o.Stage == OrderStageCancelled {
		return o.finish(ctx, nil)
	}
	return o.finish(ctx, o.fulfill(ctx))
}

// finish lets accepted updates complete before the run ends, so no caller
// is left without an answer.
func (o *order) finish(ctx workflow.Context, err error) error {
	var can *workflow.ContinueAsNewError
	if err != nil && !errors.As(err, &can) && !temporal.IsCanceledError(err) {
		return err
	}
	if werr := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); werr != nil {
		return werr
	}
	return err
}

// listen installs the signal, update and query handlers.
func (o *order) listen(ctx workflow.Context) error {
	bc := workflow.GetSignalChannel(ctx, OrderBigCommerceChangedSignal)
	hl := workflow.GetSignalChannel(ctx, OrderHeartlandChangedSignal)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			sel := workflow.NewSelector(ctx)
			sel.AddReceive(bc, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil); o.bcChanged++ })
			sel.AddReceive(hl, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil); o.hlChanged++ })
			sel.Select(ctx)
		}
	})
	if err := workflow.SetQueryHandler(ctx, OrderStatusQuery, func() (OrderState, error) {
		return o.OrderState, nil
	}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, OrderRetryUpdate,
		func(ctx workflow.Context) (OrderState, error) {
			o.retries++
			return o.OrderState, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(workflow.Context) error {
			if o.Attention == "" {
				return temporal.NewApplicationError(fmt.Sprintf("order %d needs no retry (stage %s)", o.OrderID, o.Stage), ErrTypeNothingToRetry)
			}
			return nil
		}}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, OrderDistributeUpdate, o.handleDistribute,
		workflow.UpdateHandlerOptions{Validator: o.validateDistribute})
}

// publish writes the stage, the attention reason and both order ids to
// the search attributes the Temporal UI lists orders by.
func (o *order) publish(ctx workflow.Context) error {
	updates := []temporal.SearchAttributeUpdate{
		ConnectionAttr.ValueSet(o.ConnectionID),
		StageAttr.ValueSet(o.Stage),
		BigCommerceOrderIDAttr.ValueSet(fmt.Sprint(o.OrderID)),
		AttentionAttr.ValueSet(o.Attention),
	}
	if o.HeartlandOrderID != 0 {
		updates = append(updates, HeartlandOrderIDAttr.ValueSet(fmt.Sprint(o.HeartlandOrderID)))
	}
	return workflow.UpsertTypedSearchAttributes(ctx, updates...)
}

func (o *order) setStage(ctx workflow.Context, stage, attention string) error {
	if o.Stage == stage && o.Attention == attention {
		return nil
	}
	o.Stage, o.Attention = stage, attention
	if attention != "" {
		workflow.GetLogger(ctx).Warn("Order needs attention", "OrderID", o.OrderID, "Reason", attention)
	}
	return o.publish(ctx)
}

func (o *order) activityContext(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Minute,
			// About an hour and a half of transient failures, then a person
			// is asked to look; a retry starts the count again.
			MaximumAttempts: 20,
		},
	})
}

// call runs one activity; when it fails for good the order shows the
// reason as attention and waits for a retry, then runs it again.
func (o *order) call(ctx workflow.Context, activity any, result any, args ...any) error {
	for {
		f := workflow.ExecuteActivity(o.activityContext(ctx), activity, args...)
		err := f.Get(ctx, result)
		if err == nil {
			return nil
		}
		if temporal.IsCanceledError(err) || ctx.Err() != nil {
			return err
		}
		prev := o.Stage
		if err := o.needAttention(ctx, failureReason(err)); err != nil {
			return err
		}
		if err := o.setStage(ctx, prev, ""); err != nil {
			return err
		}
	}
}

// resumeStage is where an order stands when attention is cleared.
func (o *order) resumeStage() string {
	switch {
	case o.HeartlandOrderID == 0:
		return OrderStageImporting
	case !o.allDistributed() && !o.settings.OutsideFulfillment:
		return OrderStageAwaitingDistribution
	}
	return OrderStageFulfilling
}

// needAttention shows reason and waits for a retry or a change of the
// BigCommerce order, which may have fixed the cause.
func (o *order) needAttention(ctx workflow.Context, reason string) error {
	if err := o.setStage(ctx, OrderStageAttention, reason); err != nil {
		return err
	}
	// Only what happens from now on counts: an older, already handled
	// wake-up must not send the order round again at once.
	retries, changes := o.retries, o.bcChanged
	return workflow.Await(ctx, func() bool { return o.retries > retries || o.bcChanged > changes })
}

// consumeWakeups marks every pending signal and retry as seen.
func (o *order) consumeWakeups() {
	o.seenBC, o.seenHL, o.seenRetry = o.bcChanged, o.hlChanged, o.retries
}

// failureReason is the message a person reads: the API's own words.
func failureReason(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	var actErr *temporal.ActivityError
	if errors.As(err, &actErr) && actErr.Unwrap() != nil {
		return actErr.Unwrap().Error()
	}
	return err.Error()
}

// read reads the BigCommerce order and records what it says.
func (o *order) read(ctx workflow.Context) (activities.OrderSnapshot, error) {
	var snap activities.OrderSnapshot
	err := o.call(ctx, orderActivities.ReadOrder, &snap, activities.OrderRequest{ConnectionID: o.ConnectionID, OrderID: o.OrderID})
	if err == nil {
		o.BigCommerceStatus, o.PaymentStatus = snap.StatusID, snap.PaymentStatus
	}
	return snap, err
}

// importOrder waits until the order can be imported, then creates it in
// Heartland: customer, addresses, the sales order with its lines.
func (o *order) importOrder(ctx workflow.Context) error {
	var found activities.FindSalesOrderResult
	if err := o.call(ctx, orderActivities.FindSalesOrder, &found, activities.FindSalesOrderRequest{
		ConnectionID: o.ConnectionID, PublicID: HeartlandOrderPublicID(o.OrderID)}); err != nil {
		return err
	}
	if found.Found && (found.Status == "closed" || found.Status == "canceled") {
		// Imported and finished by an earlier workflow whose history is gone.
		o.HeartlandOrderID = found.ID
		return o.setStage(ctx, OrderStageClosed, "")
	}
	for {
		o.consumeWakeups()
		snap, err := o.read(ctx)
		if err != nil {
			return err
		}
		reason, wait := o.importBlocker(snap, found.Found)
		switch {
		case wait:
			if err := o.setStage(ctx, OrderStageWaitingStatus, ""); err != nil {
				return err
			}
			workflow.GetLogger(ctx).Info("Order status is not synced; waiting for a change", "OrderID", o.OrderID, "Status", snap.Status)
			changed, err := workflow.AwaitWithTimeout(ctx, o.options.MaxStatusWait, func() bool { return o.bcChanged > o.seenBC || o.retries > o.seenRetry })
			if err != nil {
				return err
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
		if !found.Found && (snap.StatusID == bcCancelled || snap.StatusID == bcDeclined) {
			// Nothing was ever created in Heartland, so there is nothing to cancel.
			return o.setStage(ctx, OrderStageCancelled, "")
		}
		if err := o.setStage(ctx, OrderStageImporting, ""); err != nil {
			return err
		}
		done, err := o.createInHeartland(ctx, snap)
		if err != nil || done {
			return err
		}
	}
}

// importBlocker says why the order cannot be imported now: wait=true for a
// status hrbc does not sync yet, otherwise a reason for attention.
func (o *order) importBlocker(snap activities.OrderSnapshot, imported bool) (reason string, wait bool) {
	if snap.StatusID == bcPartiallyRefunded || strings.EqualFold(snap.PaymentStatus, "partially refunded") {
		return "partially refunded in BigCommerce: not synced", false
	}
	if !imported && !slices.Contains(syncedStatuses, snap.StatusID) {
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
	return "", false
}

// createInHeartland resolves SKUs and creates customer and order. It
// returns done=false when a person must act first (unknown SKU).
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
		return false, o.needAttention(ctx, "unknown SKU: "+strings.Join(resolved.Missing, ", ")+" (no Heartland item with that Item #)")
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
	o.Locations = o.Locations[:0]
	for _, l := range locations {
		o.Locations = append(o.Locations, LocationRef{ID: l.ID, Name: l.Name})
	}

	var customer activities.CustomerRef
	if err := o.call(ctx, orderActivities.EnsureCustomer, &customer, activities.EnsureCustomerRequest{
		ConnectionID: o.ConnectionID, Email: snap.Email, Billing: snap.Billing, Shipping: snap.Shipping}); err != nil {
		return false, err
	}
	req := activities.EnsureSalesOrderRequest{
		ConnectionID: o.ConnectionID, PublicID: HeartlandOrderPublicID(o.OrderID), Customer: customer,
		SourceLocationID: o.settings.SourceLocationID, ShippingCharge: snap.ShippingCharge,
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
	for i, l := range ref.Lines {
		o.Lines[i].LineID, o.Lines[i].LocationID = l.LineID, l.ShipFromLocationID
	}
	o.HeartlandOrderID = ref.ID
	o.Total, o.ShippingCharge, o.OrderAddressID = snap.Total, snap.ShippingCharge, snap.OrderAddressID
	workflow.GetLogger(ctx).Info("Order imported into Heartland", "OrderID", o.OrderID, "HeartlandOrderID", ref.ID, "Created", ref.Created)
	return true, o.setStage(ctx, o.resumeStage(), "")
}

func (o *order) allDistributed() bool {
	if len(o.Lines) == 0 {
		return false
	}
	for _, l := range o.Lines {
		if l.LocationID == 0 {
			return false
		}
	}
	return true
}
