package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// BigCommerce order statuses the Order workflow acts on.
const (
	bcShipped            = 2
	bcRefunded           = 4
	bcCancelled          = 5
	bcDeclined           = 6
	bcAwaitingFulfilment = 11
	bcPartiallyRefunded  = 14
)

// syncedStatuses are the statuses in which a not yet imported order is
// brought to Heartland; any other status waits for the next change.
var syncedStatuses = []int{bcAwaitingFulfilment, bcCancelled, bcDeclined, bcShipped}

// leanImportChange versions the import with fewer calls: one Heartland
// activity instead of five, a status-only read after a change signal, and
// change signals that carry nothing new ignored. Runs begun before it keep
// their command sequence.
const leanImportChange = "order-lean-import"

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
	// lean is true for runs under leanImportChange.
	lean bool
	// money is true for runs under moneyChange.
	money bool
	// autoDistribute counts settings signals that turned auto-distribute on.
	autoDistribute int
	// invoicing is true while a completed Heartland invoice is being
	// carried over: its goods have left, so the order is no longer one
	// that can simply be cancelled.
	invoicing bool
	// screens is true for runs under heartlandScreensChange.
	screens bool
	// news is what Heartland's change signals said since the last look.
	news heartlandNews
	// commandSignals is whether this run acts on command signals
	// (commandSignalsChange); nil until the first one arrives.
	commandSignals *bool
	// rescue is true for runs under orderRescueChange.
	rescue bool
	// resolved is set by the resolve command; every wait then ends the run.
	resolved bool
	// waitingForPerson is true only while the run waits in attention, the
	// one moment a resolve may be taken: between a retry and its outcome
	// the run is writing again, and a resolve then would race it.
	waitingForPerson bool
	// outages counts rounds of failed attempts in a row against an API that
	// does not answer, for the pause before the next.
	outages int
	// distributionProblem is why auto-distribution failed; while it is set
	// the order shows it and still takes a distribute command.
	distributionProblem string
	// capture is true for runs under captureChange.
	capture bool
	// pendingSince is when the current wait for a pending capture began
	// (zero when none); pendingWait is the next pause.
	pendingSince time.Time
	pendingWait  time.Duration
	// tellsInventory is whether this run tells the inventory sync of its
	// stock moves (orderTellsInventoryChange); nil until first asked.
	tellsInventory *bool
	// readMemo is true for runs under orderReadMemoChange; memoRead is what
	// this run last wrote to the memo.
	readMemo bool
	memoRead OrderChange
	// readCovers is true for runs under orderReadCoversChangesChange;
	// unreadBC are then the changes counted since seenBC, in order.
	readCovers bool
	unreadBC   []OrderChange
	// importTells is true for runs under orderBaselineChange: the import
	// activity tells the inventory sync of the stock it committed, instead
	// of the run signalling it.
	importTells bool
	// quiet is true for runs under orderQuietChange; timer is then the one
	// timer its waits share.
	quiet bool
	timer orderTimer
	// stamps is true for runs under orderStampsVersion of orderQuietChange:
	// the import reads its Heartland order's stamp, kept in the memo
	// (OrderHeartlandMemo).
	stamps bool
	// inPlace is true for runs under orderInPlaceVersion of
	// orderQuietChange: the import first tries to run in the workflow task
	// that read the order (importInPlace).
	inPlace bool
	// oneMemo is true for runs under orderOneMemoVersion of
	// orderQuietChange: holdRead may then keep the read's memo for the
	// import's.
	oneMemo bool
	// writesInPlace is true for runs under orderWritesInPlaceVersion of
	// orderQuietChange: callWrite first tries a write in place.
	writesInPlace bool
	// holdRead is true while the memo of a read waits to be written with
	// the stamp of the import that follows it in the same workflow task.
	holdRead bool
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
	o.decideChanges(ctx)
	if err := o.listen(ctx); err != nil {
		return err
	}
	if !o.startedPublished(in) {
		if err := o.publish(ctx); err != nil {
			return err
		}
	}
	// A run continued from another carries its memo over; one whose earlier
	// run predates the memo writes what that run had read.
	o.rememberRead(ctx)
	err := o.process(ctx)
	if o.rescue {
		err = o.afterProcess(ctx, err)
	}
	return o.finish(ctx, err)
}

