package worker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/devserver"
	"github.com/hrbc/hrbc/workflows"
)

func freeTestPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// syncBuffer is a bytes.Buffer safe to write from the process goroutine
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runProcess starts the embedded default the way cmd/worker does and
// returns a stop function that waits for a clean shutdown.
func runProcess(t *testing.T, environ []string) (stop func(), banner *syncBuffer) {
	t.Helper()
	cfg, err := LoadConfig(environ)
	if err != nil {
		t.Fatal(err)
	}
	logger, zl, err := NewLogger(io.Discard, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	banner = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- NewProcess(cfg, logger, zl, banner).Run(ctx) }()
	waitFor(t, "banner", func() bool {
		select {
		case err := <-done:
			t.Fatalf("process ended early: %v", err)
		default:
		}
		return strings.Contains(banner.String(), "Press Ctrl-C")
	})
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("process stopped with %v", err)
		}
	}, banner
}

func TestEmbeddedDefaultSurvivesRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded server twice")
	}
	frontend, ui := freeTestPort(t), freeTestPort(t)
	environ := []string{
		"HRBC_DEV_DB=" + filepath.Join(t.TempDir(), "temporal.db"),
		"HRBC_DEV_FRONTEND_PORT=" + strconv.Itoa(frontend),
		"HRBC_DEV_UI_PORT=" + strconv.Itoa(ui),
		"HRBC_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(freeTestPort(t)),
		"HRBC_SANDBOX_BIGCOMMERCE_PORT=0",
		"HRBC_SANDBOX_HEARTLAND_PORT=0",
	}
	stop, banner := runProcess(t, environ)
	if !strings.Contains(banner.String(), fmt.Sprintf("http://127.0.0.1:%d/namespaces/default/workflows", ui)) {
		t.Errorf("banner does not show the UI address:\n%s", banner)
	}
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/namespaces/default/workflows", ui))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("web UI answered %d", resp.StatusCode)
	}

	c, err := client.Dial(client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", frontend), Logger: quietSDKLogger{}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st := starter.New(c, "hrbc")
	first, err := st.ConnectionStatus(ctx, DemoConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	changed := *first.Settings
	changed.CatalogMode = workflows.CatalogPush
	if _, err := st.ConfigureConnection(ctx, DemoConnectionID, changed, first.Version); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "demo connection visible by HrbcConnection", func() bool {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: "WorkflowType = 'Connection' AND HrbcConnection = 'demo'"})
		return err == nil && len(resp.GetExecutions()) == 1
	})
	c.Close()
	stop()

	// The same database after a restart: the demo connection keeps the
	// change instead of being created afresh.
	stop, _ = runProcess(t, environ)
	defer stop()
	c, err = client.Dial(client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", frontend), Logger: quietSDKLogger{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	again, err := starter.New(c, "hrbc").ConnectionStatus(ctx, DemoConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != 2 || again.Settings.CatalogMode != workflows.CatalogPush {
		t.Errorf("after restart: %+v", again)
	}
}

func TestEmbeddedServerRefusesBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	busy := ln.Addr().(*net.TCPAddr).Port
	for _, opts := range []devserver.Options{
		{FrontendPort: busy, UIPort: -1},
		{FrontendPort: 0, UIPort: busy},
	} {
		_, err := devserver.Start(opts)
		if !errors.Is(err, devserver.ErrPortBusy) || !strings.Contains(err.Error(), strconv.Itoa(busy)) {
			t.Errorf("Start(%+v) = %v, want ErrPortBusy naming port %d", opts, err, busy)
		}
	}
}

type quietSDKLogger struct{}

func (quietSDKLogger) Debug(string, ...any) {}
func (quietSDKLogger) Info(string, ...any)  {}
func (quietSDKLogger) Warn(string, ...any)  {}
func (quietSDKLogger) Error(string, ...any) {}
