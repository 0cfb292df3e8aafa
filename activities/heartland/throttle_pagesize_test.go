package heartland_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// TestThrottleAnswersAreSlowDowns: Heartland's throttle status and headers
// are unpublished, so 429 and 503, with or without Retry-After, all come
// back as ErrRateLimited with the delay to wait.
func TestThrottleAnswersAreSlowDowns(t *testing.T) {
	cases := []struct {
		status int
		header string
		want   time.Duration
	}{
		{http.StatusTooManyRequests, "3", 3 * time.Second},
		{http.StatusTooManyRequests, "", 5 * time.Second},
		{http.StatusServiceUnavailable, "4", 4 * time.Second},
		{http.StatusServiceUnavailable, "", time.Second},
	}
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.header != "" {
				w.Header().Set("Retry-After", tc.header)
			}
			w.WriteHeader(tc.status)
		}))
		c, err := heartland.New(heartland.Config{BaseURL: srv.URL + "/api/", Token: "t", RequestsPerSecond: -1})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetItem(ctx, 1)
		srv.Close()
		d, ok := heartland.RetryDelay(err)
		if !errors.Is(err, heartland.ErrRateLimited) || !heartland.IsRetryable(err) || !ok || d != tc.want {
			t.Errorf("HTTP %d Retry-After %q: %v, delay %v %v; want rate limited after %v", tc.status, tc.header, err, d, ok, tc.want)
		}
	}
	// 500, 502 and 504 stay server errors, retried with the caller's backoff.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	defer srv.Close()
	c, _ := heartland.New(heartland.Config{BaseURL: srv.URL + "/api/", Token: "t", RequestsPerSecond: -1})
	if _, err := c.GetItem(ctx, 1); !errors.Is(err, heartland.ErrServer) || !heartland.IsRetryable(err) {
		t.Errorf("502: %v", err)
	}
}

// TestPageSizeFallsBackWhenRefused: the client starts at the importer's
// 5000 rows, and an account that refuses that (a 400 naming per_page) is
// read at the next smaller size, remembered for later calls.
func TestPageSizeFallsBackWhenRefused(t *testing.T) {
	var asked []string
	var mu atomic.Int32
	srv := heartlandtest.NewServer(heartlandtest.WithDemoSeed(), heartlandtest.WithMaxPerPage(1000))
	defer srv.Close()
	cfg := srv.ClientConfig()
	cfg.PerPage = 0 // the default
	base := cfg.HTTPClient
	if base == nil {
		base = http.DefaultClient
	}
	cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/api/items" {
			mu.Add(1)
			asked = append(asked, r.URL.Query().Get("per_page"))
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := heartland.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.PerPage() != heartland.DefaultPerPage || heartland.DefaultPerPage != 5000 {
		t.Fatalf("starts at %d", c.PerPage())
	}
	items, err := c.WalkItems(heartland.Query{}, heartland.Cursor{}).All(ctx)
	if err != nil || len(items) != len(srv.Items()) {
		t.Fatalf("items: %d %v", len(items), err)
	}
	if strings.Join(asked, ",") != "5000,2500,1000" || c.PerPage() != 1000 {
		t.Fatalf("asked %v, now %d", asked, c.PerPage())
	}
	asked = nil
	if _, err := c.WalkItems(heartland.Query{}, heartland.Cursor{}).All(ctx); err != nil || strings.Join(asked, ",") != "1000" {
		t.Fatalf("second list asked %v: %v", asked, err)
	}
}

// TestPageSizeLearnsASilentCap: a server that answers fewer rows than
// asked (with more pages to come) is read completely and asked for its
// own size from then on.
func TestPageSizeLearnsASilentCap(t *testing.T) {
	srv := heartlandtest.NewServer(heartlandtest.WithDemoSeed(), heartlandtest.WithMaxPerPage(3), heartlandtest.WithPerPageClamp())
	defer srv.Close()
	cfg := srv.ClientConfig()
	cfg.PerPage = 50
	c, err := heartland.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.WalkItems(heartland.Query{}, heartland.Cursor{}).All(ctx)
	if err != nil || len(items) != len(srv.Items()) || len(items) <= 3 {
		t.Fatalf("items: %d of %d %v", len(items), len(srv.Items()), err)
	}
	if c.PerPage() != 3 {
		t.Fatalf("page size now %d, want the server's 3", c.PerPage())
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
