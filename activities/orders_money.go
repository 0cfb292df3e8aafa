package activities

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// receivedPayments are the payment statuses in which BigCommerce holds the
// customer's money. Only in these does hrbc ship or book a payment in
// Heartland: an authorized payment is captured first, and anything else
// (pending, declined, void, capture pending, held for review…) has no money
// behind it yet.
var receivedPayments = []string{bigcommerce.PaymentCaptured, bigcommerce.PaymentPaid}

// finalStatuses are BigCommerce statuses hrbc never moves an order out of:
// the money went back or never came, and a status hrbc set afterwards
// (Shipped) would hide that from the merchant.
var finalStatuses = []int{bigcommerce.StatusRefunded, bigcommerce.StatusCancelled}

// settledStatuses are the statuses in which the workflow, not the payment
// check, decides: the order was refunded or called off in BigCommerce.
var settledStatuses = []int{bigcommerce.StatusRefunded, bigcommerce.StatusCancelled,
	bigcommerce.StatusDeclined, bigcommerce.StatusPartiallyRefunded}

// paymentReceived reports whether BigCommerce holds the order's money.
func paymentReceived(paymentStatus string) bool {
	return slices.Contains(receivedPayments, strings.ToLower(strings.TrimSpace(paymentStatus)))
}

// paymentBlocker says why nothing of an order may ship yet, or "".
func paymentBlocker(o bigcommerce.Order) string {
	if paymentReceived(o.PaymentStatus) {
		return ""
	}
	ps := o.PaymentStatus
	if ps == "" {
		ps = "none"
	}
	if strings.EqualFold(ps, bigcommerce.PaymentDeclined) {
		return fmt.Sprintf("BigCommerce order %d payment_status %q: the gateway declined the payment or its capture; nothing shipped — take the payment again in BigCommerce, then retry", o.ID, ps)
	}
	return fmt.Sprintf("BigCommerce order %d payment_status %q: payment not received, nothing shipped until it is captured", o.ID, ps)
}

// capturedAmount is the money BigCommerce holds for an order: captures and
// purchases less refunds, from the order's transactions. An order paid in
// a received status without a capture or purchase transaction (an offline
// or manual payment; UNCONFIRMED that BigCommerce records none for them)
// counts its total less the v3 refunds; refunded_amount is documented as
// unreliable and is not read.
func capturedAmount(ctx context.Context, bc *bigcommerce.Client, o bigcommerce.Order) (decimal.Decimal, error) {
	txs, err := bc.ListTransactions(ctx, o.ID)
	if err != nil {
		return decimal.Zero, bigCommerceError(fmt.Sprintf("list transactions of BigCommerce order %d", o.ID), err)
	}
	in, out, taken := decimal.Zero, decimal.Zero, false
	for _, tx := range txs {
		if tx.Status != "" && !strings.EqualFold(tx.Status, "ok") {
			continue
		}
		switch strings.ToLower(tx.Event) {
		case "capture", "purchase":
			in, taken = in.Add(tx.Amount.Decimal), true
		case "refund":
			out = out.Add(tx.Amount.Decimal)
		}
	}
	if taken {
		return in.Sub(out), nil
	}
	if !paymentReceived(o.PaymentStatus) && o.PaymentStatus != bigcommerce.PaymentPartiallyRefunded && o.PaymentStatus != bigcommerce.PaymentRefunded {
		return decimal.Zero, nil
	}
	refunds, err := bc.ListRefunds(ctx, o.ID)
	if err != nil {
		return decimal.Zero, bigCommerceError(fmt.Sprintf("list refunds of BigCommerce order %d", o.ID), err)
	}
	total := o.TotalIncTax.Decimal
	for _, r := range refunds {
		total = total.Sub(r.TotalAmount.Decimal)
	}
	return total, nil
}

