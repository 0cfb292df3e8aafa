package intake

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// Secrets of the connection "shop" with one secret per platform, in the
// middle of a rotation: each platform's previous secret is still accepted.
const (
	storeSecret         = "store-secret-0123456789"
	storeSecretPrevious = "store-secret-previous-01"
	hlSecret            = "heartland-secret-0123456789"
	hlSecretPrevious    = "heartland-secret-previous-01"
)

// newPlatformIntake serves an intake over a real listener whose
// connection "shop" has the secrets given per platform.
func newPlatformIntake(t *testing.T, wf *fakeWorkflows, store, heartland []string) *httptest.Server {
	t.Helper()
	in := New(wf, slog.New(slog.DiscardHandler), func(id string, p Platform) ([]string, bool) {
		if id != "shop" {
			return nil, false
		}
		if p == Heartland {
			return heartland, true
		}
		return store, true
	})
	srv := httptest.NewServer(in)
	t.Cleanup(func() {
		srv.Close()
		_ = in.Shutdown(context.Background())
	})
	return srv
}

// storeDelivery posts an order event as BigCommerce does, with secret in
// the header hrbc registers.
func storeDelivery(t *testing.T, srv *httptest.Server, secret string) int {
	t.Helper()
	code, _ := post(t, srv, "/webhooks/bigcommerce/shop", orderCreated, map[string]string{BigCommerceSecretHeader: secret})
	return code
}

// heartlandDelivery posts an item event as Heartland does, with secret in
// the registered URL's query.
func heartlandDelivery(t *testing.T, srv *httptest.Server, secret string) int {
	t.Helper()
	code, _ := post(t, srv, "/webhooks/heartland/shop?secret="+url.QueryEscape(secret),
		`{"id":1,"public_id":"MUG","description":"Mug","active?":true}`, nil)
	return code
}

// TestEachPlatformOpensOnlyItsOwnDoor: the Heartland secret, which
// Heartland keeps (and shows) in a URL, does not authenticate a forged
// store event, and the store's secret does not authenticate a Heartland
// delivery; each platform's own secret does.
func TestEachPlatformOpensOnlyItsOwnDoor(t *testing.T) {
	wf := &fakeWorkflows{status: orderSyncOn()}
	srv := newPlatformIntake(t, wf, []string{storeSecret}, []string{hlSecret})

	if code := storeDelivery(t, srv, hlSecret); code != http.StatusUnauthorized {
		t.Errorf("store event with the Heartland secret = %d, want 401", code)
	}
	if code := heartlandDelivery(t, srv, storeSecret); code != http.StatusUnauthorized {
		t.Errorf("Heartland event with the store's secret = %d, want 401", code)
	}
	if calls := wf.Calls(); len(calls) != 0 {
		t.Fatalf("a refused delivery reached the workflows: %v", calls)
	}
	if code := storeDelivery(t, srv, storeSecret); code != http.StatusNoContent {
		t.Errorf("store event with its secret = %d, want 204", code)
	}
	if code := heartlandDelivery(t, srv, hlSecret); code != http.StatusAccepted {
		t.Errorf("Heartland event with its secret = %d, want 202", code)
	}
	if calls := wf.Calls(); len(calls) != 2 || calls[1] != "OrderCreated shop 102 source=3" {
		t.Errorf("calls = %v, want the store's order handed over", calls)
	}
}

// TestRotationWindowAcceptsThePreviousSecret: while a rotation runs, a
// delivery signed before it (with the previous secret) is still taken, on
// its own platform only; once the previous secret is removed it is refused.
func TestRotationWindowAcceptsThePreviousSecret(t *testing.T) {
	wf := &fakeWorkflows{status: orderSyncOn()}
	during := newPlatformIntake(t, wf, []string{storeSecret, storeSecretPrevious}, []string{hlSecret, hlSecretPrevious})
	for _, tc := range []struct {
		name string
		code int
		want int
	}{
		{"store, new secret", storeDelivery(t, during, storeSecret), http.StatusNoContent},
		{"store, previous secret", storeDelivery(t, during, storeSecretPrevious), http.StatusNoContent},
		{"Heartland, new secret", heartlandDelivery(t, during, hlSecret), http.StatusAccepted},
		{"Heartland, previous secret", heartlandDelivery(t, during, hlSecretPrevious), http.StatusAccepted},
		{"store, Heartland's previous secret", storeDelivery(t, during, hlSecretPrevious), http.StatusUnauthorized},
		{"Heartland, the store's previous secret", heartlandDelivery(t, during, storeSecretPrevious), http.StatusUnauthorized},
	} {
		if tc.code != tc.want {
			t.Errorf("during the rotation, %s = %d, want %d", tc.name, tc.code, tc.want)
		}
	}

	after := newPlatformIntake(t, &fakeWorkflows{status: orderSyncOn()}, []string{storeSecret}, []string{hlSecret})
	if code := storeDelivery(t, after, storeSecretPrevious); code != http.StatusUnauthorized {
		t.Errorf("after the rotation, store event with the previous secret = %d, want 401", code)
	}
	if code := heartlandDelivery(t, after, hlSecretPrevious); code != http.StatusUnauthorized {
		t.Errorf("after the rotation, Heartland event with the previous secret = %d, want 401", code)
	}
	if code := storeDelivery(t, after, storeSecret); code != http.StatusNoContent {
		t.Errorf("after the rotation, store event with the new secret = %d, want 204", code)
	}
}
