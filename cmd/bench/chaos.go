package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/workflows"
)

// chaosTaskQueue is the task queue of the chaos test's worker process.
const chaosTaskQueue = "hrbc-chaos"

// ChaosConfig sizes the crash and fault test.
type ChaosConfig struct {
	Orders int
	Kills  int
	// Graceful of the kills are SIGTERM (a deploy) instead of SIGKILL.
	Graceful int
	// SKUs are linked on both sides and synced in full while orders flow.
	SKUs int
	// MinGap and MaxGap bound the time between kills.
	MinGap, MaxGap time.Duration
	// Settle bounds the wait for quiescence after the last restart (0: by size).
	Settle time.Duration
	// DropRate of BigCommerce webhooks are lost.
	DropRate float64
	// HeartlandDropRate of Heartland webhooks (invoices among them) are
	// lost: the HeartlandSweep must find those invoices.
	HeartlandDropRate float64
	// SweepSeconds is the connection's order sweep interval.
	SweepSeconds int
	Plan         FaultPlan
	// MaxConverge fails the run when the stock takes longer than this to
	// agree on every SKU after the faults stop (0: report only).
	MaxConverge time.Duration
	// CommitmentTx makes the fake Heartland log stock commitments as
	// inventory transactions, as it used to (real Heartland very likely
	// does not); for comparing runs.
	CommitmentTx bool
}

// ChaosResult is the chaos test's summary.
type ChaosResult struct {
	Config   ChaosConfig `json:"config"`
	Kills    int         `json:"kills"`
	Starts   int         `json:"worker_starts"`
	Created  int         `json:"orders_created"`
	Invoices int64       `json:"invoices"`
	// InHeartland orders were distributed by staff in Heartland, not by hrbc.
	InHeartland int64 `json:"distributed_in_heartland"`
	// HeartlandDropped and HeartlandSent count Heartland's webhooks.
	HeartlandDropped int64         `json:"heartland_webhooks_dropped"`
	HeartlandSent    int64         `json:"heartland_webhooks_sent"`
	Retries          int64         `json:"distribute_retries"`
	Faults           FaultStats    `json:"faults"`
	Calls            SideCounts    `json:"calls"`
	PeakRSS          int64         `json:"worker_peak_rss_bytes"`
	Wall             time.Duration `json:"wall_ns"`
	Settled          bool          `json:"settled"`
	// Converge is the time from "faults off" until every linked SKU is
	// equal on both sides for good (-1: never); LongestGap the longest
	// stretch after faults off in which some SKU differed, and MostDiffering
	// the most SKUs differing at once.
	Converge      time.Duration `json:"converge_ns"`
	LongestGap    time.Duration `json:"longest_gap_ns"`
	MostDiffering int           `json:"most_differing"`
	Checks        []Check       `json:"checks"`
	Problems      []string      `json:"driver_problems,omitempty"`
	WorkerLog     string        `json:"worker_log"`
	// Histories are the histories kept beside the worker log when some
	// order did not settle (keepHistories).
	Histories []string `json:"histories,omitempty"`
	// Attention lists the workflows that need a person at the end, with why.
	Attention []string `json:"attention,omitempty"`
	// Unexpected are worker exits the bench did not cause.
	Unexpected []string `json:"unexpected_exits,omitempty"`
}

// OK reports every check passed.
func (r ChaosResult) OK() bool {
	for _, c := range r.Checks {
		if !c.OK() {
			return false
		}
	}
	return len(r.Problems) == 0 && len(r.Checks) > 0 && r.convergedInTime()
}

// convergedInTime reports the stock agreed within Config.MaxConverge of
// the faults stopping (always true without a limit).
func (r ChaosResult) convergedInTime() bool {
	return r.Config.MaxConverge <= 0 || (r.Converge >= 0 && r.Converge <= r.Config.MaxConverge)
}

