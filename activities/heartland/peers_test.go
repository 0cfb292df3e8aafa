package heartland

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"golang.org/x/time/rate"
)

// TestPeersShareTheAccountsPacing: a client told it has peers paces at
// its share of the account's rate, follows the count as workers come and
// go, and is back to the whole when alone again; each keeps the whole
// burst, so one order's calls in a row do not wait on a third of it.
func TestPeersShareTheAccountsPacing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":1}`))
	}))
	defer srv.Close()
	var peers atomic.Int64
	peers.Store(3)
	c, err := New(Config{BaseURL: srv.URL + "/api/", Token: "t", RequestsPerSecond: 6, Burst: 10,
		Peers: func() int { return int(peers.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		peers    int64
		wantRate rate.Limit
	}{
		{3, 2},
		{2, 3}, // a worker stopped
		{0, 6}, // no count (a failed lookup): alone
		{1, 6},
		{20, 0.3},
	}
	for _, s := range steps {
		peers.Store(s.peers)
		if _, err := c.GetItem(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		if got := c.lim.Limit(); got != s.wantRate {
			t.Errorf("%d peers: rate %v, want %v", s.peers, got, s.wantRate)
		}
		if _, burst, _ := c.Pacing(); burst != 10 {
			t.Errorf("%d peers: burst %d, want the whole 10", s.peers, burst)
		}
	}
}

// TestPeersLeaveUnpacedClientsAlone: without pacing there is nothing to
// share, and a client without Peers keeps what it was configured with.
func TestPeersLeaveUnpacedClientsAlone(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id":1}`))
	}))
	defer srv.Close()
	off, _ := New(Config{BaseURL: srv.URL + "/api/", Token: "t", RequestsPerSecond: -1, Peers: func() int { return 3 }})
	alone, _ := New(Config{BaseURL: srv.URL + "/api/", Token: "t", RequestsPerSecond: 6, Burst: 10})
	for _, c := range []*Client{off, alone} {
		if _, err := c.GetItem(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
	}
	if off.lim.Limit() != rate.Inf {
		t.Errorf("unpaced client got a rate: %v", off.lim.Limit())
	}
	if alone.lim.Limit() != 6 || alone.lim.Burst() != 10 {
		t.Errorf("client without peers: rate %v burst %d, want 6 and 10", alone.lim.Limit(), alone.lim.Burst())
	}
}
