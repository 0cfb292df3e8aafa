package workflows

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// commandSignalsChange versions the handling of distribute and retry sent
// as signals. Runs begun before it left such signals unhandled; replaying
// one that received them must not start acting on them now.
const commandSignalsChange = "order-command-signals"

// Admins who can only send signals (the Temporal UI's "Send a Signal", the
// temporal CLI, their own tools) get the same commands as the updates, on
// the same code path: the checks an update's validator makes at the door
// run here when the signal is handled, and a refusal is kept in
// LastRejected and logged instead of being answered.

// validateRetry refuses a retry of an order that needs no person.
func (o *order) validateRetry() error {
	if o.Attention == "" {
		return temporal.NewApplicationError(fmt.Sprintf("order %d needs no retry (stage %s)", o.OrderID, o.Stage), ErrTypeNothingToRetry)
	}
	return nil
}

// receiveRetrySignal does what the retry update does, or records why not.
func (o *order) receiveRetrySignal(ctx workflow.Context, c workflow.ReceiveChannel) {
	c.Receive(ctx, nil)
	if !o.handlesCommandSignals(ctx) {
		return
	}
	if err := o.validateRetry(); err != nil {
		o.rejectCommand(ctx, OrderRetrySignal, err)
		return
	}
	o.retries++
	o.RetriesAsked++
}

// receiveDistributeSignal does what the distribute update does, or records
// why not. The distribution runs beside the signal loop, as an update's
// handler would, so changes from BigCommerce are still taken meanwhile.
func (o *order) receiveDistributeSignal(ctx workflow.Context, c workflow.ReceiveChannel) {
	// Received raw: a payload of the wrong shape must be refused with a
	// reason, not dropped by the SDK while the loop waits for a good one.
	var raw json.RawMessage
	c.Receive(ctx, &raw)
	if !o.handlesCommandSignals(ctx) {
		return
	}
	req, err := decodeDistributeRequest(raw)
	if err == nil {
		err = o.validateDistribute(ctx, req)
	}
	if err != nil {
		o.rejectCommand(ctx, OrderDistributeSignal, err)
		return
	}
	// Taken now, before anything yields, so an update or another signal
	// arriving meanwhile is refused instead of distributing twice.
	o.distributing = true
	workflow.Go(ctx, func(ctx workflow.Context) {
		if _, err := o.handleDistribute(ctx, req); err != nil {
			o.rejectCommand(ctx, OrderDistributeSignal, err)
		}
	})
}

// handlesCommandSignals reports whether this run acts on command signals;
// decided at the first one, so runs that never get one record nothing.
func (o *order) handlesCommandSignals(ctx workflow.Context) bool {
	if o.commandSignals == nil {
		v := workflow.GetVersion(ctx, commandSignalsChange, workflow.DefaultVersion, 1) >= 1
		o.commandSignals = &v
	}
	return *o.commandSignals
}

// decodeDistributeRequest reads a distribute signal's payload strictly: a
// misspelt field would otherwise distribute nothing without a word.
func decodeDistributeRequest(raw json.RawMessage) (DistributeOrderRequest, error) {
	var req DistributeOrderRequest
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return req, temporal.NewApplicationError(`the distribute signal needs a payload such as {"location_id": 1} or {"lines": [{"line_id": 70, "location_id": 2}]}`, ErrTypeBadCommand)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	// Decoding the same bytes always gives the same request; the checker
	// cannot tell, because encoding/json keeps a reflection cache.
	//workflowcheck:ignore
	if err := dec.Decode(&req); err != nil {
		return req, temporal.NewApplicationError(fmt.Sprintf(`the distribute signal's payload %s is not a distribute request ({"location_id": 1, "lines": [{"line_id": 70, "location_id": 2}]}): %v`, raw, err), ErrTypeBadCommand)
	}
	return req, nil
}

// rejectCommand keeps a refused command signal where the operator looks:
// the status query and the worker's log.
func (o *order) rejectCommand(ctx workflow.Context, command string, err error) {
	reason := failureReason(err)
	o.LastRejected = &RejectedCommand{Command: command, Reason: reason, At: workflow.Now(ctx)}
	workflow.GetLogger(ctx).Warn("Command signal refused", "OrderID", o.OrderID, "Command", command, "Reason", reason)
}
