package bigcommerce_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/apierror"
	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// TestPacingSteadyStream pushes 4 concurrent workers × 25 requests through
// one client against a 20-per-second limiter. With transparent retries off,
// any 429 would reach the caller; the pacer must prevent all of them.
func TestPacingSteadyStream(t *testing.T) {
	if testing.Short() {
		t.Skip("takes ~5 s")
	}
	srv := bigcommercetest.NewServer(bigcommercetest.WithRateLimit(20, time.Second))
	t.Cleanup(srv.Close)
	c := newClient(t, srv, nil) // RateLimitRetries: 0
	const workers, perWorker = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				var err error
				if i%2 == 0 {
					_, err = c.ListLocations(ctx(t))
				} else {
					_, err = c.ListOrders(ctx(t), bc.OrderFilter{})
				}
				if err != nil {
					errs <- fmt.Errorf("worker %d call %d: %w", w, i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := srv.Stats()
	t.Logf("%d requests in %s (quota 20/s): server-side 429s %d; client state %+v",
		st.Requests, time.Since(start).Round(time.Millisecond), st.RateLimited, c.RateLimit())
	if st.Requests != workers*perWorker {
		t.Fatalf("server saw %d requests, want %d", st.Requests, workers*perWorker)
	}
}

// TestRateLimitStormRiddenOut injects 429s in front of a write; with the
// client's transparent retry on, the write happens exactly once.
func TestRateLimitStormRiddenOut(t *testing.T) {
	srv, _ := newFake(t)
	c := newClient(t, srv, func(cfg *bc.Config) { cfg.RateLimitRetries = 5 })
	srv.InjectFault(bigcommercetest.Fault{Method: "POST", Path: "/v3/catalog/products", Kind: bigcommercetest.FaultRateLimit, RetryAfter: 100 * time.Millisecond, Times: 2})
	p, err := c.CreateProduct(ctx(t), bc.ProductCreate{Name: "Stormy", Type: "physical", SKU: "STORM"})
	if err != nil {
		t.Fatal(err)
	}
	all := must(c.ListProducts(ctx(t), bc.ProductFilter{SKU: "STORM"}))
	if len(all) != 1 || all[0].ID != p.ID {
		t.Fatalf("products = %+v", all)
	}
	if st := srv.Stats(); st.Injected != 2 {
		t.Fatalf("injected %d 429s, want 2", st.Injected)
	}
}

func TestLoadSheddingBackoffAndBound(t *testing.T) {
	srv, _ := newFake(t)
	c := newClient(t, srv, func(cfg *bc.Config) {
		cfg.RateLimitRetries = 2
		cfg.LoadSheddingBackoff = 5 * time.Millisecond
	})
	srv.InjectFault(bigcommercetest.Fault{Path: "/v3/hooks", Kind: bigcommercetest.FaultLoadShed, Times: 2})
	if _, err := c.ListHooks(ctx(t)); err != nil {
		t.Fatalf("2 shed 429s within a bound of 2 retries: %v", err)
	}
	srv.InjectFault(bigcommercetest.Fault{Path: "/v3/hooks", Kind: bigcommercetest.FaultLoadShed, Times: 3})
	_, err := c.ListHooks(ctx(t))
	var rl *bc.APIError
	if !errors.As(err, &rl) || rl.Kind != apierror.KindRateLimited || !rl.LoadShedding {
		t.Fatalf("3 shed 429s exceed the bound: %v", err)
	}
}

func TestLimiterWithoutPacingHits429(t *testing.T) {
	// Control experiment: with pacing off, the same fake limiter does
	// return 429s, so TestPacingSteadyStream proves something.
	srv := bigcommercetest.NewServer(bigcommercetest.WithRateLimit(5, time.Minute))
	t.Cleanup(srv.Close)
	c := newClient(t, srv, func(cfg *bc.Config) { cfg.PaceFraction = -1 })
	var rl *bc.APIError
	for i := range 6 {
		_, err := c.ListLocations(ctx(t))
		if i < 5 && err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if i == 5 && (!errors.As(err, &rl) || rl.Kind != apierror.KindRateLimited) {
			t.Fatalf("call 6: %v", err)
		}
	}
	if rl.RetryAfter <= 0 || rl.RetryAfter > time.Minute || rl.LoadShedding {
		t.Fatalf("retry after %s", rl.RetryAfter)
	}
	if st := c.RateLimit(); !st.Known || st.Quota != 5 || st.Window != time.Minute {
		t.Fatalf("state %+v", st)
	}
}

func TestMaxPaceWaitSurfacesDelay(t *testing.T) {
	srv := bigcommercetest.NewServer(bigcommercetest.WithRateLimit(2, time.Minute))
	t.Cleanup(srv.Close)
	c := newClient(t, srv, func(cfg *bc.Config) { cfg.MaxPaceWait = time.Second })
	must(c.ListHooks(ctx(t)))
	must(c.ListHooks(ctx(t)))
	// Quota spent for a minute: the call is not sent and says how long to wait.
	_, err := c.ListHooks(ctx(t))
	delay, ok := bc.RetryDelay(err)
	if !ok || delay < 30*time.Second || !bc.IsRetryable(err) {
		t.Fatalf("err = %v (delay %s)", err, delay)
	}
	if st := srv.Stats(); st.Requests != 2 || st.RateLimited != 0 {
		t.Fatalf("server stats %+v", st)
	}
}
