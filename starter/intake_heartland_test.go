package starter

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestHeartlandWebhookChecksSecretFirst(t *testing.T) {
	// No Temporal client: any path that reached a workflow would panic.
	in := NewIntake(nil, slog.New(slog.DiscardHandler), func(id string) (string, bool) {
		return "s3cret", id == "shop"
	})
	item := `{"id":1,"public_id":"MUG","description":"Mug","active?":true}`
	for _, tc := range []struct {
		path, body string
		want       int
	}{
		{"/webhooks/heartland/shop", item, http.StatusUnauthorized},
		{"/webhooks/heartland/shop?secret=s3cre", item, http.StatusUnauthorized},
		{"/webhooks/heartland/shop?secret=s3cret2", item, http.StatusUnauthorized},
		{"/webhooks/heartland/other?secret=s3cret", item, http.StatusUnauthorized},
		{"/webhooks/heartland/shop?secret=s3cret", "not json", http.StatusBadRequest},
		// An item update is accepted and ignored by the inventory sync.
		{"/webhooks/heartland/shop?secret=s3cret", item, http.StatusAccepted},
		{"/webhooks/heartland/shop?secret=s3cret", `{"unknown":true}`, http.StatusAccepted},
	} {
		rec := httptest.NewRecorder()
		in.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, tc.path, strings.NewReader(tc.body)))
		if rec.Code != tc.want {
			t.Errorf("POST %s %.20q = %d, want %d", tc.path, tc.body, rec.Code, tc.want)
		}
	}
	rec := httptest.NewRecorder()
	in.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhooks/heartland/shop?secret=s3cret", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET = %d, want 405", rec.Code)
	}
}

func TestTransactionRefs(t *testing.T) {
	body := `{"type":"Ticket","lines":[{"item_id":4},{"item_id":9},{"item_id":4},{"type":"TaxLine"}]}`
	if got := transactionRefs([]byte(body)); !slices.Equal(got.itemIDs(), []int64{4, 9}) || got.OrderID != 0 {
		t.Errorf("ticket refs = %+v", got)
	}
	if got := transactionRefs([]byte(`{"type":"Invoice","order_id":12}`)); got.itemIDs() != nil || got.OrderID != 12 {
		t.Errorf("invoice refs = %+v", got)
	}
}
