package activities

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/heartland"
)

// wantImportBusy checks err is the refusal of an import asked InPlace.
func wantImportBusy(t *testing.T, what string, err error) {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != ErrTypeImportBusy || !appErr.NonRetryable() {
		t.Errorf("%s: %v, want a non-retryable %s", what, err, ErrTypeImportBusy)
	}
}

// wantRefusedBeforeAnyCall checks that an import asked InPlace was refused
// without calling Heartland or creating an order.
func wantRefusedBeforeAnyCall(t *testing.T, f *countedFixture, what string, err error) {
	t.Helper()
	wantImportBusy(t, what, err)
	wantCalls(t, what, f.hlCalls.take(), map[string]int{})
	if n := len(f.hl.Orders()); n != 0 {
		t.Errorf("%s: %d Heartland orders after a refused import", what, n)
	}
}

// An import asked InPlace starts at once or not at all: with its
// connection's two import slots taken it is refused before it calls
// Heartland, and once a slot is free it imports as any import does.
func TestImportInPlaceRefusedWhileTheSlotsAreTaken(t *testing.T) {
	f := newCountedFixtureWith(t, heartland.Config{})
	req := f.importRequest(t, f.orderID)
	req.InPlace = true
	var releases []func()
	for range importsPerConnection {
		release, ok := f.acts.imports.tryAcquire("shop")
		if !ok {
			t.Fatal("a free slot refused")
		}
		releases = append(releases, release)
	}
	if _, ok := f.acts.imports.tryAcquire("shop"); ok {
		t.Fatalf("a third slot given where %d are", importsPerConnection)
	}
	f.hlCalls.take()
	_, err := f.acts.ImportSalesOrder(f.ctx, req)
	wantRefusedBeforeAnyCall(t, f, "slots taken", err)

	releases[0]()
	res, err := f.acts.ImportSalesOrder(f.ctx, req)
	if err != nil || res.Order.ID == 0 || len(res.Order.Lines) != 1 {
		t.Fatalf("import with a slot free: %+v, %v", res.Order, err)
	}
	if orders := f.hl.Orders(); len(orders) != 1 || orders[0].Order.Status != heartland.OrderOpen {
		t.Errorf("Heartland orders after the import: %+v", orders)
	}
	// It gave its slot back: one is free again, and no more.
	release, ok := f.acts.imports.tryAcquire("shop")
	if !ok {
		t.Fatal("the import kept its slot")
	}
	release()
	releases[1]()
}

// An import asked InPlace is refused while calls wait behind Heartland's
// pacing: it would only add to the queue, holding its workflow task.
func TestImportInPlaceRefusedBehindHeartlandsPacing(t *testing.T) {
	f := newCountedFixtureWith(t, heartland.Config{})
	req := f.importRequest(t, f.orderID)
	req.InPlace = true
	paced, err := heartland.New(heartland.Config{BaseURL: f.hl.URL, Token: heartland.Secret(f.hl.Token),
		RequestsPerSecond: 0.2, Burst: 1, HTTPClient: &http.Client{Transport: f.hlCalls}})
	if err != nil {
		t.Fatal(err)
	}
	f.acts.Connections.Add("shop", Clients{BigCommerce: f.acts.Connections.clients["shop"].BigCommerce, Heartland: paced})
	// The burst is spent; the next call waits five seconds for its turn.
	if _, err := paced.ListLocations(f.ctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = paced.ListLocations(ctx)
	}()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(5 * time.Second); ; {
		if avail, _, _ := paced.Pacing(); avail < 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second call never queued")
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.hlCalls.take()
	_, err = f.acts.ImportSalesOrder(f.ctx, req)
	wantRefusedBeforeAnyCall(t, f, "pacing queued", err)
}

// An import InPlace with too little of its time left to create the order
// creates nothing: a create cut off by its deadline could still reach
// Heartland after the import that takes over found no order.
func TestImportInPlaceCreatesNothingWithoutTimeToWrite(t *testing.T) {
	f := newCountedFixtureWith(t, heartland.Config{})
	req := f.importRequest(t, f.orderID)
	req.InPlace = true
	ctx, cancel := context.WithTimeout(f.ctx, inPlaceWriteMargin/2)
	defer cancel()
	f.hlCalls.take()
	_, err := f.acts.ImportSalesOrder(ctx, req)
	wantImportBusy(t, "little time left", err)
	for route := range f.hlCalls.take() {
		if !strings.HasPrefix(route, "GET ") {
			t.Errorf("a refused import wrote: %s", route)
		}
	}
	if n := len(f.hl.Orders()); n != 0 {
		t.Errorf("%d Heartland orders after a refused import", n)
	}
	// With the time, the same import creates it.
	if res, err := f.acts.ImportSalesOrder(f.ctx, req); err != nil || res.Order.ID == 0 {
		t.Fatalf("import with time left: %+v, %v", res.Order, err)
	}
}
