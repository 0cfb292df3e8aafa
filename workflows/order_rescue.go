package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// orderRescueChange versions what makes every stuck order rescuable and
// every order one row: a retry re-reads the connection's settings, a
// failed auto-distribution waits in attention where a distribute is still
// taken, an API that does not answer is shown and retried without a person,
// an order the store does not have ends, a person can resolve an order by
// hand, and a finished order keeps watching the store instead of a new run
// starting for every late webhook. Runs begun before it keep their command
// sequence.
const orderRescueChange = "order-rescue"

// Bounds of the automatic retry of an API that does not answer.
const (
	// rescueActivityAttempts is how many times an order's activity is tried
	// before the order shows the failure: a few seconds of hiccups stay
	// invisible, an outage does not.
	rescueActivityAttempts = 5
	// firstOutageWait and maxOutageWait bound the pause between rounds of
	// attempts while an API stays down; the pause doubles in between.
	firstOutageWait = 30 * time.Second
	maxOutageWait   = 5 * time.Minute
)

// errResolved ends an order's run once a person has resolved it by hand:
// every wait returns it, and Order ends without an error.
var errResolved = errors.New("order resolved by hand")

// isTransient reports whether an activity failed in a way that time alone
// may fix (a timeout, a 5xx, a refused connection, throttling), as opposed
// to an answer that says no, which needs a person.
func isTransient(err error) bool {
	if temporal.IsCanceledError(err) {
		return false
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return !appErr.NonRetryable()
	}
	return true
}

// isOrderNotFound reports whether BigCommerce said it has no such order.
func isOrderNotFound(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == activities.ErrTypeOrderNotFound
}

// waitOutage shows that an API does not answer and waits before the next
// round of attempts: the pause doubles up to maxOutageWait, and a retry, a
// change of the order or a resolve cuts it short. No person is needed: the
// order carries on by itself once the API answers again.
func (o *order) waitOutage(ctx workflow.Context, reason string) error {
	wait := firstOutageWait
	for i := 1; i < o.outages && wait < maxOutageWait; i++ {
		wait *= 2
	}
	wait = min(wait, maxOutageWait)
	o.outages++
	attention := fmt.Sprintf("%s (not answering; hrbc tries again by itself every %s — nothing to do unless it lasts)", reason, wait)
	if err := o.setStage(ctx, OrderStageAttention, attention); err != nil {
		return err
	}
	retries, changes := o.retries, o.bcChanged
	o.settled()
	o.waitingForPerson = true
	_, err := workflow.AwaitWithTimeout(ctx, wait, func() bool {
		return o.retries > retries || o.bcChanged > changes || o.resolved
	})
	o.waitingForPerson = false
	if err != nil {
		return err
	}
	if o.resolved {
		return errResolved
	}
	return nil
}

// refreshSettings reads the connection's settings as they are now: an
// operator who fixed a setting and retries expects the fix to count. An
// imported order keeps its fulfillment mode, which shaped it in Heartland.
// A failed read keeps the settings the order has, and says so in the log.
func (o *order) refreshSettings(ctx workflow.Context) {
	var raw json.RawMessage
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, adminActivityOptions), orderActivities.CurrentSettings,
		activities.CurrentSettingsRequest{ConnectionID: o.ConnectionID, WorkflowID: ConnectionWorkflowID(o.ConnectionID), Query: SettingsQuery}).Get(ctx, &raw)
	if err != nil {
		workflow.GetLogger(ctx).Warn("Could not read the connection's current settings; the order keeps its own", "OrderID", o.OrderID, "Error", err)
		return
	}
	var s *Settings
	// The same bytes always decode the same; the checker cannot tell,
	// because encoding/json keeps a reflection cache.
	//workflowcheck:ignore
	if err := json.Unmarshal(raw, &s); err != nil || s == nil {
		workflow.GetLogger(ctx).Warn("The connection has no settings to read; the order keeps its own", "OrderID", o.OrderID)
		return
	}
	next := *s
	if o.HeartlandOrderID != 0 {
		next.OutsideFulfillment = o.settings.OutsideFulfillment
		if next.OutsideFulfillment && next.FulfillmentLocationID == 0 {
			next.FulfillmentLocationID = o.settings.FulfillmentLocationID
		}
	}
	o.settings = next
	workflow.GetLogger(ctx).Info("Order took the connection's current settings", "OrderID", o.OrderID,
		"SourceLocationID", next.SourceLocationID, "AutoDistributeLocationID", next.AutoDistributeLocationID)
}

// validateResolve refuses to resolve an order that needs no person.
func (o *order) validateResolve(ResolveOrderRequest) error {
	if o.Attention == "" || !o.waitingForPerson {
		return temporal.NewApplicationError(fmt.Sprintf("order %d needs no person (stage %s): nothing to resolve", o.OrderID, o.Stage), ErrTypeNothingToRetry)
	}
	return nil
}

