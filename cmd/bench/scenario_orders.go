package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/workflows"
)

// OrdersConfig sizes the orders scenario.
type OrdersConfig struct {
	// Orders arrive one every 1/Rate seconds for the latency figures.
	Orders int
	Rate   float64
	// Burst orders arrive at once for the throughput figure.
	Burst int
	// Lifecycle orders of the first phase are then distributed to two
	// locations, invoiced twice and closed, for the full-order figures.
	Lifecycle int
}

// OrdersResult are the figures of the orders scenario.
type OrdersResult struct {
	Config OrdersConfig `json:"config"`
	// Intake is BigCommerce order created → Heartland order open, paced.
	Intake Latencies `json:"intake_latency"`
	// BurstIntake is the same latency when Burst orders arrive at once.
	BurstIntake Latencies `json:"burst_intake_latency"`
	// BurstWall is first created → last open of the burst.
	BurstWall       time.Duration `json:"burst_wall_ns"`
	OrdersPerSecond float64       `json:"orders_per_second"`
	// ImportCalls are the API calls per imported order (paced phase).
	ImportCalls PerOrder `json:"import_calls_per_order"`
	// ImportRoutes are the calls of all paced imports per route.
	ImportRoutes map[string]int `json:"import_routes"`
	// LifecycleRoutes are the calls of all lifecycle orders per route.
	LifecycleRoutes map[string]int `json:"lifecycle_routes"`
	// ImportEvents is the history size of an order awaiting distribution.
	ImportEvents EventStats `json:"import_history_events"`
	// LifecycleCalls are the calls per order from distribution to closed.
	LifecycleCalls PerOrder `json:"lifecycle_calls_per_order"`
	// ClosedEvents is the history size of a closed order.
	ClosedEvents EventStats `json:"closed_history_events"`
	// Lifecycle is distribute → closed (two invoices, shipments, capture).
	Lifecycle Latencies `json:"lifecycle_latency"`
}

// PerOrder is API calls per order on each side.
type PerOrder struct {
	BigCommerce float64 `json:"bigcommerce"`
	Heartland   float64 `json:"heartland"`
	// RateLimited429 counts BigCommerce 429s per order among the calls.
	RateLimited429 float64 `json:"bigcommerce_429"`
}

func perOrder(c SideCounts, n int) PerOrder {
	return PerOrder{BigCommerce: Ratio(c.BigCommerce.Calls, n), Heartland: Ratio(c.Heartland.Calls, n),
		RateLimited429: Ratio(c.BigCommerce.RateLimited, n)}
}

// startOrderStack starts a fresh stack with the 20-SKU shop the order
// scenarios sell from, and a connection importing web orders at its
// Website location. The caller closes the stack.
func startOrderStack(ctx context.Context, opts FakeOptions, logger *slog.Logger) (*Stack, Shop, error) {
	st, err := StartStack(opts, logger)
	if err != nil {
		return nil, Shop{}, err
	}
	shop := SeedShop(st.Fakes, ShopSpec{SKUs: 20, HeartlandStock: 100000, StoreStock: 100})
	settings := workflows.DefaultSettings()
	settings.OrderSync = true
	settings.SourceLocationID = shop.Website.ID
	if err := st.CreateConnection(ctx, settings); err != nil {
		st.Close()
		return nil, Shop{}, err
	}
	return st, shop, nil
}

// RunOrders runs the orders scenario on a fresh stack.
func RunOrders(ctx context.Context, opts FakeOptions, cfg OrdersConfig, logger *slog.Logger, progress func(string)) (OrdersResult, []Row, error) {
	res := OrdersResult{Config: cfg}
	st, shop, err := startOrderStack(ctx, opts, logger)
	if err != nil {
		return res, nil, err
	}
	defer st.Close()

	open := NewWatch(func(id int) bool {
		o, ok := st.Fakes.HL.OrderByPublicID(workflows.HeartlandOrderPublicID(id))
		return ok && o.Order.Status == "open"
	})
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go open.Run(wctx, 20*time.Millisecond)

	// Phase 1: paced arrivals.
	progress(fmt.Sprintf("orders: %d orders at %.1f/s", cfg.Orders, cfg.Rate))
	before, beforeRoutes := st.Fakes.Counts(), st.Fakes.Routes()
	var paced []int
	interval := time.Duration(float64(time.Second) / cfg.Rate)
	for i := range cfg.Orders {
		o, err := st.Fakes.BC.AddOrder(shop.orderSeed(i))
		if err != nil {
			return res, nil, fmt.Errorf("create order: %w", err)
		}
		open.Start(o.ID, time.Now())
		paced = append(paced, o.ID)
		if !sleepCtx(ctx, interval) {
			return res, nil, ctx.Err()
		}
	}
	if err := open.Wait(ctx); err != nil {
		return res, nil, err
	}
	res.ImportCalls = perOrder(st.Fakes.Counts().Sub(before), len(paced))
	res.ImportRoutes = RouteDelta(st.Fakes.Routes(), beforeRoutes)
	res.Intake = Summarise(open.Samples(paced))
	if res.ImportEvents, err = countHistories(ctx, st.Client, orderIDs(paced)); err != nil {
		return res, nil, err
	}

	// Phase 2: a burst.
	progress(fmt.Sprintf("orders: burst of %d", cfg.Burst))
	var burst []int
	for i := range cfg.Burst {
		o, err := st.Fakes.BC.AddOrder(shop.orderSeed(cfg.Orders + i))
		if err != nil {
			return res, nil, fmt.Errorf("create order: %w", err)
		}
		open.Start(o.ID, time.Now())
		burst = append(burst, o.ID)
	}
	if err := open.Wait(ctx); err != nil {
		return res, nil, err
	}
	res.BurstIntake = Summarise(open.Samples(burst))
	res.BurstWall = open.Span(burst)
	res.OrdersPerSecond = Ratio(len(burst), 1) / res.BurstWall.Seconds()

	// Phase 3: full lifecycle of a few orders.
	n := min(cfg.Lifecycle, len(paced))
	progress(fmt.Sprintf("orders: %d orders distributed, invoiced twice, closed", n))
	if err := runLifecycle(ctx, st, shop, paced[:n], &res); err != nil {
		return res, nil, err
	}
	return res, ordersRows(res), nil
}

