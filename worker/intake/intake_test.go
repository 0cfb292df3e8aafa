package intake

import (
	"io"
	"net/http"
	"testing"
)

func TestHealthz(t *testing.T) {
	_, srv := newTestIntake(t, &fakeWorkflows{})
	resp, err := srv.Client().Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(b) != "ok\n" || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("healthz = %d %q %q", resp.StatusCode, b, resp.Header.Get("Content-Type"))
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	wf := &fakeWorkflows{status: orderSyncOn()}
	_, srv := newTestIntake(t, wf)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/webhooks/bigcommerce/shop", http.StatusMethodNotAllowed},
		{http.MethodGet, "/webhooks/heartland/shop?secret=" + testSecret, http.StatusMethodNotAllowed},
		{http.MethodPost, "/healthz", http.StatusMethodNotAllowed},
		{http.MethodPost, "/webhooks/shopify/shop", http.StatusNotFound},
		{http.MethodPost, "/webhooks/bigcommerce/", http.StatusNotFound},
		{http.MethodGet, "/", http.StatusNotFound},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
	}
	if calls := wf.Calls(); len(calls) != 0 {
		t.Errorf("unrouted requests reached the workflows: %v", calls)
	}
}
