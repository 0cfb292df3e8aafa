package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/worker/config"
)

// common are the flags every measuring command shares.
type common struct {
	json    bool
	latency time.Duration
	quota   int
	window  time.Duration
	seed    uint64
	timeout time.Duration
	hlRPS   float64
	hlBurst int
	verbose bool
	// cpuProfile is where --cpuprofile writes this process's CPU profile.
	cpuProfile string
	orders     OrdersConfig
	inv        InventoryConfig
	catalog    CatalogConfig
	hl         HeartlandConfig
	scenario   []string
}

func (c *common) fakeOptions() FakeOptions {
	return FakeOptions{Latency: c.latency, Quota: c.quota, Window: c.window, Seed: c.seed, HeartlandRPS: c.hlRPS, HeartlandBurst: c.hlBurst}
}

func (c *common) settings() map[string]any {
	hl := "5/s (connection default)"
	if c.hlRPS < 0 {
		hl = "off"
	} else if c.hlRPS > 0 {
		hl = fmt.Sprintf("%g/s", c.hlRPS)
	}
	if c.hlRPS >= 0 {
		hl += fmt.Sprintf(", burst %d", cmp.Or(c.hlBurst, config.DefaultHeartlandBurst))
	}
	return map[string]any{"latency": c.latency.String(), "bc_quota": fmt.Sprintf("%d/%s", c.quota, c.window), "seed": c.seed, "hl_pacing": hl}
}

