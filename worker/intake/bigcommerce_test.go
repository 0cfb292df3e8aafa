package intake

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/workflows"
)

// bcHook posts a BigCommerce delivery for "shop" carrying secret.
func bcHook(t *testing.T, wf *fakeWorkflows, secret, body string) (int, []string) {
	t.Helper()
	_, srv := newTestIntake(t, wf)
	header := map[string]string{}
	if secret != "" {
		header[BigCommerceSecretHeader] = secret
	}
	code, _ := post(t, srv, "/webhooks/bigcommerce/shop", body, header)
	return code, wf.Calls()
}

const orderCreated = `{"scope":"store/order/created","store_id":"1","data":{"type":"order","id":102}}`

func TestBigCommerceWebhookRefusesWrongSecrets(t *testing.T) {
	for _, tc := range []struct{ name, path, secret string }{
		{"missing", "/webhooks/bigcommerce/shop", ""},
		{"wrong", "/webhooks/bigcommerce/shop", "not-the-secret-at-all"},
		{"a prefix of it", "/webhooks/bigcommerce/shop", testSecret[:len(testSecret)-1]},
		{"longer", "/webhooks/bigcommerce/shop", testSecret + "x"},
		{"right secret, unknown connection", "/webhooks/bigcommerce/other", testSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wf := &fakeWorkflows{status: orderSyncOn()}
			_, srv := newTestIntake(t, wf)
			header := map[string]string{}
			if tc.secret != "" {
				header[BigCommerceSecretHeader] = tc.secret
			}
			code, body := post(t, srv, tc.path, orderCreated, header)
			if code != http.StatusUnauthorized || strings.TrimSpace(body) != "unauthorized" {
				t.Errorf("answer = %d %q, want 401 unauthorized", code, body)
			}
			if calls := wf.Calls(); len(calls) != 0 {
				t.Errorf("a refused delivery reached the workflows: %v", calls)
			}
		})
	}
}

func TestBigCommerceWebhookSecretInTheQueryIsNotEnough(t *testing.T) {
	wf := &fakeWorkflows{status: orderSyncOn()}
	_, srv := newTestIntake(t, wf)
	if code, _ := post(t, srv, "/webhooks/bigcommerce/shop?secret="+testSecret, orderCreated, nil); code != http.StatusUnauthorized {
		t.Errorf("answer = %d, want 401: BigCommerce authenticates by header only", code)
	}
}

func TestBigCommerceWebhookRoutesEveryOrderScope(t *testing.T) {
	// A new order is started (no signal needed); every other order event
	// tells the order's workflow, starting it if need be.
	for _, tc := range []struct{ scope, data, handOver string }{
		{"store/order/created", `{"type":"order","id":102}`, "OrderCreated"},
		{"store/order/updated", `{"type":"order","id":102}`, "OrderChanged"},
		{"store/order/statusUpdated", `{"type":"order","id":102,"status":{"previous_status_id":0,"new_status_id":11}}`, "OrderChanged"},
		{"store/order/archived", `{"type":"order","id":102}`, "OrderChanged"},
		// A refund, full or partial (the payload BigCommerce documents).
		{"store/order/refund/created", `{"type":"order","id":102,"refund":{"refund_id":7}}`, "OrderChanged"},
		{"store/order/updated", `{"type":"order","id":"102"}`, "OrderChanged"},
	} {
		t.Run(tc.scope, func(t *testing.T) {
			wf := &fakeWorkflows{status: orderSyncOn()}
			code, calls := bcHook(t, wf, testSecret, `{"scope":"`+tc.scope+`","data":`+tc.data+`}`)
			want := []string{"ConnectionSettings shop", tc.handOver + " shop 102 source=3"}
			if code != http.StatusNoContent || !slices.Equal(calls, want) {
				t.Errorf("answer %d, calls %v; want 204 and %v", code, calls, want)
			}
		})
	}
}

