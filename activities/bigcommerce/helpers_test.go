package bigcommerce_test

import (
	"context"
	"testing"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/shopspring/decimal"
)

// newFake starts a fake store (rate limiter off unless opts say otherwise)
// and a client for it.
func newFake(t *testing.T, opts ...bigcommercetest.Option) (*bigcommercetest.Server, *bc.Client) {
	t.Helper()
	srv := bigcommercetest.NewServer(append([]bigcommercetest.Option{bigcommercetest.WithoutRateLimit()}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, newClient(t, srv, nil)
}

func newClient(t *testing.T, srv *bigcommercetest.Server, mod func(*bc.Config)) *bc.Client {
	t.Helper()
	cfg := srv.ClientConfig()
	if mod != nil {
		mod(&cfg)
	}
	c, err := bc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr[T any](v T) *T { return &v }

// must unwraps a (value, error) pair in tests; an error panics, which fails
// the test with the message.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// contextWithCancelSoon returns a context cancelled shortly after the call starts.
func contextWithCancelSoon() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 50*time.Millisecond)
}
