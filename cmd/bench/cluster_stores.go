package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/workflows"
)

// StoresConfig sizes the many-stores scenario of `bench cluster --stores N`.
type StoresConfig struct {
	// Stores is the number of connections, each with its own fake store
	// (own quota) and fake Heartland account (own pacing).
	Stores int
	// Rate is each store's orders per second in both phases; Stores×Rate
	// is the aggregate offered load.
	Rate float64
	// Phase is the length of the steady phase and of the flash-sale phase.
	Phase time.Duration
	// Flash is the flash-sale store's orders per second in the second phase.
	Flash float64
	// Inventory turns each connection's inventory sync on as well.
	Inventory bool
	// HeartlandSweepSeconds is each connection's heartland_sweep_seconds
	// (0: the connection default). Intake does not use the sweep; its idle
	// cost, times the stores, is most of the cluster's load.
	HeartlandSweepSeconds int
	// OrderSweepSeconds is each connection's order_sweep_seconds (0: the
	// connection default, a minute). A round hands every order modified
	// since the last over to its workflow, those the webhooks started
	// too, so a flash sale's orders come back through the sweep at once.
	OrderSweepSeconds int
	// ServerDown, when positive, kills the Temporal server halfway through
	// the steady phase and restarts it this long after: every delivery
	// meanwhile meets an intake that cannot hand it over.
	ServerDown time.Duration
}

func storesFlags(cmd *cobra.Command, cfg *StoresConfig) {
	f := cmd.Flags()
	f.IntVar(&cfg.Stores, "stores", 1, "stores (connections), each its own fake store and Heartland account; above 1 runs the many-stores scenario")
	f.Float64Var(&cfg.Rate, "store-rate", 0.25, "many stores: orders per second of each store")
	f.DurationVar(&cfg.Phase, "phase", time.Minute, "many stores: length of the steady phase and of the flash-sale phase")
	f.Float64Var(&cfg.Flash, "flash-rate", 5, "many stores: orders per second of store 1 during its flash sale")
	f.BoolVar(&cfg.Inventory, "store-inventory", false, "many stores: turn every connection's inventory sync on too")
	f.IntVar(&cfg.HeartlandSweepSeconds, "store-hl-sweep", 0, "many stores: every connection's heartland_sweep_seconds (0: the connection default)")
	f.IntVar(&cfg.OrderSweepSeconds, "store-order-sweep", 0, "many stores: every connection's order_sweep_seconds (0: the connection default)")
	f.DurationVar(&cfg.ServerDown, "store-server-down", 0, "many stores: kill the Temporal server halfway through the steady phase and restart it this long after (0: never)")
}

