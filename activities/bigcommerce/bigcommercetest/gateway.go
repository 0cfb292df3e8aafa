package bigcommercetest

import (
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// Gateway is how the fake store's payment gateway settles a capture. The
// real store answers a capture with payment_status "capture pending" and
// settles it later, or declines it; the zero Gateway settles at once,
// which most tests want.
type Gateway struct {
	// CaptureDelay keeps a captured payment "capture pending" this long.
	CaptureDelay time.Duration
	// DeclineCaptures makes every capture end "declined" instead of
	// "captured" (after CaptureDelay).
	DeclineCaptures bool
}

// SetGateway changes how later captures are settled.
func (s *Server) SetGateway(g Gateway) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	s.st.gateway = g
}

// settleCapture ends a capture the gateway has taken, with st.mu held: the
// money is captured (an order Awaiting Payment moves to Awaiting
// Fulfillment, as the real store does) or the capture is declined.
func (st *store) settleCapture(rec *orderRec, decline bool) {
	if decline {
		rec.order.PaymentStatus = bc.PaymentDeclined
		st.touch(rec)
		return
	}
	rec.order.PaymentStatus = bc.PaymentCaptured
	rec.transactions = append(rec.transactions, st.newTransaction(rec.order.ID, "capture", rec.order.TotalIncTax.Decimal))
	if rec.order.StatusID == bc.StatusAwaitingPayment {
		rec.order.StatusID = bc.StatusAwaitingFulfillment
		rec.order.Status = statusNames[bc.StatusAwaitingFulfillment].name
		rec.order.CustomStatus = rec.order.Status
	}
	st.touch(rec)
}

// startCapture takes a capture of an authorized payment, with st.mu held.
// It reports whether the capture is settled already; otherwise settle runs
// it (without the lock) once the gateway's delay has passed.
func (s *Server) startCapture(rec *orderRec) (settled bool) {
	g := s.st.gateway
	if g.CaptureDelay <= 0 && !g.DeclineCaptures {
		s.st.settleCapture(rec, false)
		return true
	}
	rec.order.PaymentStatus = bc.PaymentCapturePending
	s.st.touch(rec)
	id := rec.order.ID
	time.AfterFunc(g.CaptureDelay, func() {
		s.st.mu.Lock()
		r := s.st.orders[id]
		if r == nil || r.order.PaymentStatus != bc.PaymentCapturePending {
			s.st.mu.Unlock()
			return
		}
		s.st.settleCapture(r, g.DeclineCaptures)
		s.st.mu.Unlock()
		s.hooks.emit("store/order/updated", map[string]any{"type": "order", "id": id})
	})
	return false
}
