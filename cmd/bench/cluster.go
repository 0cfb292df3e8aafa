package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/workflows"
)

// ClusterConfig sizes `bench cluster`.
type ClusterConfig struct {
	// DBPrefix names the databases: <prefix>_temporal, <prefix>_visibility.
	DBPrefix string
	// HistoryShards is the server's numHistoryShards (fixed for the life
	// of the databases, which the bench creates afresh).
	HistoryShards int
	// Workers is how many cmd/worker processes share the task queue.
	Workers int
	// Orders go through intake, distribution, two invoices and capture.
	Orders int
	// Kills are SIGKILLs of a worker picked at random, each restarted.
	Kills int
	// SKUs are linked on both sides and synced in full while orders flow.
	SKUs int
	// MinGap and MaxGap bound the time between kills.
	MinGap, MaxGap time.Duration
	// ServerDown is how long the killed server stays down before its restart.
	ServerDown time.Duration
	// Settle bounds the wait for quiescence after the last kill.
	Settle time.Duration
	// Stores > 1 runs the many-stores scenario instead (cluster_stores.go).
	Stores StoresConfig
}

// ClusterResult is the summary of `bench cluster`.
type ClusterResult struct {
	Config        ClusterConfig `json:"config"`
	Database      string        `json:"database"`
	SchemaSetup   time.Duration `json:"schema_setup_ns"`
	ServerReady   time.Duration `json:"server_ready_ns"`
	Created       int           `json:"orders_created"`
	Intake        Latencies     `json:"intake_latency"`
	WorkerKills   int           `json:"worker_kills"`
	WorkerStarts  int           `json:"worker_starts"`
	ServerStarts  int           `json:"server_starts"`
	ServerOutage  time.Duration `json:"server_outage_ns"`
	Invoices      int64         `json:"invoices"`
	Calls         SideCounts    `json:"calls"`
	WorkerPeakRSS []int64       `json:"worker_peak_rss_bytes"`
	// Metrics is what the workers' /metrics said at the end.
	Metrics       WorkerMetrics `json:"worker_metrics"`
	ServerPeakRSS int64         `json:"server_peak_rss_bytes"`
	Failovers     int64         `json:"webhook_failovers"`
	Unserved      int64         `json:"webhooks_unserved"`
	Settled       bool          `json:"settled"`
	Converge      time.Duration `json:"converge_ns"`
	Checks        []Check       `json:"checks"`
	Problems      []string      `json:"driver_problems,omitempty"`
	Attention     []string      `json:"attention,omitempty"`
	Unexpected    []string      `json:"unexpected_exits,omitempty"`
	// CLI is what the operator CLI printed for the connection at the end.
	CLI  string        `json:"starter_cli"`
	Logs string        `json:"logs"`
	Wall time.Duration `json:"wall_ns"`
}

// OK reports every check passed.
func (r ClusterResult) OK() bool {
	for _, c := range r.Checks {
		if !c.OK() {
			return false
		}
	}
	return len(r.Checks) > 0 && len(r.Problems) == 0 && r.Settled
}