func chaosCommand(c *common) *cobra.Command {
	cfg := ChaosConfig{Plan: FaultPlan{ErrorRate: 0.05, SlowRate: 0.03, SlowLatency: 1500 * time.Millisecond,
		StormEvery: 25 * time.Second, StormSize: 20, ReorderEvery: 15 * time.Second}}
	cmd := &cobra.Command{
		Use:   "chaos",
		Short: "Kill the worker process at random moments while orders and an inventory sync run against faulty APIs, then check nothing was lost or doubled",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := commandContext(c.timeout)
			defer cancel()
			progress := func(s string) { fmt.Fprintf(cmd.ErrOrStderr(), "%s %s\n", time.Now().Format("15:04:05"), s) }
			res, err := RunChaos(ctx, c, cfg, progress)
			return reportChecked(cmd.OutOrStdout(), c.json, "chaos", res, writeChaosSummary, err)
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Orders, "orders", 200, "orders that flow through intake, distribution, two invoices and capture")
	f.IntVar(&cfg.Kills, "kills", 10, "times the worker process is killed with SIGKILL and restarted")
	f.IntVar(&cfg.Graceful, "sigterm", 0, "how many of the kills (the first ones) are a graceful SIGTERM instead")
	f.IntVar(&cfg.SKUs, "skus", 200, "linked SKUs (3 locations) of the full inventory sync")
	f.DurationVar(&cfg.MinGap, "min-gap", 4*time.Second, "shortest time between kills")
	f.DurationVar(&cfg.MaxGap, "max-gap", 20*time.Second, "longest time between kills")
	f.DurationVar(&cfg.Settle, "settle", 0, "longest wait for quiescence after the last restart (0: 3m + 10s per order)")
	f.Float64Var(&cfg.DropRate, "drop", 0.10, "fraction of BigCommerce webhooks lost")
	f.Float64Var(&cfg.HeartlandDropRate, "hl-drop", 0.5, "fraction of Heartland webhooks (invoices among them) lost")
	f.IntVar(&cfg.SweepSeconds, "sweep-seconds", 5, "the connection's order_sweep_seconds")
	f.Float64Var(&cfg.Plan.ErrorRate, "error-rate", cfg.Plan.ErrorRate, "fraction of API requests answered 503")
	f.DurationVar(&cfg.MaxConverge, "max-converge", 0, "fail when the stock takes longer than this after the faults stop to agree on every SKU (0: report only)")
	f.BoolVar(&cfg.CommitmentTx, "commitment-tx", false, "fake Heartland logs stock commitments as inventory transactions (real Heartland very likely does not)")
	return cmd
}

