package worker

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// With HRBC_PPROF the metrics mux answers Go's profile index and a CPU
// profile; the profile is gzip data (pprof's format), not an error page.
func TestPprofServedBesideMetrics(t *testing.T) {
	mux := http.NewServeMux()
	servePprof(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (int, string) {
		t.Helper()
		c := &http.Client{Timeout: 30 * time.Second}
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	if code, body := get(pprofPath); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("GET %s: %d, want 200 listing the goroutine profile:\n%.300s", pprofPath, code, body)
	}
	if code, body := get(pprofPath + "profile?seconds=1"); code != http.StatusOK || !strings.HasPrefix(body, "\x1f\x8b") {
		t.Errorf("GET %sprofile: %d, want 200 with a gzip profile; got %.100q", pprofPath, code, body)
	}
	if code, _ := get(pprofPath + "heap"); code != http.StatusOK {
		t.Errorf("GET %sheap: %d, want 200", pprofPath, code)
	}
}
