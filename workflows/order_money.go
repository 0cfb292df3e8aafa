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

// moneyChange versions the checks that keep an order's money right: the
// payment is checked before every shipment (nothing ships unless
// BigCommerce holds the money, and "captured" means hrbc captured), a full
// refund is handled like a cancellation, every booked payment is bounded
// by what BigCommerce captured, the order's own charges are booked and the
// balance checked before it closes, and an order first seen cancelled or
// declined is recorded in Heartland as a canceled sales order. Runs begun
// before it keep their command sequence.
const moneyChange = "order-money"

// settledStatuses are the BigCommerce statuses in which no payment check
// decides, but checkCancelled: the order was refunded or called off.
var settledStatuses = []int{bcRefunded, bcCancelled, bcDeclined, bcPartiallyRefunded}

// refunded reports whether BigCommerce gave the whole payment back.
func (o *order) refunded(statusID int) bool {
	return o.money && (statusID == bcRefunded || strings.EqualFold(o.PaymentStatus, "refunded"))
}

// paymentGate is passed before each invoice ships: it captures an
// authorized payment and goes on only while BigCommerce holds the money.
// A refunded, cancelled or declined order goes to checkCancelled instead
// (ok=false once it is cancelled); a payment that is not received (pending,
// declined, void…) is attention with the reason until a change or a retry.
func (o *order) paymentGate(ctx workflow.Context) (ok bool, err error) {
	for {
		var res activities.CaptureResult
		if err := o.callWrite(ctx, orderActivities.CapturePayment, &res, activities.OrderRequest{ConnectionID: o.ConnectionID, OrderID: o.OrderID}); err != nil {
			return false, err
		}
		o.PaymentStatus = res.PaymentStatus
		if res.StatusID != 0 {
			o.BigCommerceStatus = res.StatusID
		}
		if res.Captured {
			o.Captured = true
			workflow.GetLogger(ctx).Info("Payment captured", "OrderID", o.OrderID)
		}
		if slices.Contains(settledStatuses, res.StatusID) {
			cancelled, err := o.checkCancelled(ctx)
			if err != nil || cancelled {
				return false, err
			}
			continue
		}
		if res.Pending && o.capture {
			// With the gateway: neither shipped nor a person's business yet.
			if err := o.waitCapture(ctx); err != nil {
				return false, err
			}
			continue
		}
		o.pendingSince = time.Time{}
		if res.Blocker == "" {
			if o.Stage == OrderStageAttention {
				return true, o.setStage(ctx, o.resumeStage(), "")
			}
			return true, nil
		}
		if err := o.needAttention(ctx, res.Blocker); err != nil {
			return false, err
		}
	}
}

// settle books the order's own charges and checks that Heartland's money
// matches BigCommerce's (SettleOrderPayment) before the order closes; money
// that does not add up is attention until a retry finds it right.
func (o *order) settle(ctx workflow.Context) error {
	for {
		var res activities.SettleResult
		if err := o.callWrite(ctx, orderActivities.SettleOrderPayment, &res, activities.SettleRequest{
			ConnectionID: o.ConnectionID, OrderID: o.OrderID, HeartlandOrderID: o.HeartlandOrderID}); err != nil {
			return err
		}
		if res.Problem == "" {
			if o.Stage == OrderStageAttention {
				return o.setStage(ctx, o.resumeStage(), "")
			}
			return nil
		}
		if err := o.needAttention(ctx, res.Problem); err != nil {
			return err
		}
	}
}

// afterShipmentReason asks a person to settle an order BigCommerce
// cancelled or refunded after hrbc shipped part of it, with the amounts.
func (o *order) afterShipmentReason(status string) string {
	booked := decimal.Zero
	for _, inv := range o.Invoices {
		if d, err := decimal.NewFromString(inv.Total); err == nil && inv.Paid {
			booked = booked.Add(d)
		}
	}
	if o.invoicing && len(o.Invoices) == 0 {
		return fmt.Sprintf("%s in BigCommerce but a Heartland invoice is completed (goods left): settle it by hand (nothing shipped in BigCommerce or booked as paid; order total %s)",
			status, o.Total)
	}
	return fmt.Sprintf("%s in BigCommerce after %d shipment(s): settle it by hand (booked as paid in Heartland %s of order total %s)",
		status, len(o.Invoices), booked.StringFixed(2), o.Total)
}

// finishedStage is the stage of an order an earlier workflow finished:
// a canceled Heartland order is cancelled, never closed.
func (o *order) finishedStage(heartlandStatus string) string {
	if o.money && heartlandStatus == "canceled" {
		return OrderStageCancelled
	}
	return OrderStageClosed
}

// moneyOrderID is the BigCommerce order a payment is checked against, 0
// (unchecked) in runs before moneyChange, whose activities did not check.
func (o *order) moneyOrderID() int {
	if o.money {
		return o.OrderID
	}
	return 0
}

// refundedStatus is bcRefunded in runs under moneyChange, where a full
// refund is handled like a cancellation, and an id no order has before.
func (o *order) refundedStatus() int {
	if o.money {
		return bcRefunded
	}
	return -1
}

// cancelledSale is true for an order BigCommerce cancelled or declined
// before it reached Heartland: under moneyChange it is recorded there as a
// canceled sales order (nothing committed), so that Heartland holds every
// web sale, as the BigCommerce integration it replaces does.
func (o *order) cancelledSale(snap activities.OrderSnapshot) bool {
	return o.money && (snap.StatusID == bcCancelled || snap.StatusID == bcDeclined)
}
