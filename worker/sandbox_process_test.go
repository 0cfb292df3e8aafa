package worker_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/workertest"
)

// sandboxProcess is the environment of cmd/worker's embedded sandbox in a
// test's own folder, on ports no other test holds, and where its parts
// answer.
type sandboxProcess struct {
	environ  []string
	db       string
	frontend int
	// bcURL and hlURL are the fake store's and the fake Heartland's roots.
	bcURL, hlURL string
}

// newSandboxProcess picks the folder and ports; extra variables are added
// to the environment (HRBC_METRICS_ADDR and the like).
func newSandboxProcess(t *testing.T, extra ...string) sandboxProcess {
	t.Helper()
	dir := t.TempDir()
	frontend, bcPort, hlPort := workertest.FreePort(t), workertest.FreePort(t), workertest.FreePort(t)
	sp := sandboxProcess{db: filepath.Join(dir, "temporal.db"), frontend: frontend,
		bcURL: fmt.Sprintf("http://127.0.0.1:%d", bcPort), hlURL: fmt.Sprintf("http://127.0.0.1:%d", hlPort)}
	sp.environ = append([]string{
		"HRBC_DEV_DB=" + sp.db,
		"HRBC_DEV_FRONTEND_PORT=" + strconv.Itoa(frontend),
		"HRBC_DEV_UI_PORT=-1",
		"HRBC_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(workertest.FreePort(t)),
		"HRBC_SANDBOX_BIGCOMMERCE_PORT=" + strconv.Itoa(bcPort),
		"HRBC_SANDBOX_HEARTLAND_PORT=" + strconv.Itoa(hlPort),
	}, extra...)
	return sp
}

// dial connects to the process's embedded server with the sandbox's keys.
func (sp sandboxProcess) dial(t *testing.T) (*starter.Client, func()) {
	t.Helper()
	c, err := client.Dial(workertest.SandboxClientOptions(t, sp.db, client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", sp.frontend), Logger: quietSDKLogger{}}))
	if err != nil {
		t.Fatal(err)
	}
	return starter.New(c, "hrbc"), c.Close
}
