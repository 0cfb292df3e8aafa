package heartland_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// newFake starts a demo-seeded fake and a client for it with throttling off.
func newFake(t *testing.T, opts ...heartlandtest.Option) (*heartlandtest.Server, *heartland.Client) {
	t.Helper()
	srv := heartlandtest.NewServer(append([]heartlandtest.Option{heartlandtest.WithDemoSeed()}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, newClient(t, srv, nil)
}

func newClient(t *testing.T, srv *heartlandtest.Server, mutate func(*heartland.Config)) *heartland.Client {
	t.Helper()
	cfg := srv.ClientConfig()
	cfg.PerPage = 4
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := heartland.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustLoc(t *testing.T, srv *heartlandtest.Server, name string) heartland.Location {
	t.Helper()
	l, ok := srv.LocationByName(name)
	if !ok {
		t.Fatalf("no location %q", name)
	}
	return l
}

func mustItem(t *testing.T, srv *heartlandtest.Server, sku string) heartland.Item {
	t.Helper()
	it, ok := srv.ItemByPublicID(sku)
	if !ok {
		t.Fatalf("no item %q", sku)
	}
	return it
}

func wantKind(t *testing.T, err error, sentinel error) *heartland.APIError {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("want %v, got %v", sentinel, err)
	}
	var he *heartland.APIError
	if !errors.As(err, &he) {
		t.Fatalf("want *heartland.APIError, got %T", err)
	}
	return he
}

func wantStock(t *testing.T, srv *heartlandtest.Server, sku string, loc int64, onHand, available, committed int64) {
	t.Helper()
	st := srv.Stock(sku, loc)
	if !st.OnHand.Equal(heartland.DecInt(onHand)) || !st.Available.Equal(heartland.DecInt(available)) || !st.Committed.Equal(heartland.DecInt(committed)) {
		t.Fatalf("%s at %d: got %s, want on_hand=%d available=%d committed=%d", sku, loc, st, onHand, available, committed)
	}
}

var ctx = context.Background()
