package bigcommercetest

import (
	"fmt"
	"net/http"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/shopspring/decimal"
)

func (s *Server) paymentRoutes() {
	s.api.HandleFunc("GET /v3/orders/{id}/transactions", s.listTransactions)
	s.api.HandleFunc("POST /v3/orders/{id}/payment_actions/capture", s.capture)
	s.api.HandleFunc("POST /v3/orders/{id}/payment_actions/void", s.void)
	s.api.HandleFunc("GET /v3/orders/{id}/payment_actions/refunds", s.listRefunds)
	s.api.HandleFunc("POST /v3/orders/{id}/payment_actions/refunds", s.createRefund)
}

func (s *Server) listTransactions(w http.ResponseWriter, r *http.Request) {
	s.st.mu.Lock()
	rec := s.orderOr404(w, r, true)
	if rec == nil {
		s.st.mu.Unlock()
		return
	}
	items := append([]bc.Transaction(nil), rec.transactions...)
	s.st.mu.Unlock()
	if len(items) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	v3List(w, r, items, 250)
}

// capture takes an authorized payment to the gateway: captured at once,
// or "capture pending" and settled later (SetGateway), as the real store
// does. Anything else is a 422.
func (s *Server) capture(w http.ResponseWriter, r *http.Request) {
	st := s.st
	st.mu.Lock()
	rec := s.orderOr404(w, r, true)
	if rec == nil {
		st.mu.Unlock()
		return
	}
	if ps := rec.order.PaymentStatus; ps != bc.PaymentAuthorized {
		st.mu.Unlock()
		title := "The order payment cannot be captured in its current state: " + ps
		if ps == bc.PaymentCaptured || ps == bc.PaymentPaid {
			title = "The order payment has already been captured"
		}
		writeV3Error(w, http.StatusUnprocessableEntity, title, nil)
		return
	}
	s.startCapture(rec)
	id := rec.order.ID
	st.mu.Unlock()
	s.hooks.emit("store/order/updated", map[string]any{"type": "order", "id": id})
	writeJSON(w, http.StatusCreated, map[string]any{})
}

func (s *Server) void(w http.ResponseWriter, r *http.Request) {
	st := s.st
	st.mu.Lock()
	rec := s.orderOr404(w, r, true)
	if rec == nil {
		st.mu.Unlock()
		return
	}
	if ps := rec.order.PaymentStatus; ps != bc.PaymentAuthorized {
		st.mu.Unlock()
		writeV3Error(w, http.StatusUnprocessableEntity, "The order payment cannot be voided in its current state: "+ps, nil)
		return
	}
	rec.order.PaymentStatus = bc.PaymentVoid
	rec.transactions = append(rec.transactions, st.newTransaction(rec.order.ID, "void", rec.order.TotalIncTax.Decimal))
	st.touch(rec)
	st.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{})
}

func (s *Server) listRefunds(w http.ResponseWriter, r *http.Request) {
	s.st.mu.Lock()
	rec := s.orderOr404(w, r, true)
	if rec == nil {
		s.st.mu.Unlock()
		return
	}
	items := append([]bc.Refund(nil), rec.refunds...)
	s.st.mu.Unlock()
	v3List(w, r, items, 250)
}

func (s *Server) createRefund(w http.ResponseWriter, r *http.Request) {
	var in bc.RefundCreate
	if err := decodeBody(r, &in); err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, "JSON data is missing or invalid", map[string]string{"body": err.Error()})
		return
	}
	st := s.st
	st.mu.Lock()
	rec := s.orderOr404(w, r, true)
	if rec == nil {
		st.mu.Unlock()
		return
	}
	ref, prev, msg := st.refund(rec, in)
	if msg != "" {
		st.mu.Unlock()
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"data": []map[string]any{{"status": 422, "title": msg, "type": errorType}}})
		return
	}
	next := rec.order.StatusID
	id := rec.order.ID
	st.mu.Unlock()
	s.hooks.emit("store/order/refund/created", map[string]any{"type": "order", "id": id, "refund": map[string]int{"refund_id": ref.ID}})
	s.emitOrderChange(id, prev, next)
	v3Data(w, http.StatusCreated, ref)
}

