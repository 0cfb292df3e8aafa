package worker_test

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/logging"
	"github.com/hrbc/hrbc/worker/workertest"
)

// TestSecondWorkerOnSameFolderRefused: a second embedded-default worker on
// the folder of a running one stops at once with a message naming the
// folder, instead of both logging "database is locked". The first runs
// without the UI, and its banner says so instead of printing http:///.
func TestSecondWorkerOnSameFolderRefused(t *testing.T) {
	dir := t.TempDir()
	environ := func() []string {
		return []string{
			"HRBC_DEV_DB=" + filepath.Join(dir, "temporal.db"),
			"HRBC_DEV_FRONTEND_PORT=0",
			"HRBC_DEV_UI_PORT=-1",
			"HRBC_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(workertest.FreePort(t)),
			"HRBC_SANDBOX_BIGCOMMERCE_PORT=0",
			"HRBC_SANDBOX_HEARTLAND_PORT=0",
		}
	}
	first := workertest.RunProcess(t, environ())
	defer first.Stop()
	banner := first.Banner.String()
	if strings.Contains(banner, "http:///") || !strings.Contains(banner, "Temporal Web UI   off (HRBC_DEV_UI_PORT=-1)") {
		t.Errorf("banner with the UI off:\n%s", banner)
	}

	cfg, err := config.LoadConfig(environ())
	if err != nil {
		t.Fatal(err)
	}
	logger, zl, err := logging.NewLogger(io.Discard, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	err = worker.NewProcess(cfg, logger, zl, io.Discard).Run(context.Background())
	if !errors.Is(err, worker.ErrFolderInUse) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second worker: %v, want ErrFolderInUse naming %s", err, dir)
	}
}
