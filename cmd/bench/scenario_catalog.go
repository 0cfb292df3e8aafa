package main

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/workflows"
)

// CatalogConfig sizes the catalog scenario.
type CatalogConfig struct {
	// Products with Variants each are pulled from BigCommerce.
	Products, Variants int
	// Process runs the worker as a child process (for its own peak RSS).
	Process bool
}

// CatalogResult are the figures of the catalog pull.
type CatalogResult struct {
	Config CatalogConfig `json:"config"`
	// Available is false when the catalog pull could not be run.
	Available bool          `json:"available"`
	Reason    string        `json:"reason,omitempty"`
	Wall      time.Duration `json:"wall_ns"`
	// QuotaForced is the wall time BigCommerce's quota alone forces for
	// the BigCommerce calls made.
	QuotaForced time.Duration `json:"quota_forced_ns"`
	// PacingForced is the wall time the Heartland client's pacing forces
	// for the Heartland calls made.
	PacingForced time.Duration  `json:"hl_pacing_forced_ns"`
	Calls        SideCounts     `json:"calls"`
	Minimum      CatalogMinimum `json:"minimum"`
	Ratio        float64        `json:"ratio"`
	Created      int            `json:"created"`
	Routes       map[string]int `json:"routes"`
	Problems     int            `json:"problems"`
	// PeakRSS is the VmHWM of the worker process with WorkerProcess, else
	// of the bench process: the worker, but also the Temporal server and
	// both fakes holding the catalog.
	PeakRSS       int64 `json:"peak_rss_bytes"`
	WorkerProcess bool  `json:"worker_process"`
	// PeakHeapDelta is the largest Go heap growth sampled during the pull.
	PeakHeapDelta int64 `json:"peak_heap_delta_bytes"`
}

// RunCatalog pulls a seeded BigCommerce catalog into Heartland.
func RunCatalog(ctx context.Context, opts FakeOptions, cfg CatalogConfig, logger *slog.Logger, progress func(string)) (CatalogResult, []Row, error) {
	res := CatalogResult{Config: cfg}
	st, err := StartStack(opts, logger)
	if err != nil {
		return res, nil, err
	}
	defer st.Close()
	progress(fmt.Sprintf("catalog: seeding %d products × %d variants", cfg.Products, cfg.Variants))
	seedCatalog(st.Fakes, cfg)
	settings := workflows.DefaultSettings()
	settings.CatalogMode = workflows.CatalogPull
	if err := st.CreateConnection(ctx, settings); err != nil {
		return res, nil, err
	}
	progress("catalog: pull")
	heap := startHeapSampler()
	before, beforeRoutes := st.Fakes.Counts(), st.Fakes.Routes()
	start := time.Now()
	if err := st.Starter.StartCatalogSync(ctx, benchConnection, workflows.CatalogKindPull, workflows.CatalogRunOptions{}); err != nil {
		res.Reason = err.Error()
		return res, []Row{{Figure: "catalog pull", Value: "not available: " + err.Error()}}, nil
	}
	var p workflows.CatalogProgress
	if err := waitUntil(ctx, 200*time.Millisecond, "catalog pull done", func() bool {
		p, err = st.Starter.CatalogProgress(ctx, benchConnection, workflows.CatalogKindPull)
		return err == nil && p.Done()
	}); err != nil {
		return res, nil, err
	}
	res.Available = true
	res.Wall = time.Since(start)
	res.PeakHeapDelta = heap.stop()
	res.PeakRSS = PeakRSS(0)
	res.Calls = st.Fakes.Counts().Sub(before)
	res.Routes = RouteDelta(st.Fakes.Routes(), beforeRoutes)
	res.Created = p.Counts.Created
	res.Problems = len(p.Problems) + p.Dropped
	if p.Stage == workflows.CatalogStageFailed {
		res.Reason = "pull failed: " + p.Error
	}
	res.Minimum = MinCatalogCalls(cfg.Products, cfg.Variants)
	res.Ratio = Ratio(res.Calls.Total(), res.Minimum.Total())
	res.QuotaForced = QuotaForcedTime(res.Calls.BigCommerce.Calls, opts.Quota, opts.Window)
	res.PacingForced = PacingForcedTime(res.Calls.Heartland.Calls, opts.HeartlandRPS, opts.HeartlandBurst)
	return res, catalogRows(res), nil
}

// seedCatalog adds the products to the store only (Heartland starts empty).
func seedCatalog(f *Fakes, cfg CatalogConfig) {
	for i := range cfg.Products {
		sku := fmt.Sprintf("PULL-%05d", i+1)
		seed := bigcommercetest.ProductSeed{Name: "Pulled product " + sku, SKU: sku, Price: decimal.NewFromInt(20)}
		for v := range cfg.Variants {
			seed.Variants = append(seed.Variants, bigcommercetest.VariantSeed{SKU: fmt.Sprintf("%s-%d", sku, v+1), Option: fmt.Sprintf("Size %d", v+1)})
		}
		f.BC.AddProduct(seed)
	}
}

// heapSampler records the largest heap growth while it runs.
type heapSampler struct {
	base, peak atomic.Int64
	done       chan struct{}
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{done: make(chan struct{})}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.base.Store(int64(ms.HeapAlloc))
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				if d := int64(ms.HeapAlloc) - h.base.Load(); d > h.peak.Load() {
					h.peak.Store(d)
				}
			}
		}
	}()
	return h
}

func (h *heapSampler) stop() int64 {
	close(h.done)
	return h.peak.Load()
}

func catalogRows(r CatalogResult) []Row {
	if !r.Available {
		return []Row{{Figure: "catalog pull", Value: "not available: " + r.Reason}}
	}
	rows := []Row{
		{Figure: fmt.Sprintf("pull %d products × %d variants: wall", r.Config.Products, r.Config.Variants), Value: fmtDur(r.Wall)},
		{Figure: "pull: time the BC quota alone forces", Value: fmtDur(r.QuotaForced)},
		{Figure: "pull: time Heartland client pacing alone forces", Value: fmtDur(r.PacingForced)},
		{Figure: "pull: API calls (BC / HL)", Value: fmt.Sprintf("%d (%d / %d), %d items created", r.Calls.Total(), r.Calls.BigCommerce.Calls, r.Calls.Heartland.Calls, r.Created)},
		{Figure: "pull: minimum calls (BC reads + HL creates)", Value: fmt.Sprintf("%d (%d + %d)", r.Minimum.Total(), r.Minimum.BigCommerceReads, r.Minimum.HeartlandWrites)},
		{Figure: "pull: calls / minimum", Value: fmt.Sprintf("%.2f×", r.Ratio), Target: "≤ 1.1×", Met: met(r.Ratio <= 1.1)},
	}
	if r.WorkerProcess {
		rows = append(rows, Row{Figure: "pull: worker process peak RSS", Value: mib(r.PeakRSS), Target: "≤ 300 MiB at 20,000 products",
			Met: met(r.PeakRSS <= 300<<20) + fmt.Sprintf(" (at %d)", r.Config.Products)})
	} else {
		rows = append(rows, Row{Figure: "pull: peak heap growth / bench process VmHWM (server + fakes + worker)", Value: mib(r.PeakHeapDelta) + " / " + mib(r.PeakRSS)})
	}
	if r.Reason != "" {
		rows = append(rows, Row{Figure: "pull: problem", Value: r.Reason})
	}
	return rows
}
