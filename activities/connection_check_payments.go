package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// Bounds of the capture-mode check.
const (
	// recentOrdersWindow is how far back "recent orders" reach.
	recentOrdersWindow = 14 * 24 * time.Hour
	// recentOrdersPages bounds the orders read (250 a page).
	recentOrdersPages = 4
)

// checkPaymentType checks that the Heartland payment type hrbc records
// BigCommerce payments with exists; with fix it is created (the same
// find-or-create the order workflows use on their first payment).
func (a *ConnectionChecks) checkPaymentType(ctx context.Context, rep *CheckReport, cl Clients, fix bool) {
	name := ExternalPaymentTypeName
	pt, err := cl.Heartland.FindPaymentTypeByName(ctx, name)
	switch {
	case err == nil:
		rep.add(CheckLine{Check: "payment type", Status: CheckOK,
			Found: fmt.Sprintf("Heartland payment type %q exists (%d)", name, pt.ID)})
		return
	case !errors.Is(err, heartland.ErrNotFound):
		rep.add(CheckLine{Check: "payment type", Status: CheckWarn,
			Found: fmt.Sprintf("could not look up payment type %q: %v", name, err),
			Fix:   "run the check again"})
		return
	}
	if fix {
		id, err := externalPaymentType(ctx, cl.Heartland)
		if err == nil {
			rep.Fixed = append(rep.Fixed, fmt.Sprintf("created Heartland payment type %q (%d)", name, id))
			rep.add(CheckLine{Check: "payment type", Status: CheckOK,
				Found: fmt.Sprintf("Heartland payment type %q created (%d)", name, id)})
			return
		}
		rep.add(CheckLine{Check: "payment type", Status: CheckFail,
			Found: fmt.Sprintf("payment type %q is missing and could not be created: %v", name, err),
			Fix:   fmt.Sprintf("create a payment type named %q in Heartland (Settings > Payment types)", name)})
		return
	}
	rep.add(CheckLine{Check: "payment type", Status: CheckWarn,
		Found: fmt.Sprintf("Heartland has no payment type %q; hrbc creates it with the first payment, if the token may", name),
		Fix:   fmt.Sprintf("starter connection check %s --fix", rep.ConnectionID)})
}

// checkCaptureMode reads the payment status of recent orders to tell how
// the store takes payments, and compares it with the connection's capture
// setting. Orders waiting in Awaiting Payment with an authorized payment
// are imported only with capture on_first_shipment (fail otherwise: they
// would wait for ever). Orders awaiting fulfillment with an authorized
// payment are captured by hrbc on their first shipment; an order shipped
// in several parts from Heartland needs its payment captured when it is
// placed ("Authorize and Capture"), so they are a warning.
func (a *ConnectionChecks) checkCaptureMode(ctx context.Context, rep *CheckReport, cl Clients, capture string) {
	walk := cl.BigCommerce.WalkOrders(bigcommerce.OrderFilter{MinDateModified: a.now().Add(-recentOrdersWindow)}, bigcommerce.Cursor{})
	var awaitingPayment, authorized, captured, seen int
	var sample, waiting []string
	for page := 0; page < recentOrdersPages && !walk.Done(); page++ {
		orders, err := walk.Next(ctx)
		if err != nil {
			rep.add(CheckLine{Check: "payment capture", Status: CheckWarn,
				Found: "could not read recent orders: " + err.Error(), Fix: "run the check again"})
			return
		}
		for _, o := range orders {
			switch o.StatusID {
			case bigcommerce.StatusIncomplete, bigcommerce.StatusCancelled, bigcommerce.StatusDeclined:
				continue
			}
			seen++
			switch {
			case o.StatusID == bigcommerce.StatusAwaitingPayment:
				awaitingPayment++
				if len(waiting) < 5 {
					waiting = append(waiting, fmt.Sprint(o.ID))
				}
			case o.PaymentStatus == bigcommerce.PaymentAuthorized:
				authorized++
				if len(sample) < 5 {
					sample = append(sample, fmt.Sprint(o.ID))
				}
			case o.PaymentStatus == bigcommerce.PaymentCaptured || o.PaymentStatus == bigcommerce.PaymentPaid,
				o.PaymentStatus == bigcommerce.PaymentPartiallyRefunded:
				captured++
			}
		}
	}
	onShipment := capture == CaptureOnFirstShipment
	switch {
	case seen == 0:
		rep.add(CheckLine{Check: "payment capture", Status: CheckOK,
			Found: "no recent orders to tell how the store captures payments"})
	case awaitingPayment > 0 && !onShipment:
		rep.add(CheckLine{Check: "payment capture", Status: CheckFail, Field: "capture",
			Found: fmt.Sprintf("%d of %d recent orders wait in Awaiting Payment, only authorized (e.g. %s), and the connection expects payments captured at checkout: they are never imported",
				awaitingPayment, seen, strings.Join(waiting, ", ")),
			Fix: "set the connection's capture setting to on_first_shipment, or the store's payment gateway to \"Authorize and Capture\""})
	case authorized > 0 || awaitingPayment > 0:
		rep.add(CheckLine{Check: "payment capture", Status: CheckWarn,
			Found: fmt.Sprintf("%d of %d recent orders are only authorized (e.g. %s): hrbc captures each on its first shipment, and an order shipped in parts from Heartland needs its payment captured at checkout",
				authorized+awaitingPayment, seen, strings.Join(append(sample, waiting...)[:min(len(sample)+len(waiting), 5)], ", ")),
			Fix: "set the store's payment gateway to \"Authorize and Capture\" (Settings > Payments), or ship each order in one invoice"})
	case onShipment:
		rep.add(CheckLine{Check: "payment capture", Status: CheckWarn,
			Found: fmt.Sprintf("the store captures at checkout (%d of %d recent orders captured or paid) but the connection's capture is on_first_shipment", captured, seen),
			Fix:   "set the connection's capture setting to at_checkout"})
	default:
		rep.add(CheckLine{Check: "payment capture", Status: CheckOK,
			Found: fmt.Sprintf("the store captures at checkout: %d of %d recent orders captured or paid", captured, seen)})
	}
}
