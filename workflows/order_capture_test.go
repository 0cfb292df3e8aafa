package workflows

import (
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
)

// authorizedOrderWorld is an order placed through an authorize-only
// gateway: Awaiting Payment, payment authorized, one invoice shipping it.
func authorizedOrderWorld() (*orderWorld, Settings) {
	w, s := closingOrderWorld()
	w.snap.StatusID, w.snap.Status = bcAwaitingPayment, "Awaiting Payment"
	return w, s
}

// On a connection that captures on the first shipment, an order Awaiting
// Payment with its payment authorized is imported, captured at its first
// shipment (waiting out "capture pending") and closed.
func TestOrderAuthorizedAwaitingPaymentCapturedOnFirstShipment(t *testing.T) {
	w, s := authorizedOrderWorld()
	w.gatewayRounds = 3
	s.Capture = CaptureOnFirstShipment
	env := newOrderEnv(t, w)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s, Options: OrderOptions{FinishedWatch: time.Hour}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	st := queryOrder(t, env)
	if w.hlOrder != 900 || w.captures != 1 || len(w.shipments) != 1 || st.Stage != OrderStageClosed || w.snap.PaymentStatus != "captured" {
		t.Errorf("heartland order %d, captures %d, shipments %d, stage %s, payment %s", w.hlOrder, w.captures, len(w.shipments), st.Stage, w.snap.PaymentStatus)
	}
}

// The default capture setting leaves an order Awaiting Payment alone: its
// money is not confirmed.
func TestOrderAwaitingPaymentWaitsWhenTheStoreCapturesAtCheckout(t *testing.T) {
	w, s := authorizedOrderWorld()
	st := stateAfterAnHour(t, w, s, nil)
	if st.Stage != OrderStageWaitingStatus || w.hlOrder != 0 {
		t.Errorf("stage %s, heartland order %d; want waiting_status and nothing in Heartland", st.Stage, w.hlOrder)
	}
}

// An order Awaiting Payment by bank transfer (payment pending) is never
// imported, whatever the capture setting.
func TestOrderAwaitingPaymentNotAuthorizedIsNotImported(t *testing.T) {
	w, s := authorizedOrderWorld()
	w.snap.PaymentStatus = "pending"
	s.Capture = CaptureOnFirstShipment
	st := stateAfterAnHour(t, w, s, nil)
	if st.Stage != OrderStageWaitingStatus || w.hlOrder != 0 {
		t.Errorf("stage %s, heartland order %d", st.Stage, w.hlOrder)
	}
}

// A capture the gateway declines ships nothing and asks a person.
func TestOrderDeclinedCaptureShipsNothing(t *testing.T) {
	w, s := closingOrderWorld()
	w.gatewayRounds, w.declineCapture = 1, true
	st := stateAfterAnHour(t, w, s, nil)
	if st.Stage != OrderStageAttention || !strings.Contains(st.Attention, "declined") || len(w.shipments) != 0 || len(w.paid) != 0 {
		t.Errorf("stage %s %q, shipments %d, paid %v", st.Stage, st.Attention, len(w.shipments), w.paid)
	}
}

// Runs before captureChange treat a pending capture as a payment not
// received: attention, nothing shipped.
func TestOrderBeforeCaptureChangeShowsAPendingCapture(t *testing.T) {
	w, s := closingOrderWorld()
	w.gatewayRounds = 100
	st := stateAfterAnHour(t, w, s, func(env *testsuite.TestWorkflowEnvironment) {
		orderBefore(env, captureChange)
	})
	if st.Stage != OrderStageAttention || len(w.shipments) != 0 {
		t.Errorf("stage %s %q, shipments %d", st.Stage, st.Attention, len(w.shipments))
	}
}

func TestCaptureSettingIsChecked(t *testing.T) {
	s := orderSettings()
	s.Capture = "later"
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "capture") {
		t.Errorf("capture %q: %v", s.Capture, err)
	}
	s.Capture = CaptureOnFirstShipment
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
}

// stateAfterAnHour runs an order in w with settings s (after edit, when
// given, has set up the environment) and returns its state an hour in.
func stateAfterAnHour(t *testing.T, w *orderWorld, s Settings, edit func(*testsuite.TestWorkflowEnvironment)) OrderState {
	t.Helper()
	env := newOrderEnv(t, w)
	if edit != nil {
		edit(env)
	}
	var st OrderState
	env.RegisterDelayedCallback(func() {
		st = queryOrder(t, env)
		env.CancelWorkflow()
	}, time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	return st
}
