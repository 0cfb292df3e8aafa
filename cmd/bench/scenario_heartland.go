package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/workflows"
)

// HeartlandConfig sizes the heartland scenario.
type HeartlandConfig struct {
	// Orders are distributed and invoiced in Heartland only.
	Orders int
	// Idle is how long the sweep's cost is counted with every order open
	// and nothing happening.
	Idle time.Duration
	// InvoiceEvery spaces the invoices, off the sweep's beat.
	InvoiceEvery time.Duration
}

// HeartlandResult are the figures of the heartland scenario.
type HeartlandResult struct {
	Config HeartlandConfig `json:"config"`
	// InvoiceToShipment is a Heartland invoice completed → its BigCommerce
	// shipment, with no Heartland webhook delivered.
	InvoiceToShipment Latencies `json:"invoice_to_shipment_latency"`
	// IdleCallsPerMinute are the Heartland calls a minute while Orders
	// orders wait for their invoice and nothing changes.
	IdleCallsPerMinute float64 `json:"idle_heartland_calls_per_minute"`
	// IdleRoutes are those calls per route.
	IdleRoutes map[string]int `json:"idle_routes"`
	// InvoicePhaseCallsPerOrder are the Heartland calls per invoiced order
	// from the first invoice until every shipment reached the store (the
	// sweep's included): against the connection's Heartland pacing, this is
	// what decides how fast a busy store ships.
	InvoicePhaseCallsPerOrder float64 `json:"invoice_phase_heartland_calls_per_order"`
	// InvoicePhaseRoutes are those calls per route, for all the orders.
	InvoicePhaseRoutes map[string]int `json:"invoice_phase_routes"`
	// InvoiceDemand is the Heartland calls a second the invoices ask for
	// at this invoice rate (calls per order / InvoiceEvery). Above the
	// connection's pacing the calls queue, and every invoice waits longer
	// than the one before: a store invoicing that fast needs a higher
	// HEARTLAND_RPS, not a faster sweep.
	InvoiceDemand float64 `json:"invoice_heartland_calls_per_second"`
}

// RunHeartland measures what store staff working in Heartland's own screens
// cost and how soon BigCommerce sees it, with Heartland's webhooks all lost:
// orders distributed there, then invoiced there one by one.
func RunHeartland(ctx context.Context, opts FakeOptions, cfg HeartlandConfig, logger *slog.Logger, progress func(string)) (HeartlandResult, []Row, error) {
	res := HeartlandResult{Config: cfg}
	lost := newDropTransport(1, opts.Seed)
	opts.Heartland = append(opts.Heartland, heartlandtest.WithWebhookClient(&http.Client{Transport: lost, Timeout: 10 * time.Second}))
	st, shop, err := startOrderStack(ctx, opts, logger)
	if err != nil {
		return res, nil, err
	}
	defer st.Close()

	progress(fmt.Sprintf("heartland: %d orders distributed in Heartland", cfg.Orders))
	var ids []int
	for i := range cfg.Orders {
		o, err := st.Fakes.BC.AddOrder(shop.orderSeed(i))
		if err != nil {
			return res, nil, fmt.Errorf("create order: %w", err)
		}
		ids = append(ids, o.ID)
	}
	hlOrders := map[int]int64{}
	for _, id := range ids {
		if err := waitStage(ctx, st, id, workflows.OrderStageAwaitingDistribution); err != nil {
			return res, nil, err
		}
		hl, _ := st.Fakes.HL.OrderByPublicID(workflows.HeartlandOrderPublicID(id))
		hlOrders[id] = hl.Order.ID
		if _, err := st.Fakes.HL.DistributeLines(hl.Order.ID, shop.Main.ID); err != nil {
			return res, nil, fmt.Errorf("distribute order %d in Heartland: %w", id, err)
		}
	}
	for _, id := range ids {
		if err := waitStage(ctx, st, id, workflows.OrderStageFulfilling); err != nil {
			return res, nil, err
		}
	}

	progress(fmt.Sprintf("heartland: idle for %s with %d orders open", cfg.Idle, len(ids)))
	if err := st.Settle(ctx, time.Second); err != nil {
		return res, nil, err
	}
	before, beforeRoutes := st.Fakes.Counts(), st.Fakes.Routes()
	if !sleepCtx(ctx, cfg.Idle) {
		return res, nil, ctx.Err()
	}
	res.IdleCallsPerMinute = float64(st.Fakes.Counts().Sub(before).Heartland.Calls) / cfg.Idle.Minutes()
	res.IdleRoutes = RouteDelta(st.Fakes.Routes(), beforeRoutes)

	progress(fmt.Sprintf("heartland: %d invoices made in Heartland, no webhook", len(ids)))
	before, beforeRoutes = st.Fakes.Counts(), st.Fakes.Routes()
	shipped := NewWatch(func(id int) bool { return len(st.Fakes.BC.Shipments(id)) > 0 })
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go shipped.Run(wctx, 20*time.Millisecond)
	for _, id := range ids {
		shipped.Start(id, time.Now())
		if _, err := st.Fakes.HL.InvoiceOrderAt(hlOrders[id], shop.Main.ID); err != nil {
			return res, nil, fmt.Errorf("invoice order %d: %w", id, err)
		}
		if !sleepCtx(ctx, cfg.InvoiceEvery) {
			return res, nil, ctx.Err()
		}
	}
	if err := shipped.Wait(ctx); err != nil {
		return res, nil, err
	}
	res.InvoiceToShipment = Summarise(shipped.Samples(ids))
	res.InvoicePhaseCallsPerOrder = float64(st.Fakes.Counts().Sub(before).Heartland.Calls) / float64(len(ids))
	res.InvoicePhaseRoutes = RouteDelta(st.Fakes.Routes(), beforeRoutes)
	rows := latencyRows("Heartland invoice → BigCommerce shipment, no Heartland webhooks", res.InvoiceToShipment, 5*time.Second)
	rows = append(rows, Row{Figure: fmt.Sprintf("Heartland calls per minute, idle, %d orders open", len(ids)),
		Value: fmt.Sprintf("%.1f %v", res.IdleCallsPerMinute, res.IdleRoutes)})
	rows = append(rows, Row{Figure: "Heartland calls per invoiced order, until shipped",
		Value: fmt.Sprintf("%.1f %v", res.InvoicePhaseCallsPerOrder, res.InvoicePhaseRoutes)})
	res.InvoiceDemand = res.InvoicePhaseCallsPerOrder / cfg.InvoiceEvery.Seconds()
	rows = append(rows, demandRow(res.InvoiceDemand, opts.HeartlandRPS))
	return res, rows, nil
}

// demandRow compares the Heartland calls a second the invoices ask for
// with the pacing (rps 0: the default; negative: none).
func demandRow(demand, rps float64) Row {
	row := Row{Figure: "Heartland calls/s the invoices ask for, against the pacing", Value: fmt.Sprintf("%.1f/s", demand)}
	if rps == 0 {
		rps = defaultHeartlandRPS
	}
	if rps > 0 {
		row.Target, row.Met = fmt.Sprintf("≤ %g/s", rps), "yes"
		if demand > rps {
			row.Met = "no"
		}
	}
	return row
}

// waitStage waits for an order's workflow to reach a stage.
func waitStage(ctx context.Context, st *Stack, id int, stage string) error {
	return waitUntil(ctx, 50*time.Millisecond, fmt.Sprintf("order %d %s", id, stage), func() bool {
		s, err := st.Starter.OrderStatus(ctx, benchConnection, id)
		return err == nil && s.Stage == stage
	})
}
