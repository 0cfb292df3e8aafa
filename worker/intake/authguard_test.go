package intake

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFailedAuthenticationIsRateLimitedAndSampled: after failBurst bad
// secrets a client address gets 429 even with the right one, and the log
// holds a handful of lines, not one per request.
func TestFailedAuthenticationIsRateLimitedAndSampled(t *testing.T) {
	var log bytes.Buffer
	in := New(nil, slog.New(slog.NewTextHandler(&log, nil)), func(id string, _ Platform) ([]string, bool) {
		return []string{testSecret}, id == "shop"
	})
	send := func(secret string) int {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/bigcommerce/shop", strings.NewReader(`{}`))
		req.RemoteAddr = "192.0.2.7:5555"
		req.Header.Set(BigCommerceSecretHeader, secret)
		rec := httptest.NewRecorder()
		in.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range failBurst {
		if code := send("wrong"); code != http.StatusUnauthorized {
			t.Fatalf("failure %d answered %d", i+1, code)
		}
	}
	for range 100 {
		if code := send("wrong"); code != http.StatusTooManyRequests {
			t.Fatalf("past the limit answered %d, want 429", code)
		}
	}
	if code := send(testSecret); code != http.StatusTooManyRequests {
		t.Errorf("locked-out client with the right secret answered %d, want 429", code)
	}
	if lines := strings.Count(log.String(), "\n"); lines > 5 {
		t.Errorf("%d log lines for 111 refusals, want at most 5:\n%s", lines, log.String())
	}
	// Another address is not affected.
	req := httptest.NewRequest(http.MethodPost, "/webhooks/bigcommerce/shop", strings.NewReader(`{"scope":"store/app/uninstalled"}`))
	req.RemoteAddr = "198.51.100.1:1"
	req.Header.Set(BigCommerceSecretHeader, testSecret)
	rec := httptest.NewRecorder()
	in.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent {
		t.Errorf("other client answered %d", rec.Code)
	}
}

// TestEachPlatformHasItsOwnSecret: Heartland's secret (kept at Heartland
// in a URL) does not open BigCommerce's door, and the other way round.
func TestEachPlatformHasItsOwnSecret(t *testing.T) {
	in := New(nil, slog.New(slog.DiscardHandler), func(id string, p Platform) ([]string, bool) {
		if p == Heartland {
			return []string{"heartland-secret-0123"}, true
		}
		return []string{"bigcommerce-secret-0123"}, true
	})
	for _, tc := range []struct {
		path, header, query string
		want                int
	}{
		{"/webhooks/bigcommerce/shop", "heartland-secret-0123", "", http.StatusUnauthorized},
		{"/webhooks/bigcommerce/shop", "bigcommerce-secret-0123", "", http.StatusNoContent},
		{"/webhooks/heartland/shop", "", "bigcommerce-secret-0123", http.StatusUnauthorized},
		{"/webhooks/heartland/shop", "", "heartland-secret-0123", http.StatusAccepted},
	} {
		req := httptest.NewRequest(http.MethodPost, tc.path+"?secret="+tc.query, strings.NewReader(`{"scope":"store/app/uninstalled","id":1}`))
		req.Header.Set(BigCommerceSecretHeader, tc.header)
		rec := httptest.NewRecorder()
		in.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s with %q%q: %d, want %d", tc.path, tc.header, tc.query, rec.Code, tc.want)
		}
	}
}
