package intake

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzBigCommerceWebhook feeds arbitrary bodies to the BigCommerce webhook
// with the right secret: whatever arrives, the intake answers a status it
// documents (never a 5xx other than 503, never a panic; 202 holds a
// delivery for a later hand-over) and hands over only
// positive order and product ids. `go test` runs the seeds; `go test
// -fuzz FuzzBigCommerceWebhook ./worker/intake` explores further.
func FuzzBigCommerceWebhook(f *testing.F) {
	for _, seed := range []string{
		`{"scope":"store/order/created","store_id":"1","data":{"type":"order","id":102}}`,
		`{"scope":"store/order/statusUpdated","data":{"type":"order","id":"102","status":{"previous_status_id":0,"new_status_id":11}}}`,
		`{"scope":"store/shipment/created","data":{"type":"shipment","id":5,"orderId":102}}`,
		`{"scope":"store/product/created","data":{"type":"product","id":77}}`,
		`{"scope":"store/order/created","data":{"id":-1}}`,
		`{"scope":"store/order/created","data":{"id":1e400}}`,
		`{"scope":"store/order/created","data":{"id":9223372036854775808}}`,
		`{"scope":"store/app/uninstalled"}`,
		`{"scope":"store/order/`, `null`, `[]`, ``, `{"data":"x"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		wf := &fakeWorkflows{status: orderSyncOn()}
		in := New(wf, slog.New(slog.DiscardHandler), func(string, Platform) ([]string, bool) { return []string{testSecret}, true })
		defer func() { _ = in.Shutdown(context.Background()) }()
		req := httptest.NewRequest(http.MethodPost, "/webhooks/bigcommerce/shop", strings.NewReader(body))
		req.Header.Set(BigCommerceSecretHeader, testSecret)
		rec := httptest.NewRecorder()
		in.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusNoContent, http.StatusAccepted, http.StatusBadRequest, http.StatusServiceUnavailable:
		default:
			t.Fatalf("body %q answered %d", body, rec.Code)
		}
		for _, call := range wf.Calls() {
			var id int
			parsed := false
			for _, format := range []string{"OrderChanged shop %d", "OrderCreated shop %d", "ProductCreated shop %d"} {
				if _, err := fmt.Sscanf(call, format, &id); err == nil {
					parsed = true
					break
				}
			}
			if !parsed {
				continue
			}
			if id <= 0 {
				t.Fatalf("body %q handed over %q", body, call)
			}
		}
	})
}