// process carries the order through import, distribution and fulfillment,
// from wherever this run starts.
func (o *order) process(ctx workflow.Context) error {
	switch o.Stage {
	case OrderStageImporting, OrderStageWaitingStatus, OrderStageAttention:
		if o.HeartlandOrderID == 0 {
			if err := o.importOrder(ctx); err != nil {
				return err
			}
		}
	}
	if o.Stage == OrderStageClosed || o.Stage == OrderStageCancelled || o.HeartlandOrderID == 0 {
		// Finished already, cancelled before import, or never synced.
		return nil
	}
	if !o.allDistributed() {
		if err := o.distribute(ctx); err != nil {
			return err
		}
	}
	if o.Stage == OrderStageCancelled {
		return nil
	}
	return o.fulfill(ctx)
}

// finish lets accepted updates complete before the run ends, so no caller
// is left without an answer.
func (o *order) finish(ctx workflow.Context, err error) error {
	var can *workflow.ContinueAsNewError
	if err != nil && !errors.As(err, &can) && !temporal.IsCanceledError(err) {
		return err
	}
	o.settled()
	// A distribution begun by a signal is not a handler: wait for it too.
	if werr := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && !o.distributing }); werr != nil {
		return werr
	}
	return err
}

// listen installs the signal, update and query handlers.
func (o *order) listen(ctx workflow.Context) error {
	bc := workflow.GetSignalChannel(ctx, OrderBigCommerceChangedSignal)
	hl := workflow.GetSignalChannel(ctx, OrderHeartlandChangedSignal)
	distribute := workflow.GetSignalChannel(ctx, OrderDistributeSignal)
	retry := workflow.GetSignalChannel(ctx, OrderRetrySignal)
	settings := workflow.GetSignalChannel(ctx, OrderSettingsSignal)
	resolve := workflow.GetSignalChannel(ctx, OrderResolveSignal)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			sel := workflow.NewSelector(ctx)
			sel.AddReceive(bc, func(c workflow.ReceiveChannel, _ bool) { o.receiveBigCommerceChange(ctx, c) })
			sel.AddReceive(hl, func(c workflow.ReceiveChannel, _ bool) { o.receiveHeartlandChange(ctx, c) })
			sel.AddReceive(distribute, func(c workflow.ReceiveChannel, _ bool) { o.receiveDistributeSignal(ctx, c) })
			sel.AddReceive(retry, func(c workflow.ReceiveChannel, _ bool) { o.receiveRetrySignal(ctx, c) })
			sel.AddReceive(settings, func(c workflow.ReceiveChannel, _ bool) { o.receiveSettings(ctx, c) })
			sel.AddReceive(resolve, func(c workflow.ReceiveChannel, _ bool) { o.receiveResolveSignal(ctx, c) })
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
			o.RetriesAsked++
			return o.OrderState, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(workflow.Context) error { return o.validateRetry() }}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, OrderResolveUpdate, o.resolve,
		workflow.UpdateHandlerOptions{Validator: func(_ workflow.Context, req ResolveOrderRequest) error {
			if !o.rescue {
				return temporal.NewApplicationError("this order's run predates resolve; terminate it in the Temporal UI instead", ErrTypeNothingToRetry)
			}
			return o.validateResolve(req)
		}}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, OrderDistributeUpdate, o.handleDistribute,
		workflow.UpdateHandlerOptions{Validator: o.validateDistribute})
}

// receiveBigCommerceChange counts a change signal, unless it carries a
// state of the order this run has read already: the sweep hands over every
// order modified since its watermark, most of them known here.
func (o *order) receiveBigCommerceChange(ctx workflow.Context, c workflow.ReceiveChannel) {
	if !o.lean {
		c.Receive(ctx, nil)
		o.bcChanged++
		return
	}
	// Decoded leniently: a payload of another shape still counts as a change.
	var raw any
	c.Receive(ctx, &raw)
	change := orderChangeOf(raw)
	if o.alreadyRead(change) {
		return
	}
	o.noteBigCommerceChange(change)
}

// orderChangeOf reads an OrderChange out of a decoded signal payload (a
// JSON object decodes to a map, its numbers to float64); anything else
// gives the zero change, which is never known.
func orderChangeOf(raw any) OrderChange {
	m, ok := raw.(map[string]any)
	if !ok {
		return OrderChange{}
	}
	var c OrderChange
	c.DateModified, _ = m["date_modified"].(string)
	if n, ok := m["status_id"].(float64); ok {
		c.StatusID = int(n)
	}
	return c
}