// runLifecycle distributes each order's two lines to Main Street and the
// Warehouse, invoices both locations and waits for the order to close.
func runLifecycle(ctx context.Context, st *Stack, shop Shop, ids []int, res *OrdersResult) error {
	closed := NewWatch(func(id int) bool {
		o, ok := st.Fakes.BC.Order(id)
		return ok && o.StatusID == bigcommerce.StatusShipped && st.Fakes.BC.PaymentStatus(id) == bigcommerce.PaymentCaptured
	})
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go closed.Run(wctx, 20*time.Millisecond)
	before, beforeRoutes := st.Fakes.Counts(), st.Fakes.Routes()
	for _, id := range ids {
		hl, ok := st.Fakes.HL.OrderByPublicID(workflows.HeartlandOrderPublicID(id))
		if !ok || len(hl.Lines) < 2 {
			return fmt.Errorf("order %d: no two-line Heartland order", id)
		}
		closed.Start(id, time.Now())
		if _, err := st.Starter.DistributeOrder(ctx, benchConnection, id, workflows.DistributeOrderRequest{
			LocationID: shop.Main.ID, Lines: []workflows.LineAssignment{{LineID: hl.Lines[1].ID, LocationID: shop.Warehouse.ID}},
		}); err != nil {
			return fmt.Errorf("distribute order %d: %w", id, err)
		}
		for _, loc := range []int64{shop.Main.ID, shop.Warehouse.ID} {
			if _, err := st.Fakes.HL.InvoiceOrderAt(hl.Order.ID, loc); err != nil {
				return fmt.Errorf("invoice order %d at %d: %w", id, loc, err)
			}
		}
	}
	if err := closed.Wait(ctx); err != nil {
		return err
	}
	// The workflow ends right after the last shipment; let it finish.
	if err := waitUntil(ctx, 100*time.Millisecond, "order workflows closed", func() bool {
		for _, id := range ids {
			s, err := st.Starter.OrderStatus(ctx, benchConnection, id)
			if err != nil || s.Stage != workflows.OrderStageClosed {
				return false
			}
		}
		return true
	}); err != nil {
		return err
	}
	res.LifecycleCalls = perOrder(st.Fakes.Counts().Sub(before), len(ids))
	res.LifecycleRoutes = RouteDelta(st.Fakes.Routes(), beforeRoutes)
	res.Lifecycle = Summarise(closed.Samples(ids))
	var err error
	res.ClosedEvents, err = countHistories(ctx, st.Client, orderIDs(ids))
	return err
}

func orderIDs(ids []int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = workflows.OrderWorkflowID(benchConnection, id)
	}
	return out
}

func ordersRows(r OrdersResult) []Row {
	rows := latencyRows("order intake (created → Heartland open)", r.Intake, 3*time.Second)
	rows = append(rows,
		Row{Figure: fmt.Sprintf("burst of %d: intake p50 / p95", r.Config.Burst), Value: fmtDur(r.BurstIntake.P50) + " / " + fmtDur(r.BurstIntake.P95)},
		Row{Figure: "orders per second sustained (burst)", Value: fmt.Sprintf("%.2f", r.OrdersPerSecond)},
		Row{Figure: "history events per order (imported)", Value: fmt.Sprintf("%.1f (min %d, max %d)", r.ImportEvents.Mean, r.ImportEvents.Min, r.ImportEvents.Max)},
		Row{Figure: "history events per order (closed)", Value: fmt.Sprintf("%.1f (min %d, max %d)", r.ClosedEvents.Mean, r.ClosedEvents.Min, r.ClosedEvents.Max)},
		Row{Figure: "Temporal Cloud billable actions per order, imported / closed (estimated from the histories)", Value: fmt.Sprintf("%.1f / %.1f", r.ImportEvents.Actions, r.ClosedEvents.Actions)},
		Row{Figure: "API calls per order: import (BC / HL)", Value: fmt.Sprintf("%.1f / %.1f", r.ImportCalls.BigCommerce, r.ImportCalls.Heartland)},
		Row{Figure: "API calls per order: distribute→closed (BC / HL)", Value: fmt.Sprintf("%.1f / %.1f", r.LifecycleCalls.BigCommerce, r.LifecycleCalls.Heartland)},
		Row{Figure: "distribute → closed p50 / p95", Value: fmtDur(r.Lifecycle.P50) + " / " + fmtDur(r.Lifecycle.P95)},
	)
	return rows
}