// RunChaos runs the crash and fault test.
func RunChaos(ctx context.Context, c *common, cfg ChaosConfig, progress func(string)) (res ChaosResult, err error) {
	res.Config = cfg
	start := time.Now()
	root, err := moduleRoot()
	if err != nil {
		return res, err
	}
	dir, err := os.MkdirTemp("", "hrbc-chaos-")
	if err != nil {
		return res, fmt.Errorf("temporary directory: %w", err)
	}
	res.WorkerLog = filepath.Join(dir, "worker.log")
	progress("chaos: building ./cmd/worker")
	bin, err := buildWorker(ctx, root, dir)
	if err != nil {
		return res, err
	}
	// The binary is large; the log stays for reading.
	defer os.Remove(bin)
	srv, err := StartServer(c.logger())
	if err != nil {
		return res, err
	}
	defer srv.Close()
	st := starter.New(srv.Client, chaosTaskQueue, starter.WithDataConverter(codec.DataConverter(srv.Ring)))

	drop := newDropTransport(cfg.DropRate, c.seed)
	opts := c.fakeOptions()
	opts.BigCommerce = append(opts.BigCommerce, bigcommercetest.WithWebhookClient(&http.Client{Transport: drop, Timeout: 10 * time.Second}))
	hlDrop := newDropTransport(cfg.HeartlandDropRate, c.seed+7)
	opts.Heartland = append(opts.Heartland, heartlandtest.WithWebhookClient(&http.Client{Transport: hlDrop, Timeout: 10 * time.Second}))
	if cfg.CommitmentTx {
		opts.Heartland = append(opts.Heartland, heartlandtest.WithCommitmentTransactions())
	}
	fakes, err := StartFakes(opts)
	if err != nil {
		return res, err
	}
	defer fakes.Close()
	shop := SeedShop(fakes, ShopSpec{SKUs: cfg.SKUs, HeartlandStock: 1000, StoreStock: 1})

	intake, err := freeLoopbackAddr()
	if err != nil {
		return res, err
	}
	conn := fakes.Connection("chaos")
	env := workerEnv(srv, chaosTaskQueue, intake, conn)
	wp := NewWorkerProcess(bin, env, res.WorkerLog, intake)
	progress("chaos: starting the worker process (log: " + res.WorkerLog + ")")
	if err := wp.Start(ctx); err != nil {
		return res, err
	}
	defer func() { wp.Stop(); res.PeakRSS = wp.PeakRSS(); res.Unexpected = wp.Unexpected() }()
	// Like a supervisor, restart a worker that died without being killed,
	// and say so: the run is then not the one planned.
	var restartMu sync.Mutex
	wp.OnUnexpectedExit(func(status string) {
		progress("chaos: the worker exited unexpectedly (" + status + "); restarting it")
		restartMu.Lock()
		defer restartMu.Unlock()
		if err := wp.Start(ctx); err != nil {
			progress("chaos: restart after the unexpected exit failed: " + err.Error())
		}
	})

	settings := workflows.DefaultSettings()
	settings.OrderSync, settings.InventorySync = true, true
	settings.SourceLocationID = shop.Website.ID
	settings.OrderSweepSeconds = cfg.SweepSeconds
	if _, err := st.CreateConnection(ctx, conn.ID, settings); err != nil {
		return res, fmt.Errorf("create connection: %w", err)
	}
	if err := waitUntil(ctx, 100*time.Millisecond, "webhooks registered", func() bool {
		return len(fakes.BC.Hooks()) > 0 && len(fakes.HL.Webhooks()) > 0
	}); err != nil {
		return res, err
	}
	progress(fmt.Sprintf("chaos: connection created; %d orders, %d kills, faults on", cfg.Orders, cfg.Kills))
	chaos := startChaos(fakes, cfg.Plan, drop, c.seed)
	defer func() { res.Faults = chaos.Stop() }()

	driver := &orderDriver{f: fakes, starter: st, shop: shop, conn: conn.ID}
	rng := rand.New(rand.NewPCG(c.seed, 42))
	meanGap := (cfg.MinGap + cfg.MaxGap) / 2
	spread := time.Duration(max(cfg.Kills, 1)) * meanGap
	every := spread / time.Duration(max(cfg.Orders, 1))

	settleFor := cfg.Settle
	if settleFor <= 0 {
		settleFor = 3*time.Minute + time.Duration(cfg.Orders)*10*time.Second
	}
	// Drivers and the quiescence wait share one deadline: the kills'
	// expected span plus the settle time.
	deadline := time.Now().Add(spread + settleFor)
	dctx, stopDrivers := context.WithDeadline(ctx, deadline)
	defer stopDrivers()
	go reportProgress(dctx, fakes, driver, shop, progress)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range cfg.Orders {
			id, err := driver.create(i)
			if err != nil {
				driver.problem("%v", err)
				continue
			}
			wg.Add(1)
			go func() { defer wg.Done(); driver.drive(dctx, id) }()
			if !sleepCtx(dctx, every) {
				return
			}
		}
	}()

	// A second full sync halfway through the kills, so one runs across them.
	killErr := killLoop(ctx, wp, cfg, rng, progress, func(k int) {
		if k == cfg.Kills/2 {
			go func() {
				// Asked right after a restart, the connection's query may time
				// out while the new worker takes over; an operator asks again.
				var err error
				for range 3 {
					cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
					err = st.StartInventorySync(cctx, conn.ID, workflows.InventoryOptions{})
					cancel()
					if err == nil || ctx.Err() != nil {
						break
					}
					sleepCtx(ctx, 2*time.Second)
				}
				if err != nil {
					driver.problem("start full inventory sync: %v", err)
				}
			}()
		}
	})
	res.Kills = cfg.Kills
	if killErr != nil {
		return res, killErr
	}
	progress("chaos: last restart done; waiting for the orders to settle")
	wg.Wait()
	stats := chaos.Stop()
	res.Faults = stats
	hlDrop.off()
	progress(fmt.Sprintf("chaos: faults off (%d storms, %d reorders, %d of %d webhooks dropped); waiting for quiescence",
		stats.Storms, stats.Reorders, stats.WebhooksDrop, stats.WebhooksDrop+stats.WebhooksSent))
	created := driver.Created()
	watch := newConvergeWatch(time.Now())
	err = waitUntil(dctx, convergeTick, "quiescence", func() bool {
		inv := checkInventory(fakes, shop)
		watch.observe(time.Now(), inv.Violations)
		return inv.OK() && ordersSettled(fakes, created)
	})
	res.Settled = err == nil
	res.Converge, res.LongestGap = watch.result(time.Now())
	res.MostDiffering = watch.worst
	progress(fmt.Sprintf("chaos: stock agreed %s after faults off (longest disagreement %s, at most %d SKUs)",
		fmtConverge(res.Converge), res.LongestGap.Round(100*time.Millisecond), res.MostDiffering))
	stopDrivers()
	if err != nil && ctx.Err() != nil {
		return res, err
	}
	res.Checks = append(checkOrders(fakes, created), checkInventory(fakes, shop))
	res.Attention = attention(ctx, st)
	if left := unsettledOrders(fakes, created); len(left) > 0 {
		paths, err := keepHistories(ctx, srv.Client, dir, conn.ID, left)
		if err != nil {
			driver.problem("keep the histories of unsettled orders: %v", err)
		}
		res.Histories = paths
	}
	res.Created = len(created)
	res.Invoices = driver.invoiced.Load()
	res.InHeartland = driver.inHeartland.Load()
	res.HeartlandDropped, res.HeartlandSent = hlDrop.dropped.Load(), hlDrop.sent.Load()
	res.Retries = driver.retries.Load()
	res.Problems = driver.problems
	res.Calls = fakes.Counts()
	res.Starts = wp.Starts()
	res.Wall = time.Since(start)
	return res, nil
}

