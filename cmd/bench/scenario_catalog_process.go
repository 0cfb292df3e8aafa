package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/workflows"
)

// catalogTaskQueue is the task queue of the catalog pull's worker process.
const catalogTaskQueue = "hrbc-bench-catalog"

// RunCatalogProcess pulls the seeded catalog with cmd/worker running as a
// child process, so the peak RSS is the worker's alone (not the server's
// or the fakes'). The child builds its clients like production: the
// Heartland client paces itself at 5 requests per second unless --hl-rps
// says otherwise (passed as HRBC_CONNECTION_0_HEARTLAND_RPS).
func RunCatalogProcess(ctx context.Context, opts FakeOptions, cfg CatalogConfig, logger *slog.Logger, progress func(string)) (CatalogResult, []Row, error) {
	res := CatalogResult{Config: cfg}
	root, err := moduleRoot()
	if err != nil {
		return res, nil, err
	}
	dir, err := os.MkdirTemp("", "hrbc-bench-catalog-")
	if err != nil {
		return res, nil, fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	progress("catalog: building ./cmd/worker")
	bin, err := buildWorker(ctx, root, dir)
	if err != nil {
		return res, nil, err
	}
	srv, err := StartServer(logger)
	if err != nil {
		return res, nil, err
	}
	defer srv.Close()
	fakes, err := StartFakes(opts)
	if err != nil {
		return res, nil, err
	}
	defer fakes.Close()
	progress(fmt.Sprintf("catalog: seeding %d products × %d variants", cfg.Products, cfg.Variants))
	seedCatalog(fakes, cfg)
	intake, err := freeLoopbackAddr()
	if err != nil {
		return res, nil, err
	}
	conn := fakes.Connection(benchConnection)
	wp := NewWorkerProcess(bin, workerEnv(srv, catalogTaskQueue, intake, conn), filepath.Join(dir, "worker.log"), intake)
	if err := wp.Start(ctx); err != nil {
		return res, nil, err
	}
	defer wp.Stop()
	st := starter.New(srv.Client, catalogTaskQueue, starter.WithDataConverter(codec.DataConverter(srv.Ring)))
	settings := workflows.DefaultSettings()
	settings.CatalogMode = workflows.CatalogPull
	if _, err := st.CreateConnection(ctx, benchConnection, settings); err != nil {
		return res, nil, fmt.Errorf("create connection: %w", err)
	}
	if err := settle(ctx, fakes, time.Second); err != nil {
		return res, nil, err
	}
	idle := wp.PeakRSS()
	progress(fmt.Sprintf("catalog: pull (worker process idle peak RSS %s)", mib(idle)))
	before, beforeRoutes := fakes.Counts(), fakes.Routes()
	start := time.Now()
	if err := st.StartCatalogSync(ctx, benchConnection, workflows.CatalogKindPull, workflows.CatalogRunOptions{}); err != nil {
		return res, []Row{{Figure: "catalog pull", Value: "not available: " + err.Error()}}, nil
	}
	var p workflows.CatalogProgress
	last := time.Now()
	if err := waitUntil(ctx, 500*time.Millisecond, "catalog pull done", func() bool {
		p, err = st.CatalogProgress(ctx, benchConnection, workflows.CatalogKindPull)
		if err == nil && time.Since(last) > 30*time.Second {
			last = time.Now()
			progress(fmt.Sprintf("catalog: %d created, %d pages of %d, worker peak RSS %s", p.Counts.Created, p.Pages, p.TotalPages, mib(wp.PeakRSS())))
		}
		return err == nil && p.Done()
	}); err != nil {
		return res, nil, err
	}
	res.Available = true
	res.Wall = time.Since(start)
	res.PeakRSS = wp.PeakRSS()
	res.Calls = fakes.Counts().Sub(before)
	res.Routes = RouteDelta(fakes.Routes(), beforeRoutes)
	res.Created = p.Counts.Created
	res.Problems = len(p.Problems) + p.Dropped
	if p.Stage == workflows.CatalogStageFailed {
		res.Reason = "pull failed: " + p.Error
	}
	res.Minimum = MinCatalogCalls(cfg.Products, cfg.Variants)
	res.Ratio = Ratio(res.Calls.Total(), res.Minimum.Total())
	res.QuotaForced = QuotaForcedTime(res.Calls.BigCommerce.Calls, opts.Quota, opts.Window)
	res.PacingForced = PacingForcedTime(res.Calls.Heartland.Calls, opts.HeartlandRPS, opts.HeartlandBurst)
	res.WorkerProcess = true
	return res, catalogRows(res), nil
}