func clusterCommand(c *common) *cobra.Command {
	cfg := ClusterConfig{}
	cmd := &cobra.Command{
		Use: "cluster",
		Short: "A real cluster: the Temporal server as its own process on PostgreSQL and three worker processes; " +
			"kills workers and restarts the server during orders and an inventory sync, then checks nothing was lost or doubled " +
			"(--stores N: N stores' order intake instead)",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := commandContext(c.timeout)
			defer cancel()
			progress := func(s string) { fmt.Fprintf(cmd.ErrOrStderr(), "%s %s\n", time.Now().Format("15:04:05"), s) }
			if cfg.Stores.Stores > 1 {
				return runStoresCommand(ctx, c, cfg, cmd.OutOrStdout(), progress)
			}
			res, err := RunCluster(ctx, c, cfg, progress)
			return reportChecked(cmd.OutOrStdout(), c.json, "cluster", res, writeClusterSummary, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.DBPrefix, "db-prefix", "hrbc_bench", "databases <prefix>_temporal and <prefix>_visibility, dropped and created afresh (URL in "+PostgresURLEnv+")")
	f.IntVar(&cfg.Workers, "workers", 3, "cmd/worker processes sharing the task queue")
	f.IntVar(&cfg.HistoryShards, "history-shards", 4, "the server's history shards (NUM_HISTORY_SHARDS; compose's default is 4)")
	f.IntVar(&cfg.Orders, "orders", 60, "orders through intake, distribution, two invoices and capture")
	f.IntVar(&cfg.Kills, "kills", 6, "SIGKILLs of a random worker, each restarted; the server is killed and restarted once, halfway")
	f.IntVar(&cfg.SKUs, "skus", 100, "linked SKUs (3 locations) synced in full while orders flow")
	f.DurationVar(&cfg.MinGap, "min-gap", 4*time.Second, "shortest time between kills")
	f.DurationVar(&cfg.MaxGap, "max-gap", 12*time.Second, "longest time between kills")
	f.DurationVar(&cfg.ServerDown, "server-down", 3*time.Second, "how long the killed server stays down")
	f.DurationVar(&cfg.Settle, "settle", 0, "longest wait for quiescence after the last kill (0: 3m + 5s per order)")
	storesFlags(cmd, &cfg.Stores)
	return cmd
}

// RunCluster runs the single-store cluster test.
func RunCluster(ctx context.Context, c *common, cfg ClusterConfig, progress func(string)) (res ClusterResult, err error) {
	res.Config = cfg
	start := time.Now()
	cl, err := StartCluster(ctx, cfg.DBPrefix, cfg.HistoryShards, c.logger(), progress)
	if cl != nil {
		res.Logs = cl.Dir
		defer cl.Close()
	}
	if err != nil {
		return res, err
	}
	res.Database = cl.PG.Address() + "/" + cl.PG.Database
	res.SchemaSetup, res.ServerReady = cl.Setup, cl.Ready

	fakes, err := StartFakes(c.fakeOptions())
	if err != nil {
		return res, err
	}
	defer fakes.Close()
	shop := SeedShop(fakes, ShopSpec{SKUs: cfg.SKUs, HeartlandStock: 1000, StoreStock: 1})
	conn := fakes.Connection("cluster")
	if err := cl.StartWorkers(ctx, cfg.Workers, []config.ConnectionConfig{conn}, progress); err != nil {
		return res, err
	}
	defer func() {
		for _, w := range cl.Workers {
			res.WorkerStarts += w.Starts()
			res.Unexpected = append(res.Unexpected, w.Unexpected()...)
		}
	}()

	settings := workflows.DefaultSettings()
	settings.OrderSync, settings.InventorySync = true, true
	settings.SourceLocationID = shop.Website.ID
	settings.OrderSweepSeconds = 5
	if _, err := cl.Starter.CreateConnection(ctx, conn.ID, settings); err != nil {
		return res, fmt.Errorf("create connection: %w", err)
	}
	if err := waitUntil(ctx, 100*time.Millisecond, "webhooks registered", func() bool {
		return len(fakes.BC.Hooks()) > 0 && len(fakes.HL.Webhooks()) > 0
	}); err != nil {
		return res, err
	}
	progress(fmt.Sprintf("cluster: connection created; %d orders, %d worker kills, one server restart", cfg.Orders, cfg.Kills))

	open := NewWatch(func(id int) bool {
		o, ok := fakes.HL.OrderByPublicID(workflows.HeartlandOrderPublicID(id))
		return ok && o.Order.Status == "open"
	})
	driver := &orderDriver{f: fakes, starter: cl.Starter, shop: shop, conn: conn.ID}
	rng := rand.New(rand.NewPCG(c.seed, 19))
	spread := time.Duration(max(cfg.Kills, 1)) * (cfg.MinGap + cfg.MaxGap) / 2
	every := spread / time.Duration(max(cfg.Orders, 1))
	settleFor := cfg.Settle
	if settleFor <= 0 {
		settleFor = 3*time.Minute + time.Duration(cfg.Orders)*5*time.Second
	}
	dctx, stopDrivers := context.WithDeadline(ctx, time.Now().Add(spread+settleFor))
	defer stopDrivers()
	go open.Run(dctx, 50*time.Millisecond)
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
			open.Start(id, time.Now())
			wg.Add(1)
			go func() { defer wg.Done(); driver.drive(dctx, id) }()
			if !sleepCtx(dctx, every) {
				return
			}
		}
	}()

	for k := 1; k <= cfg.Kills; k++ {
		gap := cfg.MinGap + time.Duration(rng.Int64N(int64(cfg.MaxGap-cfg.MinGap)+1))
		if !sleepCtx(ctx, gap) {
			return res, ctx.Err()
		}
		i := rng.IntN(len(cl.Workers))
		if err := cl.Workers[i].Kill(); err != nil {
			return res, err
		}
		down := time.Duration(rng.Int64N(int64(2 * time.Second)))
		progress(fmt.Sprintf("cluster: kill %d/%d: worker %d (SIGKILL), restart in %s", k, cfg.Kills, i+1, down.Round(time.Millisecond)))
		sleepCtx(ctx, down)
		if err := cl.Workers[i].Start(ctx); err != nil {
			return res, fmt.Errorf("restart worker %d: %w", i+1, err)
		}
		res.WorkerKills++
		if k == 1 {
			go startFullSync(ctx, cl, conn.ID, driver)
		}
		if k == (cfg.Kills+1)/2 {
			progress(fmt.Sprintf("cluster: killing the Temporal server process (SIGKILL), restart in %s", cfg.ServerDown))
			if res.ServerOutage, err = cl.RestartServer(ctx, cfg.ServerDown); err != nil {
				return res, err
			}
			progress(fmt.Sprintf("cluster: server answering again %s after the kill", res.ServerOutage.Round(100*time.Millisecond)))
		}
	}
	progress("cluster: last kill done; waiting for the orders to settle")
	wg.Wait()
	created := driver.Created()
	watch := newConvergeWatch(time.Now())
	err = waitUntil(dctx, convergeTick, "quiescence", func() bool {
		inv := checkInventory(fakes, shop)
		watch.observe(time.Now(), inv.Violations)
		return inv.OK() && ordersSettled(fakes, created)
	})
	res.Settled = err == nil
	res.Converge, _ = watch.result(time.Now())
	stopDrivers()
	if err != nil && ctx.Err() != nil {
		return res, err
	}
	res.Checks = append(checkOrders(fakes, created), checkInventory(fakes, shop))
	res.Attention = attention(ctx, cl.Starter)
	res.Created = len(created)
	res.Intake = Summarise(open.Samples(created))
	res.Invoices = driver.invoiced.Load()
	res.Problems = driver.problems
	res.Calls = fakes.Counts()
	res.WorkerPeakRSS = nil
	_, res.WorkerPeakRSS = cl.WorkerPeakRSS()
	res.ServerPeakRSS = cl.Server.PeakRSS()
	res.ServerStarts = cl.Server.Starts()
	if res.Metrics, err = cl.ScrapeWorkers(ctx); err != nil {
		res.Problems = append(res.Problems, err.Error())
	}
	res.Failovers, res.Unserved = cl.Balancer.Failovers.Load(), cl.Balancer.Unserved.Load()
	if out, err := cl.runStarterCLI(ctx, "connection", "show", conn.ID); err != nil {
		res.Problems = append(res.Problems, "operator CLI: "+err.Error())
	} else {
		res.CLI = out
	}
	res.Wall = time.Since(start)
	return res, nil
}

