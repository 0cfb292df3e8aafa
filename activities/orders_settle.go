package activities

import (
	"context"
	"fmt"
)

// chargesPaymentMarker names the payment of an order's own charges.
const chargesPaymentMarker = "BigCommerce payment for shipping, handling and wrapping"

// SettleOrderPayment makes the Heartland order's money match BigCommerce's
// before the order is closed, and says whether it does.
//
// Shipping, handling and gift-wrapping charges are booked as one payment
// of their own, here, after the last invoice: Heartland keeps them on the
// sales order (shipping_charge), not on any invoice, so no invoice total
// carries them, and BigCommerce captured them with the rest. Booking them
// last, once everything shipped, means an order cancelled or refunded half
// way never has them booked for a person to unpick. The payment is the
// Heartland balance left after the invoices, and is booked only when that
// makes Heartland's total paid equal BigCommerce's captured amount exactly:
// anything else is money that does not add up, reported in Problem for a
// person, and nothing is booked.
func (a *Orders) SettleOrderPayment(ctx context.Context, req SettleRequest) (SettleResult, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (SettleResult, error) {
		o, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
		if err != nil {
			return SettleResult{}, bigCommerceError(fmt.Sprintf("read BigCommerce order %d", req.OrderID), err)
		}
		captured, err := capturedAmount(ctx, cl.BigCommerce, o)
		if err != nil {
			return SettleResult{}, err
		}
		what := fmt.Sprintf("read Heartland order %d", req.HeartlandOrderID)
		hlo, err := cl.Heartland.GetSalesOrder(ctx, req.HeartlandOrderID)
		if err != nil {
			return SettleResult{}, heartlandError(what, err)
		}
		balance := hlo.Balance.Decimal
		if balance.IsPositive() && hlo.TotalPaid.Decimal.Add(balance).Equal(captured) {
			if err := a.recordPayment(ctx, req.ConnectionID, cl.Heartland, req.HeartlandOrderID, chargesPaymentMarker, balance.StringFixed(2)); err != nil {
				return SettleResult{}, err
			}
			if hlo, err = cl.Heartland.GetSalesOrder(ctx, req.HeartlandOrderID); err != nil {
				return SettleResult{}, heartlandError(what, err)
			}
		}
		res := SettleResult{Captured: captured.StringFixed(2), TotalPaid: hlo.TotalPaid.StringFixed(2), Balance: hlo.Balance.StringFixed(2)}
		if !hlo.Balance.IsZero() || !hlo.TotalPaid.Decimal.Equal(captured) {
			res.Problem = fmt.Sprintf("money does not add up: Heartland order %d total %s, total_paid %s, balance %s; BigCommerce order %d captured %s",
				req.HeartlandOrderID, hlo.Total.StringFixed(2), res.TotalPaid, res.Balance, req.OrderID, res.Captured)
		}
		return res, nil
	})
}

// SettleRequest names an order on both sides.
type SettleRequest struct {
	ConnectionID     string `json:"connection_id"`
	OrderID          int    `json:"order_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
}

// SettleResult is the money of an order on both sides, as decimal strings.
type SettleResult struct {
	// Captured is what BigCommerce holds: captures less refunds.
	Captured string `json:"captured"`
	// TotalPaid and Balance are the Heartland order's.
	TotalPaid string `json:"total_paid"`
	Balance   string `json:"balance"`
	// Problem says why the order must not close; empty when the balance is
	// 0 and the total paid equals the captured amount.
	Problem string `json:"problem,omitempty"`
}
