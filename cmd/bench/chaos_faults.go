package main

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// dropTransport loses a fraction of webhook deliveries: it answers 200
// without sending, so the sender believes the event delivered and never
// retries it, the way an event lost between the platform and hrbc is gone.
type dropTransport struct {
	next    http.RoundTripper
	mu      sync.Mutex
	rng     *rand.Rand
	rate    float64
	dropped atomic.Int64
	sent    atomic.Int64
}

func newDropTransport(rate float64, seed uint64) *dropTransport {
	return &dropTransport{next: http.DefaultTransport, rng: rand.New(rand.NewPCG(seed, seed+1)), rate: rate}
}

// off stops dropping: every later delivery is sent.
func (d *dropTransport) off() {
	d.mu.Lock()
	d.rate = 0
	d.mu.Unlock()
}

// RoundTrip drops or forwards one delivery.
func (d *dropTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	drop := d.rng.Float64() < d.rate
	d.mu.Unlock()
	if !drop {
		d.sent.Add(1)
		return d.next.RoundTrip(r)
	}
	d.dropped.Add(1)
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Body: io.NopCloser(strings.NewReader("")),
		Header: http.Header{}, Request: r, ProtoMajor: 1, ProtoMinor: 1}, nil
}

// FaultPlan is the misbehaviour of the fakes during the chaos test.
type FaultPlan struct {
	// ErrorRate of requests answer 503 on each side.
	ErrorRate float64
	// SlowRate of requests take SlowLatency longer.
	SlowRate    float64
	SlowLatency time.Duration
	// StormEvery is the mean time between 429 storms of StormSize requests.
	StormEvery time.Duration
	StormSize  int
	// ReorderEvery is the mean time between windows in which BigCommerce
	// webhooks are held and then released in reverse order.
	ReorderEvery time.Duration
}

// FaultStats count what the plan did.
type FaultStats struct {
	Storms         int   `json:"storms_429"`
	Reorders       int   `json:"webhook_reorders"`
	WebhooksSent   int64 `json:"bigcommerce_webhooks_sent"`
	WebhooksDrop   int64 `json:"bigcommerce_webhooks_dropped"`
	BigCommerceErr int   `json:"bigcommerce_injected"`
}

// Chaos applies a FaultPlan to the fakes until stopped.
type Chaos struct {
	f      *Fakes
	plan   FaultPlan
	drop   *dropTransport
	rng    *rand.Rand
	cancel context.CancelFunc
	done   chan struct{}
	storms atomic.Int64
	reord  atomic.Int64
}

// startChaos installs the steady faults and starts the storms and reorders.
func startChaos(f *Fakes, plan FaultPlan, drop *dropTransport, seed uint64) *Chaos {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Chaos{f: f, plan: plan, drop: drop, rng: rand.New(rand.NewPCG(seed, 99)), cancel: cancel, done: make(chan struct{})}
	f.BC.DuplicateWebhooks(true)
	f.HL.SetDuplicateDeliveries(1)
	c.steady()
	go c.loop(ctx)
	return c
}

// steady installs the background error and latency faults.
func (c *Chaos) steady() {
	p := c.plan
	c.f.BC.InjectFault(bigcommercetest.Fault{Kind: bigcommercetest.FaultError, Status: http.StatusServiceUnavailable, Rate: p.ErrorRate})
	c.f.BC.InjectFault(bigcommercetest.Fault{Kind: bigcommercetest.FaultLatency, Latency: p.SlowLatency, Rate: p.SlowRate})
	c.f.HL.InjectFault("*", heartlandtest.Fault{Status: http.StatusServiceUnavailable, Rate: p.ErrorRate})
	// Heartland takes one fault per route: slow down its busiest reads.
	for _, route := range []string{"GET /sales/orders", "GET /inventory/values", "GET /items"} {
		c.f.HL.InjectFault(route, heartlandtest.Fault{Latency: p.SlowLatency, Rate: p.SlowRate})
	}
}

// jitter is a random duration around mean (0.5× to 1.5×).
func (c *Chaos) jitter(mean time.Duration) time.Duration {
	return mean/2 + time.Duration(c.rng.Int64N(int64(mean)+1))
}

func (c *Chaos) loop(ctx context.Context) {
	defer close(c.done)
	nextStorm := time.Now().Add(c.jitter(c.plan.StormEvery))
	nextReorder := time.Now().Add(c.jitter(c.plan.ReorderEvery))
	for {
		if !sleepCtx(ctx, 250*time.Millisecond) {
			return
		}
		now := time.Now()
		if now.After(nextStorm) {
			c.storm(ctx)
			nextStorm = time.Now().Add(c.jitter(c.plan.StormEvery))
		}
		if now.After(nextReorder) {
			c.reorder(ctx)
			nextReorder = time.Now().Add(c.jitter(c.plan.ReorderEvery))
		}
	}
}

// storm answers the next StormSize requests of one side (alternating)
// with 429 and a Retry-After.
func (c *Chaos) storm(ctx context.Context) {
	n := c.storms.Add(1)
	if n%2 == 1 {
		remove := c.f.BC.InjectFault(bigcommercetest.Fault{Kind: bigcommercetest.FaultRateLimit, RetryAfter: 2 * time.Second, Times: c.plan.StormSize})
		sleepCtx(ctx, 10*time.Second)
		remove()
		return
	}
	c.f.HL.InjectFault("*", heartlandtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: c.plan.StormSize})
	sleepCtx(ctx, 10*time.Second)
	c.f.HL.InjectFault("*", heartlandtest.Fault{Status: http.StatusServiceUnavailable, Rate: c.plan.ErrorRate})
}

// reorder holds BigCommerce webhooks for a few seconds and releases them
// newest first.
func (c *Chaos) reorder(ctx context.Context) {
	c.reord.Add(1)
	c.f.BC.HoldWebhooks()
	sleepCtx(ctx, c.jitter(4*time.Second))
	c.f.BC.ReleaseWebhooks(true)
}

// Stop ends the storms and removes every fault; webhooks flow again in
// order, neither duplicated nor dropped.
func (c *Chaos) Stop() FaultStats {
	c.cancel()
	<-c.done
	c.f.BC.ReleaseWebhooks(false)
	c.f.BC.ClearFaults()
	c.f.HL.ClearFaults()
	c.f.BC.DuplicateWebhooks(false)
	c.f.HL.SetDuplicateDeliveries(0)
	c.drop.mu.Lock()
	c.drop.rate = 0
	c.drop.mu.Unlock()
	return c.Stats()
}

// Stats snapshots the counters.
func (c *Chaos) Stats() FaultStats {
	return FaultStats{Storms: int(c.storms.Load()), Reorders: int(c.reord.Load()),
		WebhooksSent: c.drop.sent.Load(), WebhooksDrop: c.drop.dropped.Load(),
		BigCommerceErr: c.f.BC.Stats().Injected}
}