// refund validates and applies a refund: line quantities, then status 4
// (everything refunded) or 14 and the matching payment_status. Caller holds mu.
func (st *store) refund(rec *orderRec, in bc.RefundCreate) (bc.Refund, int, string) {
	switch rec.order.PaymentStatus {
	case bc.PaymentCaptured, bc.PaymentPaid, bc.PaymentPartiallyRefunded:
	default:
		return bc.Refund{}, 0, "The order payment must be captured before it can be refunded"
	}
	if len(in.Items) == 0 {
		return bc.Refund{}, 0, "At least one item is required"
	}
	amount := decimal.Zero
	qty := map[int]int{}
	for _, it := range in.Items {
		switch it.ItemType {
		case "PRODUCT":
			idx := lineIndex(rec, it.ItemID)
			if idx < 0 || it.Quantity <= 0 {
				return bc.Refund{}, 0, fmt.Sprintf("Invalid refund item %d", it.ItemID)
			}
			qty[idx] += it.Quantity
			p := rec.products[idx]
			if p.QuantityRefunded+qty[idx] > p.Quantity {
				return bc.Refund{}, 0, fmt.Sprintf("Refund quantity for item %d exceeds the refundable quantity", it.ItemID)
			}
			amount = amount.Add(p.PriceIncTax.Mul(decimal.NewFromInt(int64(it.Quantity))))
		case "ORDER", "SHIPPING", "HANDLING", "GIFT_WRAPPING", "FEE", "TAX":
			if it.Amount == nil || !it.Amount.IsPositive() {
				return bc.Refund{}, 0, "An amount-bound refund item needs a positive amount"
			}
			amount = amount.Add(it.Amount.Decimal)
		default:
			return bc.Refund{}, 0, "Unknown item_type " + it.ItemType
		}
	}
	refunded := decimal.Zero
	for _, rf := range rec.refunds {
		refunded = refunded.Add(rf.TotalAmount.Decimal)
	}
	if refunded.Add(amount).GreaterThan(rec.order.TotalIncTax.Decimal) {
		return bc.Refund{}, 0, "The refund amount exceeds the refundable amount"
	}
	for idx, q := range qty {
		rec.products[idx].QuantityRefunded += q
		rec.products[idx].IsRefunded = rec.products[idx].QuantityRefunded >= rec.products[idx].Quantity
	}
	ref := bc.Refund{
		ID: st.nextID("refund"), OrderID: rec.order.ID, Created: bc.Time{Time: st.now()}, Reason: in.Reason,
		TotalAmount: bc.NumberFromDecimal(amount), Items: in.Items,
		Payments: []bc.RefundPayment{{ID: st.nextID("refund_payment"), ProviderID: "testgateway", Amount: bc.NumberFromDecimal(amount)}},
	}
	rec.refunds = append(rec.refunds, ref)
	rec.transactions = append(rec.transactions, st.newTransaction(rec.order.ID, "refund", amount))
	prev := rec.order.StatusID
	total := refunded.Add(amount)
	rec.order.RefundedAmount = bc.MoneyFromDecimal(total)
	if total.GreaterThanOrEqual(rec.order.TotalIncTax.Decimal) {
		st.setStatus(rec, bc.StatusRefunded)
		rec.order.PaymentStatus = bc.PaymentRefunded
	} else {
		st.setStatus(rec, bc.StatusPartiallyRefunded)
		rec.order.PaymentStatus = bc.PaymentPartiallyRefunded
	}
	return ref, prev, ""
}

// seedPartialRefund refunds one unit of the first line (for OrderSeed.PartialRefund).
func (s *Server) seedPartialRefund(orderID int) error {
	st := s.st
	st.mu.Lock()
	rec := st.orders[orderID]
	if rec.order.PaymentStatus == bc.PaymentAuthorized || rec.order.PaymentStatus == bc.PaymentPartiallyRefunded {
		rec.order.PaymentStatus = bc.PaymentCaptured
	}
	_, _, msg := st.refund(rec, bc.RefundCreate{Reason: "seeded partial refund", Items: []bc.RefundItem{{ItemType: "PRODUCT", ItemID: rec.products[0].ID, Quantity: 1}}})
	st.mu.Unlock()
	if msg != "" {
		return fmt.Errorf("bigcommercetest: partial refund: %s", msg)
	}
	return nil
}

// Transactions returns an order's transactions.
func (s *Server) Transactions(orderID int) []bc.Transaction {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	if rec := s.st.orders[orderID]; rec != nil {
		return append([]bc.Transaction(nil), rec.transactions...)
	}
	return nil
}

// Refunds returns an order's refunds.
func (s *Server) Refunds(orderID int) []bc.Refund {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	if rec := s.st.orders[orderID]; rec != nil {
		return append([]bc.Refund(nil), rec.refunds...)
	}
	return nil
}