// startFullSync asks for a full inventory sync, again while the query
// times out during a worker's takeover, as an operator would.
func startFullSync(ctx context.Context, cl *Cluster, conn string, d *orderDriver) {
	var err error
	for range 5 {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = cl.Starter.StartInventorySync(cctx, conn, workflows.InventoryOptions{})
		cancel()
		if err == nil || ctx.Err() != nil {
			return
		}
		sleepCtx(ctx, 2*time.Second)
	}
	d.problem("start full inventory sync: %v", err)
}

// writeClusterSummary prints the figures and the checks.
func writeClusterSummary(w io.Writer, r ClusterResult) {
	fmt.Fprintf(w, "hrbc cluster — Temporal server process on PostgreSQL %s, %d worker processes, wall %s\n",
		r.Database, r.Config.Workers, r.Wall.Round(time.Second))
	fmt.Fprintf(w, "databases and schema (temporal-sql-tool as a library): %s; server start to namespace ready: %s\n",
		r.SchemaSetup.Round(10*time.Millisecond), r.ServerReady.Round(10*time.Millisecond))
	fmt.Fprintf(w, "orders %d: intake (created → Heartland open) p50 %s, p95 %s, max %s; invoices %d\n",
		r.Created, fmtDur(r.Intake.P50), fmtDur(r.Intake.P95), fmtDur(r.Intake.Max), r.Invoices)
	fmt.Fprintf(w, "worker kills %d (worker starts %d); server starts %d, answering again %s after its SIGKILL\n",
		r.WorkerKills, r.WorkerStarts, r.ServerStarts, r.ServerOutage.Round(100*time.Millisecond))
	var rss []string
	for _, b := range r.WorkerPeakRSS {
		rss = append(rss, mib(b))
	}
	fmt.Fprintf(w, "peak RSS: workers %s; server %s\n", strings.Join(rss, ", "), mib(r.ServerPeakRSS))
	fmt.Fprintf(w, "API calls: BigCommerce %d (%d answered 429), Heartland %d; webhooks passed to another intake %d, unserved %d\n",
		r.Calls.BigCommerce.Calls, r.Calls.BigCommerce.RateLimited, r.Calls.Heartland.Calls, r.Failovers, r.Unserved)
	fmt.Fprintf(w, "%s\n", r.Metrics)
	fmt.Fprintf(w, "quiescent: %v; stock agreed %s after the last kill\n\n%s", r.Settled, fmtConverge(r.Converge), formatChecks(r.Checks))
	for _, p := range r.Problems {
		fmt.Fprintf(w, "driver problem: %s\n", p)
	}
	for _, a := range r.Attention {
		fmt.Fprintf(w, "needs attention: %s\n", a)
	}
	for _, u := range r.Unexpected {
		fmt.Fprintf(w, "unexpected worker exit (not caused by the bench): %s\n", u)
	}
	if r.CLI != "" {
		fmt.Fprintf(w, "\nstarter connection show (the CLI against the cluster):\n%s", r.CLI)
	}
	if r.OK() {
		fmt.Fprintln(w, "\nPASS")
	} else {
		fmt.Fprintf(w, "\nFAIL (logs: %s)\n", r.Logs)
	}
}