// StoresResult are the figures of the many-stores scenario.
type StoresResult struct {
	Config  StoresConfig `json:"config"`
	Workers int          `json:"workers"`
	// HistoryShards is the server's numHistoryShards.
	HistoryShards int `json:"history_shards"`
	// Steady is every store's intake latency in the steady phase; Others
	// the same for every store but the flash-sale one, in each phase.
	Steady       Latencies `json:"steady_intake"`
	OthersSteady Latencies `json:"others_steady_intake"`
	OthersFlash  Latencies `json:"others_flash_intake"`
	Flash        Latencies `json:"flash_store_intake"`
	// OthersSteadySplit and OthersFlashSplit cut the others' intake where
	// hrbc's intake answered the order's webhook: what comes before is
	// the delivery and the hand-over to Temporal, what comes after the
	// order's workflow up to the open Heartland order.
	OthersSteadySplit IntakeSplit `json:"others_steady_split"`
	OthersFlashSplit  IntakeSplit `json:"others_flash_split"`
	// WorstStoreP95 is the highest per-store p95 among the stores that are
	// not the flash-sale one, in the steady phase.
	WorstStoreP95 time.Duration `json:"worst_store_p95_ns"`
	// SteadyThroughput is the steady phase's orders opened per second
	// between its first and last opening (Watch.DoneRate); FlashThroughput
	// the flash phase's orders over its first creation to its last
	// opening, the flash store's queue included.
	SteadyThroughput float64 `json:"steady_orders_per_second"`
	FlashThroughput  float64 `json:"flash_orders_per_second"`
	Offered          float64 `json:"offered_orders_per_second"`
	Opened           int     `json:"orders_opened"`
	Created          int     `json:"orders_created"`
	// Doubled counts Heartland orders beyond the first of a public_id, in
	// every store's Heartland: an import that ran twice and created twice
	// (an import in place cut off by its deadline after its create, then
	// its activity).
	Doubled int `json:"heartland_orders_doubled"`
	// MaxBCWindow is the most BigCommerce calls any store allowed in one
	// window of its quota, which the quota bounds; MaxBC30s the most in
	// any 30 s, which straddle two windows and may reach twice the quota;
	// BC429 the 429s all stores answered.
	MaxBCWindow int `json:"max_bigcommerce_calls_per_store_window"`
	MaxBC30s    int `json:"max_bigcommerce_calls_per_store_30s"`
	Quota       int `json:"bigcommerce_quota_30s"`
	BC429       int `json:"bigcommerce_429"`
	// MaxHL10s is the most Heartland calls any store got in a 10 s window;
	// HLAllowed10s what the account's pacing allows in 10 s from all the
	// workers together: the rate once, a burst per worker (-1: unpaced).
	MaxHL10s     int `json:"max_heartland_calls_per_store_10s"`
	HLAllowed10s int `json:"heartland_pacing_allows_10s"`
	// Refused counts webhooks the intakes answered 5xx, Held those they
	// answered 202 (held for a later hand-over), Webhooks all of them.
	Refused  int64 `json:"webhooks_refused"`
	Held     int64 `json:"webhooks_held"`
	Webhooks int64 `json:"webhooks"`
	// Vacuum says whether PostgreSQL vacuumed itself or the bench did.
	Vacuum string `json:"vacuum"`
	// ServerOutage is how long the server was down (ServerDown), from the
	// kill until it answered again.
	ServerOutage time.Duration `json:"server_outage_ns"`
	// Domains is BigCommerce's judgement of the intakes' domain: deliveries
	// sent and failed, denylistings and the deliveries they withheld.
	Domains []bigcommercetest.DomainStats `json:"webhook_domains"`
	// IdleRSS is the workers' peak RSS before the first order, PeakRSS after.
	IdleRSS   []int64 `json:"worker_idle_rss_bytes"`
	PeakRSS   []int64 `json:"worker_peak_rss_bytes"`
	ServerRSS int64   `json:"server_peak_rss_bytes"`
	// SteadyCPU is what the steady phase cost the server, PostgreSQL, the
	// workers and the bench in CPU, and how many orders opened meanwhile.
	SteadyCPU CPUFigures `json:"steady_cpu"`
	// FlashCPU is the same over the flash-sale phase (its orders opened
	// are not counted: the flash store's queue outlasts the phase). It
	// tells whether the machine had room left when the others slowed.
	FlashCPU CPUFigures `json:"flash_cpu"`
	// Sweeps is what the stores' order sweeps handed over.
	Sweeps SweepFigures `json:"order_sweeps"`
	// OrderEvents are the history lengths of a sample of the steady
	// phase's orders at the end of the run, from the server.
	OrderEvents EventStats `json:"order_history_events"`
	// ConnectionCost is what the connections' own workflows wrote in the
	// steady phase (connectionWorkflowsCost).
	ConnectionCost historyCost `json:"connection_workflows_steady"`
	// Metrics is what the workers' /metrics said at the end.
	Metrics WorkerMetrics `json:"worker_metrics"`
	Setup   time.Duration `json:"connections_setup_ns"`
	Logs    string        `json:"logs"`
}

// store is one store of the scenario: its fakes, shop and connection.
type store struct {
	fakes *Fakes
	shop  Shop
	conn  config.ConnectionConfig
}

// storeKeyStride separates the stores' keys: order ids stay below it.
const storeKeyStride = 10_000_000

// storeKey packs a store index and its order id into one Watch key.
func storeKey(store, order int) int { return store*storeKeyStride + order }

// splitStoreKey is storeKey's inverse.
func splitStoreKey(key int) (store, order int) { return key / storeKeyStride, key % storeKeyStride }

func runStoresCommand(ctx context.Context, c *common, cfg ClusterConfig, out io.Writer, progress func(string)) error {
	res, err := RunStores(ctx, c, cfg, progress)
	if c.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res); jerr != nil {
			return jerr
		}
	} else {
		writeStoresSummary(out, res)
	}
	return err
}

