package main

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/worker/config"
)

// benchWebhookSecret authenticates the fakes' webhooks to the intake.
const benchWebhookSecret = "bench-webhook-secret-0123456789"

// FakeOptions shape the two fake APIs.
type FakeOptions struct {
	// Latency is added to every API request on both sides.
	Latency time.Duration
	// Quota and Window are BigCommerce's rate limit; Quota 0 turns it off.
	Quota  int
	Window time.Duration
	// Seed makes the fakes' fault randomness reproducible.
	Seed uint64
	// HeartlandRPS overrides the worker's Heartland pacing, in process or
	// child (0: the connection default of 5 requests per second; negative:
	// none).
	HeartlandRPS float64
	// HeartlandBurst overrides the worker's Heartland burst (0: the
	// connection default).
	HeartlandBurst int
	// BigCommerce and Heartland are extra options for the fakes.
	BigCommerce []bigcommercetest.Option
	Heartland   []heartlandtest.Option
}

// Fakes are both fake APIs, each served behind a Meter on its own
// loopback listener, so every request pays the latency and is counted
// whichever process (the bench or a worker child) makes it.
type Fakes struct {
	heartlandRPS   float64
	heartlandBurst int
	BC             *bigcommercetest.Server
	HL             *heartlandtest.Server
	BCMeter        *Meter
	HLMeter        *Meter
	bcServer       *http.Server
	hlServer       *http.Server
	// BCURL and HLURL are the metered roots of the two APIs.
	BCURL, HLURL string
}

// StartFakes starts both fakes and their metered listeners.
func StartFakes(opts FakeOptions) (*Fakes, error) {
	bcOpts := []bigcommercetest.Option{bigcommercetest.WithSeed(opts.Seed)}
	if opts.Quota > 0 {
		bcOpts = append(bcOpts, bigcommercetest.WithRateLimit(opts.Quota, opts.Window))
	} else {
		bcOpts = append(bcOpts, bigcommercetest.WithoutRateLimit())
	}
	bc, err := bigcommercetest.Start("127.0.0.1:0", append(bcOpts, opts.BigCommerce...)...)
	if err != nil {
		return nil, fmt.Errorf("start fake BigCommerce: %w", err)
	}
	hl, err := heartlandtest.Listen("127.0.0.1:0", append([]heartlandtest.Option{heartlandtest.WithRandSeed(opts.Seed)}, opts.Heartland...)...)
	if err != nil {
		bc.Close()
		return nil, fmt.Errorf("start fake Heartland: %w", err)
	}
	f := &Fakes{heartlandRPS: opts.HeartlandRPS, heartlandBurst: opts.HeartlandBurst, BC: bc, HL: hl, BCMeter: NewMeter(bc, opts.Latency), HLMeter: NewMeter(hl.Handler(), opts.Latency)}
	if f.bcServer, f.BCURL, err = serveLoopback(f.BCMeter); err != nil {
		f.Close()
		return nil, fmt.Errorf("serve metered BigCommerce: %w", err)
	}
	if f.hlServer, f.HLURL, err = serveLoopback(f.HLMeter); err != nil {
		f.Close()
		return nil, fmt.Errorf("serve metered Heartland: %w", err)
	}
	return f, nil
}

// serveLoopback serves h on a free loopback port.
func serveLoopback(h http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}

// Connection is the worker configuration of a connection between the fakes.
func (f *Fakes) Connection(id string) config.ConnectionConfig {
	return config.ConnectionConfig{
		ID:                   id,
		HeartlandURL:         f.HLURL + "/api/",
		HeartlandToken:       config.Secret(f.HL.Token),
		BigCommerceStoreHash: f.BC.StoreHash,
		BigCommerceURL:       f.BCURL + "/stores/" + f.BC.StoreHash,
		BigCommerceToken:     config.Secret(f.BC.Token),
		WebhookSecret:        config.Secret(benchWebhookSecret),
		HeartlandRPS:         f.heartlandRPS,
		HeartlandBurst:       f.heartlandBurst,
	}
}

// Routes snapshots the per-route calls of both meters, prefixed "BC " and "HL ".
func (f *Fakes) Routes() map[string]int {
	out := map[string]int{}
	for k, v := range f.BCMeter.Routes() {
		out["BC "+k] = v
	}
	for k, v := range f.HLMeter.Routes() {
		out["HL "+k] = v
	}
	return out
}

// Busy snapshots the time both fakes spent answering, per route.
func (f *Fakes) Busy() map[string]time.Duration {
	out := map[string]time.Duration{}
	for k, v := range f.BCMeter.Busy() {
		out["BC "+k] = v
	}
	for k, v := range f.HLMeter.Busy() {
		out["HL "+k] = v
	}
	return out
}

// BusyTotal is the sum of now minus before over every route.
func BusyTotal(now, before map[string]time.Duration) time.Duration {
	var t time.Duration
	for k, v := range now {
		t += v - before[k]
	}
	return t
}

// BusyDelta is now minus before, rounded, without small entries.
func BusyDelta(now, before map[string]time.Duration) map[string]string {
	out := map[string]string{}
	for k, v := range now {
		if d := v - before[k]; d >= 10*time.Millisecond {
			out[k] = d.Round(time.Millisecond).String()
		}
	}
	return out
}

// Counts snapshots both meters.
func (f *Fakes) Counts() SideCounts {
	return SideCounts{BigCommerce: f.BCMeter.Counts(), Heartland: f.HLMeter.Counts()}
}

// Close stops the listeners and the fakes.
func (f *Fakes) Close() {
	if f.bcServer != nil {
		_ = f.bcServer.Close()
	}
	if f.hlServer != nil {
		_ = f.hlServer.Close()
	}
	f.BC.Close()
	f.HL.Close()
}

// SideCounts are the counts of both APIs.
type SideCounts struct {
	BigCommerce Counts `json:"bigcommerce"`
	Heartland   Counts `json:"heartland"`
}

// Sub is c minus an earlier snapshot.
func (c SideCounts) Sub(earlier SideCounts) SideCounts {
	return SideCounts{BigCommerce: c.BigCommerce.Sub(earlier.BigCommerce), Heartland: c.Heartland.Sub(earlier.Heartland)}
}

// Total is the calls of both sides.
func (c SideCounts) Total() int { return c.BigCommerce.Calls + c.Heartland.Calls }
