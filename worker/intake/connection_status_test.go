package intake

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/testclock"
	"github.com/hrbc/hrbc/workflows"
)

// statusWorkflows is the fake workflows with a ConnectionSettings that counts
// its queries, answers what the test sets now, and can be held at a gate.
type statusWorkflows struct {
	*fakeWorkflows

	mu      sync.Mutex
	status  workflows.ConnectionStatus
	err     error
	queries int
	// gate, when set, holds every query until it is closed; started
	// receives one value as each held query begins.
	gate    chan struct{}
	started chan struct{}
}

func (s *statusWorkflows) ConnectionSettings(ctx context.Context, conn string) (*workflows.Settings, error) {
	s.mu.Lock()
	s.queries++
	// The answer is the state when the query is asked, as a workflow
	// query's would be.
	st, err, gate, started := s.status, s.err, s.gate, s.started
	s.mu.Unlock()
	s.record("ConnectionSettings %s", conn)
	if started != nil {
		started <- struct{}{}
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return st.Settings, err
}

// asStatus is ConnectionSettings in the shape connectionStatuses asks.
func (s *statusWorkflows) asStatus(ctx context.Context, conn string) (workflows.ConnectionStatus, error) {
	settings, err := s.ConnectionSettings(ctx, conn)
	return workflows.ConnectionStatus{ConnectionID: conn, Settings: settings}, err
}

// set changes what the next queries answer.
func (s *statusWorkflows) set(st workflows.ConnectionStatus, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.err = st, err
}

func (s *statusWorkflows) Queries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries
}

// orders counts the orders handed over.
func (s *statusWorkflows) orders() int {
	n := 0
	for _, c := range s.Calls() {
		if strings.HasPrefix(c, "OrderChanged ") || strings.HasPrefix(c, "OrderCreated ") {
			n++
		}
	}
	return n
}

// newFakeClock returns a clock tests move by hand.
func newFakeClock() *testclock.Manual {
	return testclock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
}