// killLoop kills the worker cfg.Kills times at random moments and
// restarts it each time; onKill runs after each restart with its number.
func killLoop(ctx context.Context, wp *WorkerProcess, cfg ChaosConfig, rng *rand.Rand, progress func(string), onKill func(int)) error {
	for k := 1; k <= cfg.Kills; k++ {
		gap := cfg.MinGap + time.Duration(rng.Int64N(int64(cfg.MaxGap-cfg.MinGap)+1))
		if !sleepCtx(ctx, gap) {
			return ctx.Err()
		}
		how, stop := "SIGKILL", wp.Kill
		if k <= cfg.Graceful {
			how, stop = "SIGTERM", wp.Terminate
		}
		if err := stop(); err != nil {
			return err
		}
		down := time.Duration(rng.Int64N(int64(2 * time.Second)))
		progress(fmt.Sprintf("chaos: kill %d/%d (%s), restart in %s", k, cfg.Kills, how, down.Round(time.Millisecond)))
		sleepCtx(ctx, down)
		if err := wp.Start(ctx); err != nil {
			return fmt.Errorf("restart %d: %w", k, err)
		}
		onKill(k)
	}
	return nil
}

// writeChaosSummary prints the summary and the checks.
func writeChaosSummary(w io.Writer, r ChaosResult) {
	fmt.Fprintf(w, "hrbc chaos — %d orders, %d kills (%d worker starts), %d SKUs, wall %s\n",
		r.Created, r.Kills, r.Starts, r.Config.SKUs, r.Wall.Round(time.Second))
	fmt.Fprintf(w, "faults: %d×503 injected on BigCommerce, %.0f%% 503 on Heartland, %d 429 storms, %d webhook reorders, %d of %d BigCommerce webhooks dropped, all duplicated\n",
		r.Faults.BigCommerceErr, r.Config.Plan.ErrorRate*100, r.Faults.Storms, r.Faults.Reorders, r.Faults.WebhooksDrop, r.Faults.WebhooksDrop+r.Faults.WebhooksSent)
	fmt.Fprintf(w, "orders distributed by staff in Heartland %d, the rest by hrbc; %d of %d Heartland webhooks dropped\n",
		r.InHeartland, r.HeartlandDropped, r.HeartlandDropped+r.HeartlandSent)
	fmt.Fprintf(w, "API calls: BigCommerce %d (%d answered 429), Heartland %d (%d answered 429); invoices %d; distribute updates refused or timed out (retried) %d; worker peak RSS %s\n",
		r.Calls.BigCommerce.Calls, r.Calls.BigCommerce.RateLimited, r.Calls.Heartland.Calls, r.Calls.Heartland.RateLimited, r.Invoices, r.Retries, mib(r.PeakRSS))
	fmt.Fprintf(w, "quiescent: %v\n", r.Settled)
	limit := "no limit"
	if r.Config.MaxConverge > 0 {
		limit = "limit " + r.Config.MaxConverge.String()
	}
	status := "ok  "
	if !r.convergedInTime() {
		status = "FAIL"
	}
	fmt.Fprintf(w, "%s stock converged after faults off in %s (%s); longest disagreement %s, at most %d SKUs at once\n\n%s",
		status, fmtConverge(r.Converge), limit, r.LongestGap.Round(100*time.Millisecond), r.MostDiffering, formatChecks(r.Checks))
	for _, p := range r.Problems {
		fmt.Fprintf(w, "driver problem: %s\n", p)
	}
	for _, a := range r.Attention {
		fmt.Fprintf(w, "needs attention: %s\n", a)
	}
	for _, u := range r.Unexpected {
		fmt.Fprintf(w, "unexpected worker exit (not caused by the bench): %s\n", u)
	}
	for _, h := range r.Histories {
		fmt.Fprintf(w, "history kept: %s\n", h)
	}
	if r.OK() {
		fmt.Fprintln(w, "\nPASS")
	} else {
		fmt.Fprintf(w, "\nFAIL (worker log: %s)\n", r.WorkerLog)
	}
}