// RunStores runs N stores' order intake on the cluster with its workers:
// a steady phase at every store's rate, then the same with a flash sale
// at the first store.
func RunStores(ctx context.Context, c *common, cfg ClusterConfig, progress func(string)) (res StoresResult, err error) {
	sc := cfg.Stores
	res.Config, res.Workers, res.Quota, res.HistoryShards = sc, cfg.Workers, c.quota, cfg.HistoryShards
	res.Offered = float64(sc.Stores) * sc.Rate
	cl, err := StartCluster(ctx, cfg.DBPrefix, cfg.HistoryShards, c.logger(), progress)
	if cl != nil {
		res.Logs = cl.Dir
		defer cl.Close()
	}
	if err != nil {
		return res, err
	}
	progress(fmt.Sprintf("stores: starting %d fake stores and Heartland accounts", sc.Stores))
	stores := make([]store, sc.Stores)
	conns := make([]config.ConnectionConfig, sc.Stores)
	// The stores are one app's: they share BigCommerce's judgement of the
	// intakes' domain, and retry on BigCommerce's own schedule (a minute
	// first), so a delivery an intake fails costs what it would.
	domains := bigcommercetest.NewDomainGuard(bigcommercetest.DomainBlock)
	fakeOpts := c.fakeOptions()
	fakeOpts.BigCommerce = append(fakeOpts.BigCommerce, bigcommercetest.WithDomainGuard(domains),
		bigcommercetest.WithWebhookRetrySchedule(bigcommercetest.WebhookRetrySchedule()...))
	for i := range stores {
		f, err := StartFakes(fakeOpts)
		if err != nil {
			return res, err
		}
		defer f.Close()
		stores[i] = store{fakes: f, shop: SeedShop(f, ShopSpec{SKUs: 10, HeartlandStock: 100000, StoreStock: 100}),
			conn: f.Connection(fmt.Sprintf("store%03d", i+1))}
		conns[i] = stores[i].conn
	}
	start := time.Now()
	if err := cl.StartWorkers(ctx, cfg.Workers, conns, progress); err != nil {
		return res, err
	}
	progress(fmt.Sprintf("stores: creating %d connections", sc.Stores))
	if err := createConnections(ctx, cl, stores, sc); err != nil {
		return res, err
	}
	res.Setup = time.Since(start)
	_, res.IdleRSS = cl.WorkerPeakRSS()
	progress(fmt.Sprintf("stores: %d connections live in %s; workers' RSS %v", sc.Stores, res.Setup.Round(time.Second), mibs(res.IdleRSS)))

	open := NewWatch(func(key int) bool {
		i, orderID := splitStoreKey(key)
		o, ok := stores[i].fakes.HL.OrderByPublicID(workflows.HeartlandOrderPublicID(orderID))
		return ok && o.Order.Status == "open"
	})
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go open.Run(wctx, 50*time.Millisecond)
	quota := newQuotaSampler(stores)
	go quota.run(wctx)

	progress(fmt.Sprintf("stores: steady phase, %s at %.2f orders/s per store (%.0f/s in all)", sc.Phase, sc.Rate, res.Offered))
	cpuFrom, phaseFrom := cl.SampleCPU(), time.Now()
	outage := make(chan error, 1)
	if sc.ServerDown > 0 {
		go func() {
			sleepCtx(ctx, sc.Phase/2)
			progress(fmt.Sprintf("stores: killing the Temporal server (SIGKILL), restart in %s", sc.ServerDown))
			var err error
			res.ServerOutage, err = cl.RestartServer(ctx, sc.ServerDown)
			progress(fmt.Sprintf("stores: server answering again %s after the kill", res.ServerOutage.Round(100*time.Millisecond)))
			outage <- err
		}()
	} else {
		outage <- nil
	}
	steady, err := placeOrders(ctx, stores, open, sc.Rate, 0, sc.Phase)
	if err != nil {
		return res, err
	}
	if err := <-outage; err != nil {
		return res, err
	}
	cpuTo, phaseTo := cl.SampleCPU(), time.Now()
	res.SteadyCPU = CPUFigures{Used: cpuTo.Sub(cpuFrom), Span: phaseTo.Sub(phaseFrom),
		Orders: openedBetween(open, steady.all(), phaseFrom, phaseTo)}
	progress(fmt.Sprintf("stores: flash phase, store 1 at %.1f orders/s, the others as before", sc.Flash))
	flash, err := placeOrders(ctx, stores, open, sc.Rate, sc.Flash, sc.Phase)
	if err != nil {
		return res, err
	}
	cpuFlash, flashTo := cl.SampleCPU(), time.Now()
	res.FlashCPU = CPUFigures{Used: cpuFlash.Sub(cpuTo), Span: flashTo.Sub(phaseTo)}
	progress("stores: waiting for every order to open in Heartland")
	wait, cancel := context.WithTimeout(ctx, 5*time.Minute)
	werr := open.Wait(wait)
	cancel()
	stop()

	res.Steady = Summarise(open.Samples(steady.all()))
	res.OthersSteady = Summarise(open.Samples(steady.others()))
	res.OthersFlash = Summarise(open.Samples(flash.others()))
	answered := webhooksAnswered(stores)
	res.OthersSteadySplit = splitAtWebhook(open, answered, steady.others())
	res.OthersFlashSplit = splitAtWebhook(open, answered, flash.others())
	res.Flash = Summarise(open.Samples(flash.byStore[0]))
	for i := 1; i < sc.Stores; i++ {
		res.WorstStoreP95 = max(res.WorstStoreP95, Summarise(open.Samples(steady.byStore[i])).P95)
	}
	res.SteadyThroughput = open.DoneRate(steady.all())
	res.FlashThroughput = float64(len(open.Samples(flash.all()))) / open.Span(flash.all()).Seconds()
	res.Created = len(steady.all()) + len(flash.all())
	res.Opened = len(open.Samples(nil))
	for _, s := range stores {
		res.Doubled += doubledOrders(s.fakes.HL.Orders())
	}
	res.MaxBC30s, res.MaxHL10s = quota.max(30*time.Second, true), quota.max(10*time.Second, false)
	res.HLAllowed10s = PacingAllowance(10*time.Second, c.hlRPS, c.hlBurst, cfg.Workers)
	for _, s := range stores {
		res.BC429 += s.fakes.Counts().BigCommerce.RateLimited
		res.MaxBCWindow = max(res.MaxBCWindow, s.fakes.BC.BusiestWindow())
	}
	res.Refused, res.Held, res.Webhooks = cl.Balancer.Refused.Load(), cl.Balancer.Held.Load(), int64(cl.Balancer.next.Load())
	res.Domains = domains.Stats()
	res.Vacuum = cl.Vacuum.Report()
	_, res.PeakRSS = cl.WorkerPeakRSS()
	res.ServerRSS = cl.Server.PeakRSS()
	res.Sweeps = sweepFigures(ctx, cl.Client, stores)
	events, herr := orderHistories(ctx, cl.Client, stores, sampleKeys(steady.all(), orderHistorySample))
	if herr != nil {
		progress(fmt.Sprintf("stores: order histories not read: %v", herr))
	}
	res.OrderEvents = events
	ids := make([]string, len(stores))
	for i, s := range stores {
		ids[i] = s.conn.ID
	}
	if res.ConnectionCost, herr = connectionWorkflowsCost(ctx, cl.Client, ids, phaseFrom, phaseTo); herr != nil {
		progress(fmt.Sprintf("stores: the connections' workflow histories not read: %v", herr))
	}
	res.Metrics, _ = cl.ScrapeWorkers(ctx) // a worker that does not answer shows as fewer "answered"
	if werr != nil {
		return res, fmt.Errorf("%d of %d orders never opened: %w", res.Created-res.Opened, res.Created, werr)
	}
	return res, nil
}