// await receives from ch, failing the test rather than hanging when
// nothing comes (a delivery that never reaches the query, say).
func await(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// newStatusIntake serves an intake for "shop" over wf whose statuses
// tune has set up (before the server takes a request).
func newStatusIntake(t *testing.T, wf *statusWorkflows, tune func(*connectionStatuses)) *httptest.Server {
	t.Helper()
	in := New(wf, slog.New(slog.DiscardHandler), func(id string, _ Platform) ([]string, bool) {
		return []string{testSecret}, id == "shop"
	})
	if tune != nil {
		tune(in.statuses)
	}
	srv := httptest.NewServer(in)
	t.Cleanup(func() {
		srv.Close()
		if err := in.Shutdown(context.Background()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return srv
}

// deliver posts an order webhook for "shop" and returns the answer's code.
func deliver(t *testing.T, srv *httptest.Server) int {
	t.Helper()
	code, _ := post(t, srv, "/webhooks/bigcommerce/shop", orderCreated, map[string]string{BigCommerceSecretHeader: testSecret})
	return code
}

// deliverAll posts n order webhooks at once and returns their codes.
func deliverAll(t *testing.T, srv *httptest.Server, n int) []int {
	t.Helper()
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { codes[i] = deliver(t, srv) })
	}
	wg.Wait()
	return codes
}

func TestConnectionStatusConcurrentDeliveriesShareOneQuery(t *testing.T) {
	const n = 8
	wf := &statusWorkflows{fakeWorkflows: &fakeWorkflows{}, status: orderSyncOn(), gate: make(chan struct{})}
	joined := make(chan struct{}, n)
	srv := newStatusIntake(t, wf, func(c *connectionStatuses) {
		c.joined = func(string) { joined <- struct{}{} }
	})
	done := make(chan []int)
	go func() { done <- deliverAll(t, srv, n) }()
	// Hold the query until every delivery waits on it.
	for range n {
		await(t, joined, "every delivery to join the query")
	}
	close(wf.gate)
	for i, code := range <-done {
		if code != http.StatusNoContent {
			t.Errorf("delivery %d answered %d, want 204", i, code)
		}
	}
	if q := wf.Queries(); q != 1 {
		t.Errorf("%d deliveries made %d status queries, want 1", n, q)
	}
	if o := wf.orders(); o != n {
		t.Errorf("%d orders handed over, want %d (one per delivery)", o, n)
	}
}

func TestConnectionStatusRememberedForTTLOnly(t *testing.T) {
	wf := &statusWorkflows{fakeWorkflows: &fakeWorkflows{}, status: orderSyncOn()}
	clock := newFakeClock()
	srv := newStatusIntake(t, wf, func(c *connectionStatuses) { c.now = clock.Now })
	for i, step := range []struct {
		advance time.Duration
		queries int
	}{
		{0, 1},
		{0, 1},
		{defaultStatusTTL - time.Nanosecond, 1},
		{time.Nanosecond, 2}, // expired: asked again
		{defaultStatusTTL / 2, 2},
	} {
		clock.Advance(step.advance)
		if code := deliver(t, srv); code != http.StatusNoContent {
			t.Fatalf("delivery %d answered %d, want 204", i, code)
		}
		if q := wf.Queries(); q != step.queries {
			t.Errorf("after delivery %d: %d status queries, want %d", i, q, step.queries)
		}
	}
	if o := wf.orders(); o != 5 {
		t.Errorf("%d orders handed over, want 5: a remembered status still hands every order over", o)
	}
}

func TestConnectionStatusTTLZeroRemembersNothing(t *testing.T) {
	wf := &statusWorkflows{fakeWorkflows: &fakeWorkflows{}, status: orderSyncOn()}
	srv := newStatusIntake(t, wf, func(c *connectionStatuses) { c.ttl = 0 })
	deliver(t, srv)
	deliver(t, srv)
	if q := wf.Queries(); q != 2 {
		t.Errorf("%d status queries, want 2", q)
	}
}

// A connection configured right after a delivery found it without order
// sync takes the next delivery's order: "no orders" is never remembered.
func TestConnectionStatusWithoutOrderSyncIsAskedEveryTime(t *testing.T) {
	off := orderSyncOn()
	off.Settings.OrderSync = false
	for name, status := range map[string]workflows.ConnectionStatus{
		"unconfigured":   {Stage: workflows.StageUnconfigured},
		"order sync off": off,
	} {
		t.Run(name, func(t *testing.T) {
			wf := &statusWorkflows{fakeWorkflows: &fakeWorkflows{}, status: status}
			clock := newFakeClock()
			srv := newStatusIntake(t, wf, func(c *connectionStatuses) { c.now = clock.Now })
			for range 2 {
				if code := deliver(t, srv); code != http.StatusNoContent {
					t.Fatalf("answer %d, want 204", code)
				}
			}
			if q, o := wf.Queries(), wf.orders(); q != 2 || o != 0 {
				t.Fatalf("%d queries and %d orders, want 2 and 0", q, o)
			}
			wf.set(orderSyncOn(), nil) // the merchant configures; the clock does not move
			if code := deliver(t, srv); code != http.StatusNoContent {
				t.Fatalf("answer %d, want 204", code)
			}
			if q, o := wf.Queries(), wf.orders(); q != 3 || o != 1 {
				t.Errorf("once configured: %d queries and %d orders, want 3 and 1", q, o)
			}
		})
	}
}

// A delivery that joins a query asked before the connection was configured
// must not drop its order on that query's "unconfigured".
func TestConnectionStatusJoinerOfAnEarlierQueryAsksAgain(t *testing.T) {
	wf := &statusWorkflows{fakeWorkflows: &fakeWorkflows{}, status: workflows.ConnectionStatus{Stage: workflows.StageUnconfigured},
		gate: make(chan struct{}), started: make(chan struct{}, 4)}
	joined := make(chan struct{}, 8)
	srv := newStatusIntake(t, wf, func(c *connectionStatuses) {
		c.joined = func(string) { joined <- struct{}{} }
	})
	first := make(chan int)
	go func() { first <- deliver(t, srv) }()
	await(t, wf.started, "the first query") // the query is asked while unconfigured...
	await(t, joined, "the first delivery to begin it")
	wf.set(orderSyncOn(), nil) // ...the merchant configures...
	second := make(chan int)
	go func() { second <- deliver(t, srv) }()
	await(t, joined, "the second delivery to join") // ...and a delivery joins the earlier query.
	close(wf.gate)
	if code := <-first; code != http.StatusNoContent {
		t.Errorf("first delivery answered %d, want 204", code)
	}
	if code := <-second; code != http.StatusNoContent {
		t.Errorf("second delivery answered %d, want 204", code)
	}
	if q, o := wf.Queries(), wf.orders(); q != 2 || o != 1 {
		t.Errorf("%d queries and %d orders, want 2 and 1: the joiner asks again and hands its order over", q, o)
	}
}

// An unreadable status answers 503 (BigCommerce delivers again) and is
// not remembered: the redelivery asks again.
func TestConnectionStatusErrorIsNotRemembered(t *testing.T) {
	wf := &statusWorkflows{fakeWorkflows: &fakeWorkflows{}}
	wf.set(workflows.ConnectionStatus{}, errors.New("temporal unavailable"))
	clock := newFakeClock()
	srv := newStatusIntake(t, wf, func(c *connectionStatuses) { c.now = clock.Now })
	for range 2 {
		if code := deliver(t, srv); code != http.StatusServiceUnavailable {
			t.Fatalf("answer %d, want 503", code)
		}
	}
	wf.set(orderSyncOn(), nil)
	if code := deliver(t, srv); code != http.StatusNoContent {
		t.Fatalf("answer %d once Temporal answers, want 204", code)
	}
	if q, o := wf.Queries(), wf.orders(); q != 3 || o != 1 {
		t.Errorf("%d queries and %d orders, want 3 and 1", q, o)
	}
}

// A caller that gives up (its client hung up) does not fail the deliveries
// sharing its query, and the query is not cut short by it.
func TestConnectionStatusCallerGivingUpLeavesTheQueryToOthers(t *testing.T) {
	wf := &statusWorkflows{fakeWorkflows: &fakeWorkflows{}, status: orderSyncOn(), gate: make(chan struct{}), started: make(chan struct{}, 1)}
	c := newConnectionStatuses(wf.asStatus)
	joined := make(chan struct{}, 2)
	c.joined = func(string) { joined <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error)
	go func() {
		_, err := c.get(ctx, "shop")
		firstErr <- err
	}()
	await(t, wf.started, "the query")
	await(t, joined, "the first caller")
	type result struct {
		st  workflows.ConnectionStatus
		err error
	}
	second := make(chan result)
	go func() {
		st, err := c.get(context.Background(), "shop")
		second <- result{st, err}
	}()
	await(t, joined, "the second caller")
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), `"shop"`) {
		t.Errorf("the caller that gave up got %v, want context.Canceled naming the connection", err)
	}
	close(wf.gate)
	r := <-second
	if r.err != nil || !ordersSync(r.st) {
		t.Errorf("the other caller got %+v, %v; want the order-sync-on status", r.st, r.err)
	}
	if q := wf.Queries(); q != 1 {
		t.Errorf("%d queries, want 1", q)
	}
}