// reportProgress prints how far the orders and the stock are every 15 s.
func reportProgress(ctx context.Context, f *Fakes, d *orderDriver, shop Shop, progress func(string)) {
	for sleepCtx(ctx, 15*time.Second) {
		created := d.Created()
		closed := len(created) - len(unsettledOrders(f, created))
		inv := checkInventory(f, shop)
		progress(fmt.Sprintf("chaos: %d orders created, %d distributed, %d invoices, %d closed; %d of %d SKUs differ",
			len(created), d.distributed.Load(), d.invoiced.Load(), closed, inv.Violations, inv.Checked))
	}
}

// attention lists what needs a person, with the order's own reason when
// the workflow answers its status query.
func attention(ctx context.Context, st *starter.Client) []string {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	items, err := st.NeedsAttention(ctx)
	if err != nil {
		return []string{"could not list: " + err.Error()}
	}
	var out []string
	for _, it := range items {
		line := fmt.Sprintf("%s (%s): %s", it.WorkflowID, it.Stage, it.Reason)
		if conn, id, ok := workflows.ParseOrderWorkflowID(it.WorkflowID); ok {
			if s, err := st.OrderStatus(ctx, conn, id); err == nil && s.Attention != "" {
				line = fmt.Sprintf("%s (%s): %s", it.WorkflowID, s.Stage, s.Attention)
			}
		}
		out = append(out, line)
	}
	return out
}