// resolve records that a person settled the order by hand; the order's run
// ends with stage resolved and hrbc writes nothing more for it.
func (o *order) resolve(ctx workflow.Context, req ResolveOrderRequest) (OrderState, error) {
	o.Resolution = &Resolution{Note: req.Note, Attention: o.Attention, At: workflow.Now(ctx)}
	o.resolved = true
	workflow.GetLogger(ctx).Info("Order resolved by hand", "OrderID", o.OrderID, "Attention", o.Attention)
	if err := o.setStage(ctx, OrderStageResolved, ""); err != nil {
		return o.OrderState, err
	}
	return o.OrderState, nil
}

// receiveResolveSignal does what the resolve update does, or records why not.
func (o *order) receiveResolveSignal(ctx workflow.Context, c workflow.ReceiveChannel) {
	var req ResolveOrderRequest
	c.Receive(ctx, &req)
	if !o.rescue {
		o.rejectCommand(ctx, OrderResolveSignal, errors.New("this order's run predates resolve; terminate it in the Temporal UI instead"))
		return
	}
	if err := o.validateResolve(req); err != nil {
		o.rejectCommand(ctx, OrderResolveSignal, err)
		return
	}
	if _, err := o.resolve(ctx, req); err != nil {
		o.rejectCommand(ctx, OrderResolveSignal, err)
	}
}

// autoDistributeTo distributes every line to the auto-distribute location.
// A refusal (a location that does not exist or has no station, say) is
// shown as attention while the order goes on waiting for distribution: a
// distribute command still does it by hand, and a retry after the setting
// is fixed tries the new location.
func (o *order) autoDistributeTo(ctx workflow.Context, loc int64) error {
	err := o.assign(ctx, DistributeOrderRequest{LocationID: loc}, assignAuto)
	switch {
	case err == nil:
		return nil
	case temporal.IsCanceledError(err) || errors.Is(err, errResolved):
		return err
	}
	o.distributionProblem = fmt.Sprintf("auto-distribute to location %d failed: %s — fix the connection's auto-distribute location and run `starter orders retry`, or distribute it by hand with `starter orders distribute`",
		loc, failureReason(err))
	return o.setStage(ctx, OrderStageAttention, o.distributionProblem)
}

// retryDistribution takes a retry (or a resolve) of an order waiting for
// distribution: with the connection's current settings, auto-distribution
// is tried again, or the order simply waits for a distribute command.
func (o *order) retryDistribution(ctx workflow.Context) (ended bool, err error) {
	o.seenRetry = o.retries
	if o.resolved {
		return true, errResolved
	}
	o.refreshSettings(ctx)
	o.distributionProblem = ""
	if loc := o.settings.AutoDistributeLocationID; loc != 0 {
		return false, o.autoDistributeTo(ctx, loc)
	}
	return false, o.setStage(ctx, OrderStageAwaitingDistribution, "")
}

// settled marks every accepted retry as answered: the order is about to
// wait, so whatever a retry set going has run its course.
func (o *order) settled() {
	o.RetriesAnswered = o.RetriesAsked
}

// callOrAttend runs one activity whose arguments depend on the settings or
// on the order as read: an outage is waited out and the same call repeated,
// but after a refusal it shows attention, waits for the person and returns
// attended=true, for the caller to build the request again.
func (o *order) callOrAttend(ctx workflow.Context, activity any, result any, args ...any) (attended bool, err error) {
	err = o.callThroughOutages(ctx, noAttention, activity, result, args...)
	if err == nil || temporal.IsCanceledError(err) || ctx.Err() != nil {
		return false, err
	}
	return true, o.needAttention(ctx, failureReason(err))
}

// callThroughOutages runs one activity, waiting out an API that does not
// answer (waitOutage) and then showing again the stage the order showed
// before, with the attention restore gives at that moment. It returns nil,
// or the failure that is not an outage, for the caller to handle.
func (o *order) callThroughOutages(ctx workflow.Context, restore func() string, activity any, result any, args ...any) error {
	for {
		err := workflow.ExecuteActivity(ctx, activity, args...).Get(ctx, result)
		if err == nil {
			o.outages = 0
			return nil
		}
		if !isTransient(err) || ctx.Err() != nil {
			return err
		}
		prev := o.Stage
		if err := o.waitOutage(ctx, failureReason(err)); err != nil {
			return err
		}
		if err := o.setStage(ctx, prev, restore()); err != nil {
			return err
		}
	}
}

// noAttention restores a stage without an attention reason.
func noAttention() string { return "" }
