package heartland_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/apierror"
	"github.com/hrbc/hrbc/activities/heartland"
)

// A write that its caller's write margin leaves no time for is not sent;
// a read under the same context is.
func TestClientSendsNoWriteTheMarginLeavesNoTimeFor(t *testing.T) {
	srv, c := newFake(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ctx = apierror.WithWriteMargin(ctx, 2*time.Second)

	_, err := c.CreateCustomer(ctx, heartland.CustomerFields{Email: heartland.String("late@example.com")})
	if !errors.Is(err, apierror.ErrNoTimeToWrite) {
		t.Fatalf("CreateCustomer with 1 s left under a 2 s margin: err = %v, want ErrNoTimeToWrite", err)
	}
	if _, ok := srv.CustomerByEmail("late@example.com"); ok {
		t.Fatal("the refused write reached Heartland: the customer exists")
	}
	if srv.Calls("POST /customers") != 0 {
		t.Fatalf("POST /customers reached the fake %d times, want 0", srv.Calls("POST /customers"))
	}
	if _, err := c.ListLocations(ctx); err != nil {
		t.Fatalf("a read under the same margin: %v", err)
	}
}