// createConnections creates every store's connection with order sync on
// and waits until each store has hrbc's webhooks.
func createConnections(ctx context.Context, cl *Cluster, stores []store, sc StoresConfig) error {
	sem := make(chan struct{}, 4)
	errs := make(chan error, len(stores))
	var wg sync.WaitGroup
	for _, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			settings := workflows.DefaultSettings()
			settings.OrderSync, settings.InventorySync = true, sc.Inventory
			settings.HeartlandSweepSeconds = sc.HeartlandSweepSeconds
			settings.OrderSweepSeconds = sc.OrderSweepSeconds
			settings.SourceLocationID = s.shop.Website.ID
			if _, err := cl.Starter.CreateConnection(ctx, s.conn.ID, settings); err != nil {
				errs <- fmt.Errorf("create connection %s: %w", s.conn.ID, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := errors.Join(collect(errs)...); err != nil {
		return err
	}
	return waitUntil(ctx, 250*time.Millisecond, "every store's webhooks", func() bool {
		for _, s := range stores {
			if len(s.fakes.BC.Hooks()) == 0 {
				return false
			}
		}
		return true
	})
}

func collect(errs <-chan error) []error {
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// phaseOrders are the Watch keys of the orders of one phase, per store.
type phaseOrders struct{ byStore [][]int }

func (p phaseOrders) all() []int {
	var out []int
	for _, ks := range p.byStore {
		out = append(out, ks...)
	}
	return out
}

// others are the keys of every store but the first (the flash-sale one).
func (p phaseOrders) others() []int {
	var out []int
	for _, ks := range p.byStore[1:] {
		out = append(out, ks...)
	}
	return out
}

// placeOrders creates orders for d: every store at rate per second, the
// first at flash instead when flash > 0. Each store's arrivals are evenly
// spaced and the stores are staggered, so the aggregate is smooth.
func placeOrders(ctx context.Context, stores []store, open *Watch, rate, flash float64, d time.Duration) (phaseOrders, error) {
	p := phaseOrders{byStore: make([][]int, len(stores))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, len(stores))
	begin := time.Now()
	for i, s := range stores {
		r := rate
		if i == 0 && flash > 0 {
			r = flash
		}
		if r <= 0 {
			continue
		}
		every := time.Duration(float64(time.Second) / r)
		offset := time.Duration(int64(every) * int64(i) / int64(len(stores)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := begin.Add(offset)
			for n := 0; next.Before(begin.Add(d)); n++ {
				if !sleepCtx(ctx, time.Until(next)) {
					return
				}
				o, err := s.fakes.BC.AddOrder(s.shop.orderSeed(n))
				if err != nil {
					errs <- fmt.Errorf("store %s: create order: %w", s.conn.ID, err)
					return
				}
				key := storeKey(i, o.ID)
				open.Start(key, time.Now())
				mu.Lock()
				p.byStore[i] = append(p.byStore[i], key)
				mu.Unlock()
				next = next.Add(every)
			}
		}()
	}
	wg.Wait()
	close(errs)
	return p, errors.Join(collect(errs)...)
}

// quotaSampler records every store's call counts each second, to find the
// busiest window of any one store.
type quotaSampler struct {
	stores []store
	mu     sync.Mutex
	// samples[t][i] is store i's counts at second t.
	samples [][]SideCounts
}

func newQuotaSampler(stores []store) *quotaSampler { return &quotaSampler{stores: stores} }

func (q *quotaSampler) run(ctx context.Context) {
	for {
		row := make([]SideCounts, len(q.stores))
		for i, s := range q.stores {
			row[i] = s.fakes.Counts()
		}
		q.mu.Lock()
		q.samples = append(q.samples, row)
		q.mu.Unlock()
		if !sleepCtx(ctx, time.Second) {
			return
		}
	}
}

// max is the most calls (BigCommerce, or else Heartland) any one store
// got within a window.
func (q *quotaSampler) max(window time.Duration, bigCommerce bool) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	w := int(window / time.Second)
	best := 0
	for t := range q.samples {
		from := max(t-w, 0)
		for i := range q.stores {
			a, b := q.samples[from][i], q.samples[t][i]
			n := b.Heartland.Calls - a.Heartland.Calls
			if bigCommerce {
				n = b.BigCommerce.Calls - a.BigCommerce.Calls
			}
			best = max(best, n)
		}
	}
	return best
}

func mibs(bs []int64) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = mib(b)
	}
	return out
}

// writeStoresSummary prints every figure of the many-stores scenario.
func writeStoresSummary(w io.Writer, r StoresResult) {
	fmt.Fprintf(w, "hrbc cluster --stores %d — %d worker processes on one Temporal server process on PostgreSQL\n", r.Config.Stores, r.Workers)
	fmt.Fprintf(w, "heartland_sweep_seconds %d, order_sweep_seconds %d (0: default), inventory sync %v, %d history shards\n",
		r.Config.HeartlandSweepSeconds, r.Config.OrderSweepSeconds, r.Config.Inventory, r.HistoryShards)
	fmt.Fprintf(w, "offered %.1f orders/s (%d stores × %.2f/s), %s per phase; %d orders created, %d opened in Heartland\n",
		r.Offered, r.Config.Stores, r.Config.Rate, r.Config.Phase, r.Created, r.Opened)
	fmt.Fprintf(w, "%-58s %d %s\n", "Heartland orders doubled (a public_id twice; target 0)", r.Doubled, met(r.Doubled == 0))
	fmt.Fprintf(w, "%-58s %.1f orders/s of %.1f offered %s\n", "aggregate intake, steady phase (target ≥ 20/s)",
		r.SteadyThroughput, r.Offered, met(keptUp(r.SteadyThroughput, r.Offered, 20)))
	fmt.Fprintf(w, "%-58s %.1f orders/s\n", "aggregate intake, flash phase", r.FlashThroughput)
	fmt.Fprintf(w, "%-58s p50 %s, p95 %s, max %s\n", "intake, every store, steady", fmtDur(r.Steady.P50), fmtDur(r.Steady.P95), fmtDur(r.Steady.Max))
	fmt.Fprintf(w, "%-58s %s %s\n", "intake p95, stores not saturated, steady (target ≤ 1 s)", fmtDur(r.OthersSteady.P95), met(r.OthersSteady.P95 <= time.Second))
	fmt.Fprintf(w, "%-58s %s\n", "worst single store's p95, steady", fmtDur(r.WorstStoreP95))
	ratio := 0.0
	if r.OthersSteady.P95 > 0 {
		ratio = float64(r.OthersFlash.P95) / float64(r.OthersSteady.P95)
	}
	fmt.Fprintf(w, "%-58s %s → %s (×%.2f) %s\n", "others' p95 during store 1's flash sale (target ≤ ×1.20)",
		fmtDur(r.OthersSteady.P95), fmtDur(r.OthersFlash.P95), ratio, met(ratio > 0 && ratio <= 1.2))
	for _, sp := range []struct {
		phase string
		split IntakeSplit
	}{{"steady", r.OthersSteadySplit}, {"flash", r.OthersFlashSplit}} {
		fmt.Fprintf(w, "%-58s webhook answered p95 %s, then open in Heartland p95 %s\n", "others' intake, "+sp.phase+", split at the webhook",
			fmtDur(sp.split.Webhook.P95), fmtDur(sp.split.Workflow.P95))
	}
	fmt.Fprintf(w, "%-58s p50 %s, p95 %s (%d orders at %.1f/s)\n", "flash-sale store's own intake", fmtDur(r.Flash.P50), fmtDur(r.Flash.P95), r.Flash.Count, r.Config.Flash)
	fmt.Fprintf(w, "%-58s %d of %d %s; in any 30 s %d; 429s %d\n", "most BigCommerce calls of one store in a quota window",
		r.MaxBCWindow, r.Quota, met(r.MaxBCWindow <= r.Quota), r.MaxBC30s, r.BC429)
	if r.HLAllowed10s >= 0 {
		fmt.Fprintf(w, "%-58s %d (%.1f/s) of %d %s\n", "most Heartland calls of one store in 10 s (its pacing)",
			r.MaxHL10s, float64(r.MaxHL10s)/10, r.HLAllowed10s, met(r.MaxHL10s <= r.HLAllowed10s))
	} else {
		fmt.Fprintf(w, "%-58s %d (%.1f/s), unpaced\n", "most Heartland calls of one store in 10 s", r.MaxHL10s, float64(r.MaxHL10s)/10)
	}
	fmt.Fprintf(w, "%-58s %d of %d, %d held (202, handed over later)\n", "webhooks the intakes answered 5xx (to be retried)", r.Refused, r.Webhooks, r.Held)
	fmt.Fprintf(w, "%-58s %s\n", "vacuum", r.Vacuum)
	if r.ServerOutage > 0 {
		fmt.Fprintf(w, "%-58s %s, from the kill until it answered again (the steady phase's PostgreSQL CPU undercounts: the killed server's connections took their time with them)\n",
			"Temporal server down in the steady phase", r.ServerOutage.Round(100*time.Millisecond))
	}
	for _, d := range r.Domains {
		fmt.Fprintf(w, "%-58s %s: %d sent, %d failed, worst 2-min success %.1f %%, denylisted %d times %s (%d deliveries withheld)\n",
			"BigCommerce's judgement of the intakes' domain", d.Domain, d.Sent, d.Failed, 100*d.WorstRatio, d.Blocks, met(d.Blocks == 0), d.Withheld)
	}
	fmt.Fprintf(w, "%-58s flash store %d in %d rounds, others %d in %d rounds%s\n", "order sweeps' hand-overs (orders the webhooks missed)",
		r.Sweeps.FlashHandOvers, r.Sweeps.FlashRounds, r.Sweeps.OthersHandOvers, r.Sweeps.OthersRounds, unanswered(r.Sweeps.Unanswered))
	fmt.Fprintf(w, "%-58s %d told, %d left alone (their own import; a long poll still on counts later)\n", "Heartland sweeps' changed orders",
		r.Sweeps.HeartlandTold, r.Sweeps.HeartlandKnown)
	if r.OrderEvents.Workflows > 0 {
		fmt.Fprintf(w, "%-58s mean %.1f, min %d, max %d (%d of the steady phase's orders, at the end)\n", "history events per order",
			r.OrderEvents.Mean, r.OrderEvents.Min, r.OrderEvents.Max, r.OrderEvents.Workflows)
		fmt.Fprintf(w, "%-58s mean %.1f (Temporal Cloud's count, estimated from the same histories)\n", "billable actions per order", r.OrderEvents.Actions)
	}
	if c := r.ConnectionCost; c.Events > 0 && r.SteadyCPU.Orders > 0 {
		fmt.Fprintf(w, "%-58s %.1f events, %.1f billable actions per order opened (connection, inventory sync, sweeps, catalog follower; idle cost included)\n",
			"connections' own workflows, steady phase", Ratio(c.Events, r.SteadyCPU.Orders), Ratio(c.Actions+c.Heartbeats, r.SteadyCPU.Orders))
	}
	writeCPUFigures(w, r.SteadyCPU)
	u := r.FlashCPU.Used
	fmt.Fprintf(w, "%-58s server %.2f, PostgreSQL %.2f, workers %.2f, bench and fakes %.2f\n", "CPU, flash phase (cores busy)",
		r.FlashCPU.Cores(u.Server), r.FlashCPU.Cores(u.Postgres), r.FlashCPU.Cores(u.Workers), r.FlashCPU.Cores(u.Bench))
	writeMachineCPU(w, "machine, flash phase (every process and the kernel)", r.FlashCPU)
	var idle, peak int64
	for i := range r.PeakRSS {
		peak += r.PeakRSS[i]
		if i < len(r.IdleRSS) {
			idle += r.IdleRSS[i]
		}
	}
	n := int64(max(r.Config.Stores, 1))
	fmt.Fprintf(w, "%-58s idle %v, peak %v\n", "worker RSS", mibs(r.IdleRSS), mibs(r.PeakRSS))
	fmt.Fprintf(w, "%-58s idle %s, peak %s (all workers' RSS / stores)\n", "worker RSS per connection", kib(idle/n), kib(peak/n))
	fmt.Fprintf(w, "%-58s %s\n", "server peak RSS", mib(r.ServerRSS))
	fmt.Fprintf(w, "%-58s %s\n", "connections created and webhooks registered in", r.Setup.Round(time.Second))
	fmt.Fprintf(w, "%s\n", r.Metrics)
	fmt.Fprintf(w, "logs: %s\n", r.Logs)
}

// kib prints bytes as KiB.
func kib(b int64) string { return fmt.Sprintf("%d KiB", b/1024) }

// doubledOrders counts the sales orders beyond the first of each
// public_id.
func doubledOrders(orders []heartlandtest.OrderState) int {
	seen := map[string]bool{}
	doubled := 0
	for _, o := range orders {
		if seen[o.Order.PublicID] {
			doubled++
		}
		seen[o.Order.PublicID] = true
	}
	return doubled
}

// keptUp reports whether a phase that offered offered orders a second, at
// least target, opened them as fast: within 1 %, the resolution of the
// measurement (openings are seen by a 50 ms poll).
func keptUp(opened, offered, target float64) bool {
	return offered >= target && opened >= 0.99*offered
}
