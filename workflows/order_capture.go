package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// captureChange versions what hrbc does for stores whose gateway only
// authorizes at checkout: orders Awaiting Payment with an authorized
// payment are imported when the connection captures on the first
// shipment, and a capture that is still with the gateway ("capture
// pending") is waited for, shipping nothing, instead of asking a person.
// Runs begun before it keep their command sequence.
const captureChange = "order-capture"

// How a connection's store takes payments (Settings.Capture).
const (
	// CaptureAtCheckout: the gateway captures at checkout; orders arrive
	// Awaiting Fulfillment with the money in. Only orders in a synced
	// status are imported. The default.
	CaptureAtCheckout = "at_checkout"
	// CaptureOnFirstShipment: the gateway only authorizes at checkout;
	// orders wait Awaiting Payment (7) with the payment authorized, hrbc
	// imports them and captures at the first shipment.
	CaptureOnFirstShipment = "on_first_shipment"
)

// CaptureModes are the values Settings.Capture takes ("" is at_checkout).
var CaptureModes = []string{CaptureAtCheckout, CaptureOnFirstShipment}

// bcAwaitingPayment is BigCommerce's Awaiting Payment status.
const bcAwaitingPayment = 7

// Waits while a capture is pending: polled from firstPendingWait, doubling
// to maxPendingWait, for at most pendingLimit before a person is asked.
const (
	firstPendingWait = 5 * time.Second
	maxPendingWait   = time.Minute
	pendingLimit     = 24 * time.Hour
)

// validateCapture checks the capture setting.
func (s Settings) validateCapture() error {
	if s.Capture == "" || slices.Contains(CaptureModes, s.Capture) {
		return nil
	}
	return &SettingsError{"capture", fmt.Sprintf("%q is not one of %s", s.Capture, strings.Join(CaptureModes, ", "))}
}

// importsAuthorized reports whether this order is one the connection
// imports before its payment is captured: Awaiting Payment with the payment
// authorized, on a connection that captures on the first shipment. An
// order Awaiting Payment by bank transfer or cheque (payment pending) is
// never imported: there is nothing to capture.
func (o *order) importsAuthorized(snap activities.OrderSnapshot) bool {
	return o.capture && o.settings.Capture == CaptureOnFirstShipment &&
		snap.StatusID == bcAwaitingPayment && strings.EqualFold(strings.TrimSpace(snap.PaymentStatus), "authorized")
}

// waitCapture pauses while the gateway has not settled a capture, for the
// caller to look again; after pendingLimit it asks a person instead (the
// wait starts again after their retry).
func (o *order) waitCapture(ctx workflow.Context) error {
	if o.pendingSince.IsZero() {
		o.pendingSince = workflow.Now(ctx)
		o.pendingWait = firstPendingWait
	}
	if workflow.Now(ctx).Sub(o.pendingSince) >= pendingLimit {
		o.pendingSince = time.Time{}
		return o.needAttention(ctx, fmt.Sprintf("the capture of BigCommerce order %d has been pending for over %s: check the payment in BigCommerce; nothing ships until it is captured", o.OrderID, pendingLimit))
	}
	o.settled()
	retries, changes := o.retries, o.bcChanged
	if _, err := workflow.AwaitWithTimeout(ctx, o.pendingWait, func() bool {
		return o.retries > retries || o.bcChanged > changes
	}); err != nil {
		return err
	}
	o.pendingWait = min(2*o.pendingWait, maxPendingWait)
	return nil
}
