package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/workflows"
)

// InventoryConfig sizes the inventory scenario.
type InventoryConfig struct {
	// SKUs × Locations is the size of the full sync.
	SKUs, Locations int
	// Sales are rung up one every SaleEvery for the sale-to-website figures.
	Sales     int
	SaleEvery time.Duration
}

// InventoryResult are the figures of the inventory scenario.
type InventoryResult struct {
	Config InventoryConfig `json:"config"`
	// SaleToWebsite is POS sale → BigCommerce quantity updated.
	SaleToWebsite Latencies `json:"sale_to_website"`
	// SalesCalls and SalesRoutes are the API calls made while the sales
	// were measured (incremental polling included).
	SalesCalls  SideCounts     `json:"sales_calls"`
	SalesRoutes map[string]int `json:"sales_routes"`
	// CatchUp is full sync finished → the incremental feed has finished
	// two rounds since: the first round after a full sync re-reads every
	// movement from a minute before the sync started.
	CatchUp time.Duration `json:"catch_up_after_full_sync_ns"`
	// FirstSync is connection created → first full sync finished.
	FirstSync time.Duration `json:"first_full_sync_ns"`
	// FullSync is the on-demand full sync after every store level changed.
	FullSync InventorySyncFigures `json:"full_sync"`
}

// InventorySyncFigures describe one full sync.
type InventorySyncFigures struct {
	Wall time.Duration `json:"wall_ns"`
	// Calls are what the sync made; Minimum what it needed at least.
	Calls   SideCounts       `json:"calls"`
	Minimum InventoryMinimum `json:"minimum"`
	Ratio   float64          `json:"ratio"`
	// Written counts the SKU levels the sync wrote, Writes its requests.
	Written int `json:"written"`
	Writes  int `json:"writes"`
	// Routes are the calls per route, Busy the fakes' answering time per route.
	Routes map[string]int    `json:"routes"`
	Busy   map[string]string `json:"busy"`
	// FakeTime is the fakes' own answering time summed over the sync's
	// requests (they are sequential, so it is part of the wall time).
	FakeTime time.Duration `json:"fake_time_ns"`
	// Started and Finished are the workflow's own times of the pass.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
}

// RunInventory runs the inventory scenario on a fresh stack.
func RunInventory(ctx context.Context, opts FakeOptions, cfg InventoryConfig, logger *slog.Logger, progress func(string)) (InventoryResult, []Row, error) {
	res := InventoryResult{Config: cfg}
	st, err := StartStack(opts, logger)
	if err != nil {
		return res, nil, err
	}
	defer st.Close()
	cfg.Locations = max(cfg.Locations, 3)
	res.Config = cfg
	progress(fmt.Sprintf("inventory: seeding %d SKUs × %d locations", cfg.SKUs, cfg.Locations))
	shop := SeedShop(st.Fakes, ShopSpec{SKUs: cfg.SKUs, ExtraLocations: cfg.Locations - 3, HeartlandStock: 10, StoreStock: 1})

	settings := workflows.DefaultSettings()
	settings.InventorySync = true
	start := time.Now()
	if err := st.CreateConnection(ctx, settings); err != nil {
		return res, nil, err
	}
	progress("inventory: first full sync")
	if _, err := waitFullSyncs(ctx, st, 1); err != nil {
		return res, nil, err
	}
	res.FirstSync = time.Since(start)

	// Every store level drifts; an operator asks for a full sync.
	for _, sku := range shop.SKUs {
		if err := st.Fakes.BC.SetStock(sku, 0, 1); err != nil {
			return res, nil, fmt.Errorf("reset store stock of %s: %w", sku, err)
		}
	}
	progress("inventory: on-demand full sync of every SKU")
	before, beforeRoutes, beforeBusy := st.Fakes.Counts(), st.Fakes.Routes(), st.Fakes.Busy()
	start = time.Now()
	if err := st.Starter.StartInventorySync(ctx, benchConnection, workflows.InventoryOptions{}); err != nil {
		return res, nil, err
	}
	p, err := waitFullSyncs(ctx, st, 2)
	if err != nil {
		return res, nil, err
	}
	fs := &res.FullSync
	fs.Wall = time.Since(start)
	fs.Calls = st.Fakes.Counts().Sub(before)
	fs.Routes = RouteDelta(st.Fakes.Routes(), beforeRoutes)
	fs.Busy = BusyDelta(st.Fakes.Busy(), beforeBusy)
	fs.FakeTime = BusyTotal(st.Fakes.Busy(), beforeBusy)
	fs.Started, fs.Finished = p.FullSync.StartedAt, p.FullSync.FinishedAt
	fs.Written = p.FullSync.Written
	fs.Writes = p.FullSync.Writes
	fs.Minimum = MinInventoryCalls(cfg.SKUs, cfg.Locations, cfg.SKUs)
	fs.Ratio = Ratio(fs.Calls.Total(), fs.Minimum.Total())

	progress("inventory: waiting for the incremental feed to catch up")
	caught := time.Now()
	// Rounds are counted as reads of the movement feed: an idle sync runs
	// them inside one long poll, which reports to the workflow only when
	// it finds something.
	const feed = "HL GET /api/inventory/transactions"
	reads := st.Fakes.Routes()[feed]
	if err := waitUntil(ctx, 100*time.Millisecond, "two incremental rounds after the full sync", func() bool {
		return st.Fakes.Routes()[feed] >= reads+2
	}); err != nil {
		return res, nil, err
	}
	res.CatchUp = time.Since(caught)
	progress(fmt.Sprintf("inventory: %d POS sales, one every %s", cfg.Sales, cfg.SaleEvery))
	before, beforeRoutes = st.Fakes.Counts(), st.Fakes.Routes()
	lat, err := measureSales(ctx, st, shop, cfg)
	if err != nil {
		return res, nil, err
	}
	res.SalesCalls = st.Fakes.Counts().Sub(before)
	res.SalesRoutes = RouteDelta(st.Fakes.Routes(), beforeRoutes)
	res.SaleToWebsite = lat
	return res, inventoryRows(res), nil
}

