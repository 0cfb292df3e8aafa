package worker_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/workflows"
)

// deliverBigCommerce posts an order event for orderID to the intake as the
// store does, signed, and returns the intake's answer.
func (sh *orderShop) deliverBigCommerce(t *testing.T, scope string, orderID int) int {
	t.Helper()
	body := fmt.Sprintf(`{"scope":%q,"store_id":"1","data":{"type":"order","id":%d},"hash":"y","created_at":2,"producer":"stores/x"}`, scope, orderID)
	return sh.postBigCommerce(t, testWebhookSecret, body)
}

// postBigCommerce posts body to the intake's BigCommerce webhook with
// secret in the header the store sends it in (none when empty), and
// returns the intake's answer.
func (sh *orderShop) postBigCommerce(t *testing.T, secret, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, sh.Intake.URL+"/webhooks/bigcommerce/"+sh.ConnectionID, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set(intake.BigCommerceSecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A customer's new order reaches hrbc as the store's store/order/created
// webhook. Its workflow is started, not signalled, and its first workflow
// task runs on the worker beside the intake, handed over in the start's
// answer instead of through the server's task queue. BigCommerce
// delivering the event again, or an operator's start, leaves the running
// order as it is.
func TestEndToEndNewOrderStartsOnTheIntakesWorker(t *testing.T) {
	sh := newOrderShop(t, nil)
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)

	wid := workflows.OrderWorkflowID(sh.ConnectionID, id)
	hist := sh.history(wid, "")
	if a := hist.Events[0].GetWorkflowExecutionStartedEventAttributes(); a == nil || !a.GetEagerExecutionAccepted() {
		t.Errorf("first event %v: want a start whose first workflow task went to the intake's worker", hist.Events[0].GetEventType())
	}
	for _, ev := range hist.Events {
		if a := ev.GetWorkflowExecutionSignaledEventAttributes(); a != nil {
			t.Errorf("event %d: signal %q; a new order needs none", ev.GetEventId(), a.GetSignalName())
		}
	}

	if code := sh.deliverBigCommerce(t, "store/order/created", id); code != http.StatusNoContent {
		t.Errorf("the event delivered again got %d, want 204", code)
	}
	settings := workflows.DefaultSettings()
	settings.OrderSync = true
	if err := sh.Starter.OrderCreated(sh.ctx(), sh.ConnectionID, id, settings); err != nil {
		t.Errorf("starting a running order: %v, want it left alone", err)
	}
	if n := len(sh.history(wid, "").Events); n != len(hist.Events) {
		t.Errorf("the running order's history grew from %d to %d events on a repeated start", len(hist.Events), n)
	}
	if n := len(sh.HL.Orders()); n != 1 {
		t.Errorf("%d Heartland orders, want 1", n)
	}
}
