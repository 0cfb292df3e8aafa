package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hrbc/hrbc/workflows"
)

// errTemporalDown is what downWorkflows answers while down.
var errTemporalDown = errors.New("temporal unavailable")

// downWorkflows is fakeWorkflows whose hand-overs fail while down is set,
// and whose OrderCreated of gated waits for gate to close.
type downWorkflows struct {
	*fakeWorkflows
	down   atomic.Bool
	gated  int
	gate   chan struct{}
	inGate chan struct{}
}

func (f *downWorkflows) OrderCreated(ctx context.Context, conn string, orderID int, settings workflows.Settings) error {
	if f.gate != nil && orderID == f.gated {
		f.inGate <- struct{}{}
		<-f.gate
	}
	if f.down.Load() {
		f.record("OrderCreated %s %d failed", conn, orderID)
		return errTemporalDown
	}
	return f.fakeWorkflows.OrderCreated(ctx, conn, orderID, settings)
}

func (f *downWorkflows) ProductCreated(ctx context.Context, conn string, productID int) error {
	if f.down.Load() {
		f.record("ProductCreated %s %d failed", conn, productID)
		return errTemporalDown
	}
	return f.fakeWorkflows.ProductCreated(ctx, conn, productID)
}

// handedOver counts the successful calls of kind ("OrderCreated shop 7").
func (f *downWorkflows) handedOver(prefix string) int {
	n := 0
	for _, c := range f.Calls() {
		if len(c) >= len(prefix) && c[:len(prefix)] == prefix && c[len(c)-len("failed"):] != "failed" {
			n++
		}
	}
	return n
}

