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
		if !o.rescue {
			return o.assign(ctx, DistributeOrderRequest{LocationID: loc}, assignMain)
		}
		if err := o.autoDistributeTo(ctx, loc); err != nil || o.allDistributed() {
			return err
		}
	} else if err := o.setStage(ctx, OrderStageAwaitingDistribution, ""); err != nil {
		return err
	}
	// auto is how many times auto-distribute was turned on that this loop
	// has acted on; kept across rounds, so a signal taken while the loop
	// looked at something else is not lost.
	auto := o.autoDistribute
	for {
		autoTurnedOn := func() bool { return o.autoDistribute > auto && !o.distributing }
		retried := func() bool { return o.rescue && (o.retries > o.seenRetry || o.resolved) && !o.distributing }
		o.waitingForPerson = o.distributionProblem != ""
		look, err := o.awaitDistribution(ctx, func() bool { return autoTurnedOn() || retried() })
		o.waitingForPerson = false
		if err != nil {
			return err
		}
		if o.allDistributed() {
			o.distributionProblem = ""
			return o.setStage(ctx, OrderStageFulfilling, "")
		}
		if o.resolved {
			return errResolved
		}
		if autoTurnedOn() {
			auto = o.autoDistribute
			if !o.rescue {
				if err := o.assign(ctx, DistributeOrderRequest{LocationID: o.settings.AutoDistributeLocationID}, assignMain); err != nil || o.allDistributed() {
					return err
				}
				continue
			}
			if err := o.autoDistributeTo(ctx, o.settings.AutoDistributeLocationID); err != nil || o.allDistributed() {
				return err
			}
			continue
		}
		if retried() {
			if ended, err := o.retryDistribution(ctx); err != nil || ended {
				return err
			}
			continue
		}
		if look {
			// Staff may have distributed in Heartland's own screens.
			if ended, err := o.lookWhileAwaiting(ctx); err != nil || ended {
				return err
			}
			continue
		}
		o.consumeWakeups()
		cancelled, err := o.checkCancelled(ctx)
		if err != nil || cancelled {
			return err
		}
		if o.distributionProblem != "" && !o.allDistributed() {
			// Still not distributed: the failure stays where people look.
			if err := o.setStage(ctx, OrderStageAttention, o.distributionProblem); err != nil {
				return err
			}
		} else if o.Stage != OrderStageAwaitingDistribution && !o.allDistributed() {
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
				if err := o.callWrite(ctx, orderActivities.SetSalesOrderStatus, nil, activities.SalesOrderStatusRequest{
					ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID, Status: "canceled"}); err != nil {
					return false, err
				}
				workflow.GetLogger(ctx).Info("Order cancelled or refunded in BigCommerce; Heartland order cancelled", "OrderID", o.OrderID, "Status", status)
				o.tellInventory(ctx, "cancelled")
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
	// An order whose auto-distribution failed is in attention, but
	// distributing it by hand is exactly what resolves that.
	inDistribution := o.Stage == OrderStageAttention && o.distributionProblem != ""
	if o.Stage != OrderStageAwaitingDistribution && !inDistribution {
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
	if err := o.assign(ctx, req, assignAdmin); err != nil {
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
	if err := o.callAdmin(ctx, orderActivities.RefreshShipFromLocations, &locations,
		activities.ConnectionRequest{ConnectionID: o.ConnectionID}); err != nil {
		return err
	}
	o.setLocations(locations)
	return nil
}

// callAdmin runs an activity an admin waits on (their distribute's fresh
// read of the locations, its write): tried in place first under
// orderWritesInPlaceVersion (tryInPlace), then with adminActivityOptions.
func (o *order) callAdmin(ctx workflow.Context, activity any, result any, args ...any) error {
	if o.tryInPlace(ctx, activity, result, args...) {
		return nil
	}
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, adminActivityOptions), activity, args...).Get(ctx, result)
}

// adminActivityOptions are for activities an admin waits on (an update):
// a few quick tries, then the error goes back to them.
var adminActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: time.Minute,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 3},
}

// assignMode is who asked for a distribution, which decides what a failure
// does.
type assignMode int

const (
	// assignMain: the main loop (auto-distribute, outside fulfillment);
	// a failure becomes attention until a retry.
	assignMain assignMode = iota
	// assignAdmin: a distribute command; a failure goes back to the admin.
	assignAdmin
	// assignAuto: auto-distribute under orderRescueChange; an outage is
	// waited out, a refusal goes back to the caller, which shows it while
	// the order still takes a distribute command.
	assignAuto
)

// assign writes ship-from locations to Heartland; mode says what a
// failure does.
func (o *order) assign(ctx workflow.Context, req DistributeOrderRequest, mode assignMode) error {
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
		switch mode {
		case assignMain:
			err = o.callWrite(ctx, orderActivities.DistributeLines, nil, args)
		case assignAdmin:
			err = o.callAdmin(ctx, orderActivities.DistributeLines, nil, args)
		case assignAuto:
			if o.tryInPlace(ctx, orderActivities.DistributeLines, nil, args) {
				break
			}
			// An outage is waited out; a refusal goes back to autoDistributeTo.
			err = o.callThroughOutages(o.activityContext(ctx), func() string { return o.distributionProblem },
				orderActivities.DistributeLines, nil, args)
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
	if len(todo) > 0 {
		o.tellInventory(ctx, "distributed")
	}
	if o.allDistributed() {
		o.distributionProblem = ""
		return o.setStage(ctx, OrderStageFulfilling, "")
	}
	if o.distributionProblem != "" && mode == assignAdmin {
		// A person distributed part of it by hand: the rest simply waits.
		o.distributionProblem = ""
		return o.setStage(ctx, OrderStageAwaitingDistribution, "")
	}
	return nil
}