// waitFullSyncs waits until n full syncs have completed.
func waitFullSyncs(ctx context.Context, st *Stack, n int) (workflows.InventoryProgress, error) {
	var p workflows.InventoryProgress
	err := waitUntil(ctx, 100*time.Millisecond, fmt.Sprintf("full sync #%d", n), func() bool {
		var err error
		p, err = st.Starter.InventoryProgress(ctx, benchConnection)
		return err == nil && p.FullSyncs >= n && !p.FullSync.Running
	})
	return p, err
}

// measureSales rings up sales of distinct SKUs at random locations and
// measures each until the store shows the new Heartland available sum.
func measureSales(ctx context.Context, st *Stack, shop Shop, cfg InventoryConfig) (Latencies, error) {
	rng := rand.New(rand.NewPCG(7, 11))
	expected := map[int]int{}
	skuOf := map[int]string{}
	w := NewWatch(func(k int) bool {
		got, ok := st.Fakes.BC.StockLevel(skuOf[k], 0)
		return ok && got == expected[k]
	})
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	var keys []int
	for i := range cfg.Sales {
		sku := shop.SKUs[rng.IntN(len(shop.SKUs))]
		for _, k := range keys { // distinct SKUs keep the expectations independent
			if skuOf[k] == sku {
				sku = shop.SKUs[(rng.IntN(len(shop.SKUs))+i)%len(shop.SKUs)]
			}
		}
		loc := shop.Locations[rng.IntN(len(shop.Locations))]
		at := time.Now()
		if _, err := st.Fakes.HL.RingUpSale(loc.ID, heartlandtest.SaleLine{PublicID: sku, Qty: heartland.DecInt(1)}); err != nil {
			return Latencies{}, fmt.Errorf("ring up %s at %s: %w", sku, loc.Name, err)
		}
		skuOf[i], expected[i] = sku, availableSum(st, shop, sku)
		w.Start(i, at)
		keys = append(keys, i)
		if i == 0 {
			go w.Run(wctx, 20*time.Millisecond)
		}
		if !sleepCtx(ctx, cfg.SaleEvery) {
			return Latencies{}, ctx.Err()
		}
	}
	if err := w.Wait(ctx); err != nil {
		return Latencies{}, err
	}
	return Summarise(w.Samples(keys)), nil
}

// availableSum is what the store should show for sku: the Heartland
// available quantity summed over every location, never below zero.
func availableSum(st *Stack, shop Shop, sku string) int {
	sum := int64(0)
	for _, loc := range shop.Locations {
		sum += st.Fakes.HL.Stock(sku, loc.ID).Available.IntPart()
	}
	return int(max(sum, 0))
}

func inventoryRows(r InventoryResult) []Row {
	rows := latencyRows("sale → website quantity", r.SaleToWebsite, 5*time.Second)
	fs := r.FullSync
	rows = append(rows,
		Row{Figure: "incremental catch-up after a full sync (2 rounds)", Value: fmtDur(r.CatchUp)},
		Row{Figure: "first full sync (connection created → done)", Value: fmtDur(r.FirstSync)},
		Row{Figure: fmt.Sprintf("full sync %d SKUs × %d locations: wall", r.Config.SKUs, r.Config.Locations), Value: fmtDur(fs.Wall)},
		Row{Figure: "full sync: of which the fakes' own processing", Value: fmtDur(fs.FakeTime)},
		Row{Figure: "full sync: API calls (BC / HL)", Value: fmt.Sprintf("%d (%d / %d), %d written in %d writes", fs.Calls.Total(), fs.Calls.BigCommerce.Calls, fs.Calls.Heartland.Calls, fs.Written, fs.Writes)},
		Row{Figure: "full sync: minimum calls (HL reads + BC reads + writes)", Value: fmt.Sprintf("%d (%d + %d + %d)", fs.Minimum.Total(), fs.Minimum.HeartlandReads, fs.Minimum.BigCommerceReads, fs.Minimum.Writes)},
		Row{Figure: "full sync: calls / minimum", Value: fmt.Sprintf("%.2f×", fs.Ratio), Target: "≤ 1.1×", Met: met(fs.Ratio <= 1.1)},
	)
	return rows
}