// newHoldingIntake serves an intake for "shop" over wf; tune adjusts it
// before it takes a request. The cleanup brings wf back up so that the
// intake's shutdown can hand over what it still holds.
func newHoldingIntake(t *testing.T, wf *downWorkflows, tune func(*Intake)) (*Intake, *httptest.Server) {
	t.Helper()
	in := New(wf, slog.New(slog.DiscardHandler), func(id string, _ Platform) ([]string, bool) {
		return []string{testSecret}, id == "shop"
	})
	if tune != nil {
		tune(in)
	}
	srv := httptest.NewServer(in)
	t.Cleanup(func() {
		srv.Close()
		wf.down.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := in.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return in, srv
}

// createdHook posts store/order/created of order id for "shop".
func createdHook(t *testing.T, srv *httptest.Server, id int) int {
	t.Helper()
	body := fmt.Sprintf(`{"scope":"store/order/created","data":{"type":"order","id":%d}}`, id)
	code, _ := post(t, srv, "/webhooks/bigcommerce/shop", body, map[string]string{BigCommerceSecretHeader: testSecret})
	return code
}

// eventually polls cond for up to 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A delivery for a connection known to import orders is not answered 503
// while Temporal fails: BigCommerce would count it against the whole
// domain. The intake answers 202, holds it and hands it over once
// Temporal answers again.
func TestHeldDeliveryIsHandedOverWhenTemporalAnswersAgain(t *testing.T) {
	wf := &downWorkflows{fakeWorkflows: &fakeWorkflows{status: orderSyncOn()}}
	wf.down.Store(true)
	in, srv := newHoldingIntake(t, wf, nil)
	if code := createdHook(t, srv, 7); code != http.StatusAccepted {
		t.Fatalf("answer %d while Temporal fails, want 202", code)
	}
	if n := wf.handedOver("OrderCreated shop 7"); n != 0 {
		t.Fatalf("%d hand-overs while down", n)
	}
	wf.down.Store(false)
	eventually(t, "the held order's hand-over", func() bool { return wf.handedOver("OrderCreated shop 7") == 1 })
	eventually(t, "the holder to empty", in.deferred.idle)
	if st := in.Deferred(); st.Held != 1 || st.HandedOver != 1 || st.Refused != 0 || st.LeftToSweep != 0 {
		t.Errorf("stats %+v, want 1 held and handed over", st)
	}
	if got := wf.Calls(); !slices.Contains(got, "OrderCreated shop 7 source=3") {
		t.Errorf("calls %v: the hand-over lacks the connection's settings", got)
	}
}

// A connection the intake has never read with order sync on may have no
// order sweep behind it: its delivery is answered 503 as before.
func TestDeliveryOfAnUnreadConnectionIsNotHeld(t *testing.T) {
	wf := &downWorkflows{fakeWorkflows: &fakeWorkflows{statusErr: errTemporalDown}}
	in, srv := newHoldingIntake(t, wf, nil)
	if code := createdHook(t, srv, 7); code != http.StatusServiceUnavailable {
		t.Fatalf("answer %d, want 503", code)
	}
	if st := in.Deferred(); st.Held != 0 {
		t.Errorf("stats %+v, want nothing held", st)
	}
}

// A connection read with order sync off is forgotten: its deliveries are
// not held, even if an earlier read had it on.
func TestConnectionTurnedOffIsNoLongerHeldFor(t *testing.T) {
	c := newConnectionStatuses(nil)
	on := orderSyncOn()
	c.noteLast("shop", on)
	if !c.knownOn("shop") {
		t.Fatal("an order-sync-on read is not known")
	}
	off := orderSyncOn()
	off.Settings.OrderSync = false
	c.noteLast("shop", off)
	if c.knownOn("shop") {
		t.Error("a connection read with order sync off is still held for")
	}
}

// Two deliveries of one order while Temporal fails are held once (one
// hand-over reads the order afresh for both); a second order beyond the
// bound is answered 503, for BigCommerce to keep.
func TestHolderKeepsOneJobPerOrderAndRefusesBeyondItsBound(t *testing.T) {
	wf := &downWorkflows{fakeWorkflows: &fakeWorkflows{status: orderSyncOn()}}
	wf.down.Store(true)
	in, srv := newHoldingIntake(t, wf, func(in *Intake) { in.deferred.bound = 1 })
	for range 2 {
		if code := createdHook(t, srv, 7); code != http.StatusAccepted {
			t.Fatalf("answer %d, want 202", code)
		}
	}
	if code := createdHook(t, srv, 8); code != http.StatusServiceUnavailable {
		t.Fatalf("answer %d for a delivery beyond the bound, want 503", code)
	}
	if st := in.Deferred(); st.Held != 2 || st.Refused != 1 {
		t.Errorf("stats %+v, want 2 held (one job) and 1 refused", st)
	}
	wf.down.Store(false)
	eventually(t, "the holder to empty", in.deferred.idle)
	if n := wf.handedOver("OrderCreated shop 7"); n != 1 {
		t.Errorf("order 7 handed over %d times, want 1", n)
	}
}

// While the intake already waits for its bound of hand-overs, a delivery
// is held at once (202) rather than adding another call to a server that
// is behind, and handed over when one finishes.
func TestDeliveryBeyondTheHandOversInFlightIsHeldAtOnce(t *testing.T) {
	wf := &downWorkflows{fakeWorkflows: &fakeWorkflows{status: orderSyncOn()},
		gated: 1, gate: make(chan struct{}), inGate: make(chan struct{}, 1)}
	_, srv := newHoldingIntake(t, wf, func(in *Intake) { in.inFlight = make(chan struct{}, 1) })
	// Registered after the intake's cleanup, so run before it: a failing
	// test must not leave the first delivery in the gate (the server's
	// Close waits for it).
	open := sync.OnceFunc(func() { close(wf.gate) })
	t.Cleanup(open)
	first := make(chan int, 1)
	go func() { first <- createdHook(t, srv, 1) }()
	await(t, wf.inGate, "the first hand-over")
	start := time.Now()
	if code := createdHook(t, srv, 2); code != http.StatusAccepted {
		t.Fatalf("answer %d with the hand-overs in flight at their bound, want 202", code)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("the held delivery was answered after %s", waited)
	}
	open()
	if code := <-first; code != http.StatusNoContent {
		t.Errorf("first delivery answered %d, want 204", code)
	}
	eventually(t, "order 2's hand-over", func() bool { return wf.handedOver("OrderCreated shop 2") == 1 })
}

// A held delivery not handed over within its maximum age is left to the
// order sweep, not retried for ever.
func TestHeldDeliveryIsGivenUpAfterItsMaximumAge(t *testing.T) {
	wf := &downWorkflows{fakeWorkflows: &fakeWorkflows{status: orderSyncOn()}}
	wf.down.Store(true)
	in, srv := newHoldingIntake(t, wf, func(in *Intake) { in.deferred.maxAge = 0 })
	if code := createdHook(t, srv, 7); code != http.StatusAccepted {
		t.Fatalf("answer %d, want 202", code)
	}
	eventually(t, "the delivery to be given up", func() bool { return in.Deferred().LeftToSweep == 1 })
	if n := wf.handedOver("OrderCreated shop 7"); n != 0 {
		t.Errorf("%d hand-overs while down", n)
	}
}

// Shutdown hands over what is held while its context lasts; what is still
// held when it ends is counted as left to the sweep, and Shutdown says so.
func TestShutdownLeavesWhatItCannotHandOverToTheSweep(t *testing.T) {
	wf := &downWorkflows{fakeWorkflows: &fakeWorkflows{status: orderSyncOn()}}
	wf.down.Store(true)
	in := New(wf, slog.New(slog.DiscardHandler), func(id string, _ Platform) ([]string, bool) {
		return []string{testSecret}, id == "shop"
	})
	srv := httptest.NewServer(in)
	if code := createdHook(t, srv, 7); code != http.StatusAccepted {
		t.Fatalf("answer %d, want 202", code)
	}
	srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := in.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("shutdown = %v, want the deadline's error", err)
	}
	if st := in.Deferred(); st.LeftToSweep != 1 || st.HandedOver != 0 {
		t.Errorf("stats %+v, want 1 left to the sweep", st)
	}
}

// A product delivery is held too: the catalog follower's sweep finds a
// product whose delivery is lost.
func TestProductDeliveryIsHeldWhileTemporalFails(t *testing.T) {
	wf := &downWorkflows{fakeWorkflows: &fakeWorkflows{}}
	wf.down.Store(true)
	_, srv := newHoldingIntake(t, wf, nil)
	code, _ := post(t, srv, "/webhooks/bigcommerce/shop", `{"scope":"store/product/created","data":{"id":77}}`,
		map[string]string{BigCommerceSecretHeader: testSecret})
	if code != http.StatusAccepted {
		t.Fatalf("answer %d, want 202", code)
	}
	wf.down.Store(false)
	eventually(t, "the product's hand-over", func() bool { return wf.handedOver("ProductCreated shop 77") == 1 })
}

// retryWait doubles from a second to half a minute, never above it.
func TestRetryWaitGrowsToItsCap(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 10; n++ {
		w := retryWait(n)
		if w > deferredLastRetry || w < deferredFirstRetry*4/5 {
			t.Fatalf("wait %d = %s, outside %s–%s", n, w, deferredFirstRetry*4/5, deferredLastRetry)
		}
		if n <= 5 && w < prev*4/5 {
			t.Errorf("wait %d = %s shrank from %s", n, w, prev)
		}
		prev = w
	}
}