func TestConnectionStatusMemoryIsBounded(t *testing.T) {
	wf := &statusWorkflows{fakeWorkflows: &fakeWorkflows{}, status: orderSyncOn()}
	clock := newFakeClock()
	c := newConnectionStatuses(wf.asStatus)
	c.now, c.bound = clock.Now, 3
	ctx := context.Background()
	get := func(id string) {
		t.Helper()
		if _, err := c.get(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	size := func() int {
		c.mu.Lock()
		defer c.mu.Unlock()
		return len(c.remembered)
	}
	for _, id := range []string{"a", "b", "c"} {
		get(id)
	}
	if n := size(); n != 3 {
		t.Fatalf("%d remembered, want 3", n)
	}
	// Full of fresh entries: a new connection is queried, not remembered.
	get("d")
	get("d")
	if n, q := size(), wf.Queries(); n != 3 || q != 5 {
		t.Errorf("full: %d remembered and %d queries, want 3 and 5 (d asked twice)", n, q)
	}
	// A remembered connection is still refreshed in place when full.
	clock.Advance(defaultStatusTTL)
	get("a") // expired: dropped on lookup, queried and remembered again
	if n := size(); n != 3 {
		t.Errorf("after refreshing a: %d remembered, want 3", n)
	}
	// Once the others expired, a new connection makes room by dropping them.
	get("e")
	if n := size(); n != 2 {
		t.Errorf("after e: %d remembered, want 2 (a and e; b and c expired and dropped)", n)
	}
	q := wf.Queries()
	get("e")
	if wf.Queries() != q {
		t.Error("e was not remembered")
	}
}
