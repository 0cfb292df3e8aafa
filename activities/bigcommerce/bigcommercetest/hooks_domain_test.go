package bigcommercetest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/testclock"
)

// newTestGuard returns a guard on a manual clock, blocking for block.
func newTestGuard(block time.Duration) (*DomainGuard, *testclock.Manual) {
	clock := testclock.NewManual(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	g := NewDomainGuard(block)
	g.now = clock.Now
	return g, clock
}

// send records n deliveries to dest, the first failed of them failed.
func send(g *DomainGuard, dest string, n, failed int) {
	for i := range n {
		g.sent(dest, i >= failed)
	}
}

func TestDomainIsDenylistedBelowNinetyPercentOverAHundredDeliveries(t *testing.T) {
	g, clock := newTestGuard(3 * time.Minute)
	send(g, "http://hooks.example:8080/a", 99, 99)
	if !g.allow("http://hooks.example/b") {
		t.Fatal("denylisted after 99 deliveries: the window needs 100")
	}
	send(g, "https://hooks.example:9443/c", 1, 0)
	if g.allow("http://hooks.example:1/d") {
		t.Fatal("100 deliveries, 99 failed, on one domain (whatever the port and path): not denylisted")
	}
	if !g.allow("http://other.example/a") {
		t.Error("another domain shares the block")
	}
	clock.Advance(3*time.Minute - time.Second)
	if g.allow("http://hooks.example/a") {
		t.Error("the block ended before its three minutes")
	}
	clock.Advance(time.Second)
	if !g.allow("http://hooks.example/a") {
		t.Error("still denylisted after three minutes")
	}
	st := g.Stats()
	if len(st) != 2 || st[0].Domain != "hooks.example" || st[0].Blocks != 1 || st[0].Withheld != 2 ||
		st[0].Sent != 100 || st[0].Failed != 99 || st[0].WorstRatio != 0.01 {
		t.Errorf("stats %+v", st)
	}
}

func TestDomainAtNinetyPercentIsNotDenylisted(t *testing.T) {
	g, _ := newTestGuard(time.Minute)
	send(g, "http://hooks.example/", 100, 10)
	if !g.allow("http://hooks.example/") {
		t.Error("denylisted at 90 % success")
	}
	send(g, "http://hooks.example/", 1, 1)
	if g.allow("http://hooks.example/") {
		t.Error("not denylisted at 90 of 101")
	}
}

// Failures older than the two-minute window no longer count.
func TestDomainWindowForgetsOldFailures(t *testing.T) {
	g, clock := newTestGuard(time.Minute)
	send(g, "http://hooks.example/", 50, 50)
	clock.Advance(2 * time.Minute)
	send(g, "http://hooks.example/", 100, 0)
	if !g.allow("http://hooks.example/") {
		t.Error("failures of a window ago denylisted the domain")
	}
}

// A store's deliveries to a denylisted domain are not sent: each due
// attempt is recorded as failed and retried on the schedule, and goes
// through once the block has passed.
func TestDeliveriesToADenylistedDomainWaitForTheBlockToPass(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	var received atomic.Int64
	dest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received.Add(1)
		if failing.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer dest.Close()
	guard := NewDomainGuard(500 * time.Millisecond)
	s := NewServer(WithDomainGuard(guard), WithWebhookRetrySchedule(100*time.Millisecond, 100*time.Millisecond,
		100*time.Millisecond, 100*time.Millisecond, time.Second, time.Second, time.Second, time.Second))
	defer s.Close()
	c, err := bc.New(s.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateHook(context.Background(), bc.HookCreate{Scope: "store/order/*", Destination: dest.URL, IsActive: true}); err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		s.EmitWebhook("store/order/created", map[string]any{"type": "order", "id": i + 1})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	withheld := func(ds []Delivery) bool {
		for _, d := range ds {
			if d.Err == errDomainBlocked && d.Status == 0 {
				return true
			}
		}
		return false
	}
	if err := s.WaitDeliveries(ctx, withheld); err != nil {
		t.Fatalf("no delivery withheld after 100 failures: %v", err)
	}
	sentBefore := received.Load()
	failing.Store(false)
	allDelivered := func(ds []Delivery) bool {
		ok := map[string]bool{}
		for _, d := range ds {
			if d.OK() {
				ok[d.Hash] = true
			}
		}
		return len(ok) == 100
	}
	if err := s.WaitDeliveries(ctx, allDelivered); err != nil {
		t.Fatalf("not every event delivered after the block: %v", err)
	}
	st := s.DomainGuard().Stats()
	if len(st) != 1 || st[0].Blocks < 1 || st[0].Withheld < 1 {
		t.Errorf("stats %+v, want a block and withheld deliveries", st)
	}
	if int64(st[0].Sent) != received.Load() || sentBefore < 100 {
		t.Errorf("guard counted %d sent, destination received %d (%d before the block)", st[0].Sent, received.Load(), sentBefore)
	}
}