// paymentGuard refuses a Heartland payment BigCommerce has not received:
// the order's payment is not captured, or the payments already booked plus
// this one would exceed what BigCommerce captured.
func paymentGuard(ctx context.Context, bc *bigcommerce.Client, orderID int, amount string) func([]heartland.Payment) error {
	return func(booked []heartland.Payment) error {
		o, err := bc.GetOrder(ctx, orderID)
		if err != nil {
			return bigCommerceError(fmt.Sprintf("read BigCommerce order %d", orderID), err)
		}
		if reason := paymentBlocker(o); reason != "" {
			return notReceived(reason)
		}
		captured, err := capturedAmount(ctx, bc, o)
		if err != nil {
			return err
		}
		amt, err := decimal.NewFromString(amount)
		if err != nil {
			return notReceived(fmt.Sprintf("payment amount %q for BigCommerce order %d is not a decimal", amount, orderID))
		}
		paid := amt
		for _, p := range booked {
			paid = paid.Add(p.Amount.Decimal)
		}
		if paid.GreaterThan(captured) {
			return notReceived(fmt.Sprintf("BigCommerce order %d: booking %s would make %s paid in Heartland, BigCommerce captured %s",
				orderID, amt.StringFixed(2), paid.StringFixed(2), captured.StringFixed(2)))
		}
		return nil
	}
}

// ErrTypePaymentNotReceived marks a payment hrbc refused to book because
// BigCommerce does not hold the money.
const ErrTypePaymentNotReceived = "PaymentNotReceived"

func notReceived(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrTypePaymentNotReceived, nil)
}

// CapturePayment captures an authorized payment, once: BigCommerce captures
// the whole authorization in one go and refuses a second capture. It says
// whether BigCommerce holds the money afterwards (Blocker empty) and the
// order's status, so that the caller ships nothing of an order that was
// refunded, cancelled or never paid. An order in one of those statuses is
// never captured.
func (a *Orders) CapturePayment(ctx context.Context, req OrderRequest) (CaptureResult, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (CaptureResult, error) {
		o, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
		if err != nil {
			return CaptureResult{}, bigCommerceError(fmt.Sprintf("read BigCommerce order %d", req.OrderID), err)
		}
		res := CaptureResult{PaymentStatus: o.PaymentStatus, StatusID: o.StatusID, Blocker: paymentBlocker(o), Pending: capturePending(o)}
		if slices.Contains(settledStatuses, o.StatusID) || !strings.EqualFold(o.PaymentStatus, bigcommerce.PaymentAuthorized) {
			return res, nil
		}
		if err := cl.BigCommerce.CapturePayment(ctx, req.OrderID); err != nil {
			return CaptureResult{}, bigCommerceError(fmt.Sprintf("capture payment of BigCommerce order %d", req.OrderID), err)
		}
		res.Captured = true
		after, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
		if err != nil {
			// Captured all the same: the capture call answered.
			res.PaymentStatus, res.Blocker = bigcommerce.PaymentCaptured, ""
			return res, nil
		}
		res.PaymentStatus, res.StatusID, res.Blocker, res.Pending = after.PaymentStatus, after.StatusID, paymentBlocker(after), capturePending(after)
		return res, nil
	})
}

// CaptureResult says what capturing found and did.
type CaptureResult struct {
	// Captured is true when this call captured the payment.
	Captured bool `json:"captured"`
	// PaymentStatus is the order's payment status after the call.
	PaymentStatus string `json:"payment_status"`
	// StatusID is the order's status after the call.
	StatusID int `json:"status_id,omitempty"`
	// Blocker says why BigCommerce does not hold the order's money (payment
	// pending, declined, void…); empty when it does.
	Blocker string `json:"blocker,omitempty"`
	// Pending is true while a capture is on its way through the gateway
	// ("capture pending"): the money is neither there nor refused yet.
	// Blocker is set too, so that runs which predate Pending ship nothing.
	Pending bool `json:"pending,omitempty"`
}

// capturePending reports whether the order's capture is still with the
// gateway: the real store answers a capture with "capture pending" and
// settles it (or declines it) later.
func capturePending(o bigcommerce.Order) bool {
	return strings.EqualFold(strings.TrimSpace(o.PaymentStatus), bigcommerce.PaymentCapturePending)
}

// ErrTypeFinalStatus refuses to move a BigCommerce order out of Refunded or
// Cancelled.
const ErrTypeFinalStatus = "FinalStatus"