// alreadyRead reports whether the last read saw the state a change names:
// the same status, modified no later.
func (o *order) alreadyRead(c OrderChange) bool {
	read := activities.OrderRead{DateModified: o.DateModified, StatusID: o.BigCommerceStatus}
	return read.Covers(activities.ModifiedOrder{DateModified: c.DateModified, StatusID: c.StatusID})
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

// startedPublished reports whether a fresh run under orderQuietChange was
// started with the search attributes publish would write now (the start
// paths set StartAttributes and say so in OrderInput.Published): writing
// them again would cost an event and a visibility write per order.
// HrbcAttention left unset is no attention to every query hrbc makes,
// which all ask for a non-empty one. The input decides, not the attributes
// the run sees: a history read back from the server may show its start
// event with the attributes the workflow has now.
func (o *order) startedPublished(in OrderInput) bool {
	return o.quiet && in.Resume == nil && in.Published
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
	return workflow.WithActivityOptions(ctx, o.activityOptions(2*time.Minute, 0))
}

// activityOptions are orderActivityOptions for this run: under
// orderRescueChange a few attempts only, after which the order shows the
// failure and keeps trying (callWith) instead of hiding an outage for an
// hour and a half.
func (o *order) activityOptions(startToClose, heartbeat time.Duration) workflow.ActivityOptions {
	opts := orderActivityOptions(startToClose, heartbeat)
	if o.rescue {
		opts.RetryPolicy.MaximumAttempts = rescueActivityAttempts
	}
	return opts
}

// orderActivityOptions are the options of an order's activities: the
// timeouts vary, the retry policy does not.
func orderActivityOptions(startToClose, heartbeat time.Duration) workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout: startToClose,
		HeartbeatTimeout:    heartbeat,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Minute,
			// About an hour and a half of transient failures, then a person
			// is asked to look; a retry starts the count again.
			MaximumAttempts: 20,
		},
	}
}

// call runs one activity; when it fails for good the order shows the
// reason as attention and waits for a retry, then runs it again.
func (o *order) call(ctx workflow.Context, activity any, result any, args ...any) error {
	return o.callWith(o.activityContext(ctx), activity, result, args...)
}

// callWith is call with the activity options already set on ctx.
func (o *order) callWith(ctx workflow.Context, activity any, result any, args ...any) error {
	for {
		var err error
		if o.rescue {
			err = o.callThroughOutages(ctx, noAttention, activity, result, args...)
		} else {
			err = workflow.ExecuteActivity(ctx, activity, args...).Get(ctx, result)
		}
		if err == nil {
			return nil
		}
		if temporal.IsCanceledError(err) || ctx.Err() != nil {
			return err
		}
		if o.rescue && isOrderNotFound(err) && o.HeartlandOrderID == 0 {
			// Nothing was written for it: the run ends (afterProcess).
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
	if o.resolved {
		return errResolved
	}
	if err := o.setStage(ctx, OrderStageAttention, reason); err != nil {
		return err
	}
	// Only what happens from now on counts: an older, already handled
	// wake-up must not send the order round again at once.
	retries, changes := o.retries, o.bcChanged
	o.settled()
	o.waitingForPerson = true
	err := workflow.Await(ctx, func() bool { return o.retries > retries || o.bcChanged > changes || o.resolved })
	o.waitingForPerson = false
	if err != nil {
		return err
	}
	if o.resolved {
		return errResolved
	}
	if o.rescue && o.retries > retries {
		// The person may have fixed a setting before retrying.
		o.refreshSettings(ctx)
	}
	return nil
}

// consumeWakeups marks every pending signal and retry as seen.
func (o *order) consumeWakeups() {
	o.seenBC, o.seenHL, o.seenRetry = o.bcChanged, o.hlChanged, o.retries
	o.unreadBC = o.unreadBC[:0]
}

// read reads the BigCommerce order and records what it says.
func (o *order) read(ctx workflow.Context) (activities.OrderSnapshot, error) {
	var snap activities.OrderSnapshot
	err := o.callRead(ctx, orderActivities.ReadOrder, &snap, activities.OrderRequest{ConnectionID: o.ConnectionID, OrderID: o.OrderID})
	if err == nil {
		o.recordRead(ctx, snap.StatusID, snap.PaymentStatus, snap.DateModified)
	}
	return snap, err
}

// readStatus reads the order's status, all the stages after the import act
// on: in lean runs one call instead of the whole order.
func (o *order) readStatus(ctx workflow.Context) (statusID int, status string, err error) {
	if !o.lean {
		snap, err := o.read(ctx)
		return snap.StatusID, snap.Status, err
	}
	var st activities.OrderStatusSnapshot
	if err := o.callRead(ctx, orderActivities.ReadOrderStatus, &st, activities.OrderRequest{ConnectionID: o.ConnectionID, OrderID: o.OrderID}); err != nil {
		return 0, "", err
	}
	o.recordRead(ctx, st.StatusID, st.PaymentStatus, st.DateModified)
	return st.StatusID, st.Status, nil
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
