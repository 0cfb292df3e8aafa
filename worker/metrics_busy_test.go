package worker_test

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/logging"
	"github.com/hrbc/hrbc/worker/workertest"
)

// A metrics port someone else holds stops the worker at start, naming the
// variable, instead of running without the metrics the operator asked for.
func TestBusyMetricsPortStopsTheStart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded server")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg, err := config.LoadConfig([]string{
		"HRBC_DEV_DB=" + filepath.Join(t.TempDir(), "temporal.db"),
		"HRBC_DEV_FRONTEND_PORT=" + strconv.Itoa(workertest.FreePort(t)),
		"HRBC_DEV_UI_PORT=-1",
		"HRBC_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(workertest.FreePort(t)),
		"HRBC_SANDBOX_BIGCOMMERCE_PORT=0",
		"HRBC_SANDBOX_HEARTLAND_PORT=0",
		"HRBC_METRICS_ADDR=" + ln.Addr().String(),
	})
	if err != nil {
		t.Fatal(err)
	}
	logger, zl, err := logging.NewLogger(io.Discard, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = worker.NewProcess(cfg, logger, zl, io.Discard).Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "HRBC_METRICS_ADDR") || !strings.Contains(err.Error(), ln.Addr().String()) {
		t.Fatalf("Run with a busy metrics port = %v, want an error naming HRBC_METRICS_ADDR and %s", err, ln.Addr())
	}
}
