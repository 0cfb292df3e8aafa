package worker_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/devserver"
	"github.com/hrbc/hrbc/worker/sandbox"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// runProcess starts the embedded default the way cmd/worker does and
// returns a stop function that waits for a clean shutdown.
func runProcess(t *testing.T, environ []string) (stop func(), banner *workertest.SyncBuffer) {
	t.Helper()
	p := workertest.RunProcess(t, environ)
	return p.Stop, p.Banner
}

func TestEmbeddedDefaultSurvivesRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded server twice")
	}
	frontend, ui := workertest.FreePort(t), workertest.FreePort(t)
	db := filepath.Join(t.TempDir(), "temporal.db")
	environ := []string{
		"HRBC_DEV_DB=" + db,
		"HRBC_DEV_FRONTEND_PORT=" + strconv.Itoa(frontend),
		"HRBC_DEV_UI_PORT=" + strconv.Itoa(ui),
		"HRBC_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(workertest.FreePort(t)),
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

	c, err := client.Dial(workertest.SandboxClientOptions(t, db, client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", frontend), Logger: quietSDKLogger{}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st := starter.New(c, "hrbc")
	first, err := st.ConnectionStatus(ctx, sandbox.DemoConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	changed := *first.Settings
	changed.CatalogMode = workflows.CatalogPush
	if _, err := st.ConfigureConnection(ctx, sandbox.DemoConnectionID, changed, first.Version); err != nil {
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
	c, err = client.Dial(workertest.SandboxClientOptions(t, db, client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", frontend), Logger: quietSDKLogger{}}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	again, err := starter.New(c, "hrbc").ConnectionStatus(ctx, sandbox.DemoConnectionID)
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
