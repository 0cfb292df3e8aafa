package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// distribute gets every line a ship-from location: at once with
// auto-distribute, otherwise by waiting for an admin's distribute update.
// A cancellation in BigCommerce meanwhile cancels the Heartland order.
func (o *order) distribute(ctx workflow.Context) error {
	if o.settings.OutsideFulfillment {
		// Lines are distributed to the fulfillment location when BigCommerce
		// reports the order shipped.
		return nil
	}
	if loc := o.settings.AutoDistributeLocationID; loc != 0 {
		return o.assign(ctx, DistributeOrderRequest{LocationID: loc}, true)
	}
	if err := o.setStage(ctx, OrderStageAwaitingDistribution, ""); err != nil {
		return err
	}
	for {
		auto := o.autoDistribute
		if err := workflow.Await(ctx, func() bool { return o.allDistributed() || o.bcChanged > o.seenBC || o.autoDistribute > auto }); err != nil {
			return err
		}
		if o.allDistributed() {
			return o.setStage(ctx, OrderStageFulfilling, "")
		}
		if o.autoDistribute > auto && !o.distributing {
			if err := o.assign(ctx, DistributeOrderRequest{LocationID: o.settings.AutoDistributeLocationID}, true); err != nil || o.allDistributed() {
				return err
			}
			continue
		}
		o.consumeWakeups()
		cancelled, err := o.checkCancelled(ctx)
		if err != nil || cancelled {
			return err
		}
		if o.Stage != OrderStageAwaitingDistribution && !o.allDistributed() {
			if err := o.setStage(ctx, OrderStageAwaitingDistribution, ""); err != nil {
				return err
			}
		}
	}
}

// checkCancelled re-reads the BigCommerce order after a change and cancels
// the Heartland order, releasing its stock, when BigCommerce cancelled,
// declined or (moneyChange) fully refunded it before anything shipped.
// After a shipment it asks a person instead, with the amounts.
func (o *order) checkCancelled(ctx workflow.Context) (bool, error) {
	for {
		statusID, status, err := o.readStatus(ctx)
		if err != nil {
			return false, err
		}
		switch {
		case statusID == bcCancelled || statusID == bcDeclined || o.refunded(statusID):
			if len(o.Invoices) == 0 && !o.invoicing {
				if err := o.call(ctx, orderActivities.SetSalesOrderStatus, nil, activities.SalesOrderStatusRequest{
					ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID, Status: "canceled"}); err != nil {
					return false, err
				}
				workflow.GetLogger(ctx).Info("Order cancelled or refunded in BigCommerce; Heartland order cancelled", "OrderID", o.OrderID, "Status", status)
				return true, o.setStage(ctx, OrderStageCancelled, "")
			}
			// Stays in attention for as long as BigCommerce says cancelled.
			if err := o.needAttention(ctx, o.afterShipmentReason(status)); err != nil {
				return false, err
			}
		case statusID == bcPartiallyRefunded:
			if err := o.needAttention(ctx, "partially refunded in BigCommerce: settle it by hand"); err != nil {
				return false, err
			}
		default:
			if o.Stage == OrderStageAttention {
				return false, o.setStage(ctx, o.resumeStage(), "")
			}
			return false, nil
		}
	}
}

// validateDistribute rejects, before anything is written to history,
// a distribute the order cannot take.
func (o *order) validateDistribute(_ workflow.Context, req DistributeOrderRequest) error {
	if o.distributing {
		return temporal.NewApplicationError(fmt.Sprintf("order %d is being distributed already", o.OrderID), ErrTypeNotAwaitingDistribution)
	}
	if o.Stage != OrderStageAwaitingDistribution {
		return temporal.NewApplicationError(fmt.Sprintf("order %d is not awaiting distribution (stage %s)", o.OrderID, o.Stage), ErrTypeNotAwaitingDistribution)
	}
	if req.LocationID == 0 && len(req.Lines) == 0 {
		return temporal.NewApplicationError("name a location for the order or for lines", ErrTypeUnknownLocation)
	}
	// Locations are checked by the handler: one opened since the order was
	// imported is only known after a fresh read, which a validator cannot do.
	for _, a := range req.Lines {
		if !slices.ContainsFunc(o.Lines, func(l OrderLineState) bool { return l.LineID == a.LineID }) {
			return temporal.NewApplicationError(fmt.Sprintf("order %d has no line %d", o.OrderID, a.LineID), ErrTypeUnknownLine)
		}
	}
	return nil
}

func (o *order) handleDistribute(ctx workflow.Context, req DistributeOrderRequest) (OrderState, error) {
	o.distributing = true
	defer func() { o.distributing = false }()
	if o.unknownLocation(req) != 0 {
		if err := o.refreshLocations(ctx); err != nil {
			return o.OrderState, err
		}
		if id := o.unknownLocation(req); id != 0 {
			return o.OrderState, temporal.NewApplicationError(fmt.Sprintf("location %d is not a Heartland location", id), ErrTypeUnknownLocation)
		}
	}
	if err := o.assign(ctx, req, false); err != nil {
		return o.OrderState, err
	}
	return o.OrderState, nil
}

// unknownLocation is the first location of req the order does not know,
// or 0.
func (o *order) unknownLocation(req DistributeOrderRequest) int64 {
	known := func(id int64) bool {
		return slices.ContainsFunc(o.Locations, func(l LocationRef) bool { return l.ID == id })
	}
	if req.LocationID != 0 && !known(req.LocationID) {
		return req.LocationID
	}
	for _, a := range req.Lines {
		if !known(a.LocationID) {
			return a.LocationID
		}
	}
	return 0
}

// refreshLocations reads the Heartland locations afresh for an admin who
// is waiting.
func (o *order) refreshLocations(ctx workflow.Context) error {
	var locations []activities.Location
	if err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, adminActivityOptions), orderActivities.RefreshShipFromLocations,
		activities.ConnectionRequest{ConnectionID: o.ConnectionID}).Get(ctx, &locations); err != nil {
		return err
	}
	o.setLocations(locations)
	return nil
}

// adminActivityOptions are for activities an admin waits on (an update):
// a few quick tries, then the error goes back to them.
var adminActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: time.Minute,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 3},
}

// assign writes ship-from locations to Heartland. From the main loop
// (auto-distribute) failures become attention; from an update they go back
// to the admin who asked.
func (o *order) assign(ctx workflow.Context, req DistributeOrderRequest, fromMain bool) error {
	var todo []activities.LineLocation
	for _, l := range o.Lines {
		loc := req.LocationID
		for _, a := range req.Lines {
			if a.LineID == l.LineID {
				loc = a.LocationID
			}
		}
		if loc != 0 && loc != l.LocationID {
			todo = append(todo, activities.LineLocation{LineID: l.LineID, LocationID: loc})
		}
	}
	if len(todo) > 0 {
		args := activities.DistributeRequest{ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID, Lines: todo}
		var err error
		if fromMain {
			err = o.call(ctx, orderActivities.DistributeLines, nil, args)
		} else {
			err = workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, adminActivityOptions), orderActivities.DistributeLines, args).Get(ctx, nil)
		}
		if err != nil {
			return err
		}
	}
	for _, t := range todo {
		for i := range o.Lines {
			if o.Lines[i].LineID == t.LineID {
				o.Lines[i].LocationID = t.LocationID
			}
		}
	}
	workflow.GetLogger(ctx).Info("Order lines distributed", "OrderID", o.OrderID, "Lines", len(todo))
	if o.allDistributed() {
		return o.setStage(ctx, OrderStageFulfilling, "")
	}
	return nil
}