// logger is the process logger: warnings and errors of the worker only,
// unless --verbose.
func (c *common) logger() *slog.Logger {
	level := slog.LevelError
	if c.verbose {
		level = slog.LevelWarn
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

func newRoot() *cobra.Command {
	c := &common{}
	root := &cobra.Command{
		Use:           "bench",
		Short:         "Measure hrbc end to end: order intake, inventory, catalog pull, crash recovery",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.BoolVar(&c.json, "json", false, "print the report as JSON instead of a table")
	pf.DurationVar(&c.latency, "latency", 40*time.Millisecond, "latency added to every API request of both fakes")
	pf.IntVar(&c.quota, "bc-quota", 150, "BigCommerce requests per window (0: no limit)")
	pf.DurationVar(&c.window, "bc-window", 30*time.Second, "BigCommerce rate-limit window")
	pf.Uint64Var(&c.seed, "seed", 1, "seed of the fakes' and the chaos test's randomness")
	pf.DurationVar(&c.timeout, "timeout", 30*time.Minute, "give up after this long")
	pf.BoolVar(&c.verbose, "verbose", false, "log the worker's warnings")
	pf.IntVar(&c.hlBurst, "hl-burst", 0, "the worker's Heartland burst, as HRBC_CONNECTION_<n>_HEARTLAND_BURST (0: the default, 10; 1: evenly spaced)")
	pf.Float64Var(&c.hlRPS, "hl-rps", 0, "the worker's Heartland pacing in requests/s, as HRBC_CONNECTION_<n>_HEARTLAND_RPS (0: the default, 5; -1: none)")

	pf.StringVar(&c.cpuProfile, "cpuprofile", "", "write the bench process's CPU profile (the driver and the fakes) to this file")
	profileCPU(root, &c.cpuProfile)

	for _, name := range []string{"orders", "heartland", "inventory", "catalog", "all"} {
		root.AddCommand(measureCommand(c, name))
	}
	root.AddCommand(chaosCommand(c))
	root.AddCommand(clusterCommand(c), clusterServerCommand(), idleCommand(c))
	return root
}

func measureCommand(c *common, name string) *cobra.Command {
	short := map[string]string{
		"orders":    "BigCommerce order created → Heartland order open: latency, throughput, events and calls per order",
		"heartland": "orders distributed and invoiced in Heartland's screens, its webhooks lost: invoice → shipment latency, idle sweep calls per minute",
		"inventory": "Heartland sale → BigCommerce quantity: latency; full sync: wall time and calls vs the minimum",
		"catalog":   "catalog pull: wall time vs the quota, calls vs the minimum, peak memory",
		"all":       "orders, inventory and catalog, one after another",
	}[name]
	cmd := &cobra.Command{
		Use:   name,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := commandContext(c.timeout)
			defer cancel()
			scenarios := []string{name}
			if name == "all" {
				scenarios = []string{"orders", "heartland", "inventory", "catalog"}
			}
			report, err := runScenarios(ctx, c, scenarios, cmd.ErrOrStderr())
			if report != nil {
				if werr := report.Write(cmd.OutOrStdout(), c.json); werr != nil {
					return werr
				}
			}
			return err
		},
	}
	scenarioFlags(cmd, c)
	return cmd
}

// scenarioFlags sizes the scenarios; every measuring command takes them all.
func scenarioFlags(cmd *cobra.Command, c *common) {
	pf := cmd.Flags()
	of := &c.orders
	pf.IntVar(&of.Orders, "orders", 15, "orders: paced orders for the latency figures")
	pf.Float64Var(&of.Rate, "order-rate", 0.2, "orders: paced arrivals per second")
	pf.IntVar(&of.Burst, "burst", 20, "orders: orders arriving at once for the throughput figure")
	pf.IntVar(&of.Lifecycle, "lifecycle", 5, "orders: orders carried on to closed")
	inv := &c.inv
	pf.IntVar(&inv.SKUs, "skus", 1000, "inventory: linked SKUs of the full sync")
	pf.IntVar(&inv.Locations, "locations", 3, "inventory: Heartland locations of the full sync")
	pf.IntVar(&inv.Sales, "sales", 20, "inventory: POS sales for the sale-to-website figures")
	pf.DurationVar(&inv.SaleEvery, "sale-every", time.Second, "inventory: time between sales")
	hl := &c.hl
	pf.IntVar(&hl.Orders, "hl-orders", 10, "heartland: orders distributed and invoiced in Heartland")
	pf.DurationVar(&hl.Idle, "hl-idle", time.Minute, "heartland: how long the idle sweep's calls are counted")
	pf.DurationVar(&hl.InvoiceEvery, "hl-invoice-every", 1300*time.Millisecond, "heartland: time between invoices")
	cat := &c.catalog
	pf.IntVar(&cat.Products, "products", 100, "catalog: BigCommerce products to pull")
	pf.IntVar(&cat.Variants, "variants", 2, "catalog: variants per product")
	pf.BoolVar(&cat.Process, "catalog-process", false, "catalog: run the worker as a child process and report its own peak RSS")

}

// commandContext ends on timeout or Ctrl-C.
func commandContext(timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, func() { cancel(); stop() }
}

// runScenarios runs each scenario on a fresh stack and collects the report;
// a failing scenario is reported and the others still run.
func runScenarios(ctx context.Context, c *common, scenarios []string, progressOut io.Writer) (*Report, error) {
	report := NewReport(c.settings())
	progress := func(s string) { fmt.Fprintf(progressOut, "%s %s\n", time.Now().Format("15:04:05"), s) }
	var firstErr error
	for _, s := range scenarios {
		var (
			result any
			rows   []Row
			err    error
		)
		start := time.Now()
		switch s {
		case "orders":
			result, rows, err = RunOrders(ctx, c.fakeOptions(), c.orders, c.logger(), progress)
		case "heartland":
			result, rows, err = RunHeartland(ctx, c.fakeOptions(), c.hl, c.logger(), progress)
		case "inventory":
			result, rows, err = RunInventory(ctx, c.fakeOptions(), c.inv, c.logger(), progress)
		case "catalog":
			if c.catalog.Process {
				result, rows, err = RunCatalogProcess(ctx, c.fakeOptions(), c.catalog, c.logger(), progress)
			} else {
				result, rows, err = RunCatalog(ctx, c.fakeOptions(), c.catalog, c.logger(), progress)
			}
		}
		if err != nil {
			progress(fmt.Sprintf("%s failed: %v", s, err))
			rows = append(rows, Row{Figure: "error", Value: err.Error()})
			if firstErr == nil {
				firstErr = fmt.Errorf("scenario %s: %w", s, err)
			}
		}
		progress(fmt.Sprintf("%s done in %s", s, time.Since(start).Round(time.Second)))
		report.Add(s, result, rows)
	}
	return report, firstErr
}