func TestBigCommerceWebhookProductCreated(t *testing.T) {
	wf := &fakeWorkflows{status: orderSyncOn()}
	code, calls := bcHook(t, wf, testSecret, `{"scope":"store/product/created","data":{"type":"product","id":77}}`)
	if code != http.StatusNoContent || !slices.Equal(calls, []string{"ProductCreated shop 77"}) {
		t.Errorf("answer %d, calls %v; want 204 and ProductCreated shop 77", code, calls)
	}
}

func TestBigCommerceWebhookAcknowledgesOtherScopes(t *testing.T) {
	for _, scope := range []string{"store/product/updated", "store/customer/created", "store/cart/created", "store/shipment/created", ""} {
		wf := &fakeWorkflows{status: orderSyncOn()}
		code, calls := bcHook(t, wf, testSecret, `{"scope":"`+scope+`","data":{"id":5}}`)
		if code != http.StatusNoContent || len(calls) != 0 {
			t.Errorf("scope %q: answer %d, calls %v; want 204 and nothing", scope, code, calls)
		}
	}
}

func TestBigCommerceWebhookWithoutOrderSyncStartsNothing(t *testing.T) {
	off := orderSyncOn()
	off.Settings.OrderSync = false
	for name, status := range map[string]workflows.ConnectionStatus{
		"order sync off": off,
		"unconfigured":   {Stage: workflows.StageUnconfigured},
	} {
		wf := &fakeWorkflows{status: status}
		code, calls := bcHook(t, wf, testSecret, orderCreated)
		if code != http.StatusNoContent || !slices.Equal(calls, []string{"ConnectionSettings shop"}) {
			t.Errorf("%s: answer %d, calls %v; want 204 after reading the status only", name, code, calls)
		}
	}
}

func TestBigCommerceWebhookRefusesMalformedBodies(t *testing.T) {
	big := `{"scope":"store/order/created","data":{"id":102},"pad":"` + strings.Repeat("x", maxBody) + `"}`
	for _, tc := range []struct{ name, body, answer string }{
		{"not json", "not json", "unreadable body"},
		{"empty", "", "unreadable body"},
		{"truncated", `{"scope":"store/order/created","data":{"id":1`, "unreadable body"},
		{"id not a number", `{"scope":"store/order/created","data":{"id":"x"}}`, "unreadable body"},
		{"over the size cap", big, "unreadable body"},
		{"order without id", `{"scope":"store/order/created","data":{}}`, "no order id in data"},
		{"order id zero", `{"scope":"store/order/updated","data":{"id":0}}`, "no order id in data"},
		{"negative order id", `{"scope":"store/order/updated","data":{"id":-4}}`, "no order id in data"},
		{"fractional order id", `{"scope":"store/order/updated","data":{"id":1.5}}`, "no order id in data"},
		{"product without id", `{"scope":"store/product/created","data":{}}`, "no product id in data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wf := &fakeWorkflows{status: orderSyncOn()}
			_, srv := newTestIntake(t, wf)
			code, body := post(t, srv, "/webhooks/bigcommerce/shop", tc.body, map[string]string{BigCommerceSecretHeader: testSecret})
			if code != http.StatusBadRequest || strings.TrimSpace(body) != tc.answer {
				t.Errorf("answer = %d %q, want 400 %q", code, body, tc.answer)
			}
			if calls := wf.Calls(); len(calls) != 0 {
				t.Errorf("a malformed delivery reached the workflows: %v", calls)
			}
		})
	}
}

// A 503 makes BigCommerce deliver again, which is what a delivery hrbc
// could neither hand over nor hold needs: here, one of a connection whose
// status could not be read (so no order sweep is known to be behind it).
// Deliveries that can be held are answered 202 (deferred_test.go).
func TestBigCommerceWebhookAsksForRedeliveryWhenTemporalFails(t *testing.T) {
	wf := &fakeWorkflows{statusErr: errors.New("temporal unavailable")}
	if code, _ := bcHook(t, wf, testSecret, orderCreated); code != http.StatusServiceUnavailable {
		t.Errorf("answer = %d, want 503", code)
	}
}
