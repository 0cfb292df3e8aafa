package worker_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/worker/workertest"
)

// TestEmbeddedUIDecodesThroughTheCodecServer: the embedded Web UI is told
// to decode through the intake's codec server, which answers the UI's
// preflight, and the state folder is private.
func TestEmbeddedUIDecodesThroughTheCodecServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded server")
	}
	dir := filepath.Join(t.TempDir(), ".hrbc")
	ui, intakePort := workertest.FreePort(t), workertest.FreePort(t)
	p := workertest.RunProcess(t, []string{
		"HRBC_DEV_DB=" + filepath.Join(dir, "temporal.db"),
		"HRBC_DEV_FRONTEND_PORT=0",
		"HRBC_DEV_UI_PORT=" + strconv.Itoa(ui),
		"HRBC_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(intakePort),
		"HRBC_SANDBOX_BIGCOMMERCE_PORT=0",
		"HRBC_SANDBOX_HEARTLAND_PORT=0",
	})
	defer p.Stop()

	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/settings", ui))
	if err != nil {
		t.Fatal(err)
	}
	var settings struct {
		Codec struct{ Endpoint string }
	}
	err = json.NewDecoder(resp.Body).Decode(&settings)
	resp.Body.Close()
	want := fmt.Sprintf("http://127.0.0.1:%d/codec/t/", intakePort)
	if err != nil || !strings.HasPrefix(settings.Codec.Endpoint, want) {
		t.Fatalf("UI codec endpoint %q (%v), want %s…", settings.Codec.Endpoint, err, want)
	}

	req, _ := http.NewRequest(http.MethodOptions, settings.Codec.Endpoint+"/decode", nil)
	req.Header.Set("Origin", fmt.Sprintf("http://127.0.0.1:%d", ui))
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != req.Header.Get("Origin") {
		t.Errorf("preflight from the UI: %d %v", resp.StatusCode, resp.Header)
	}

	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("state folder: %v %v", st.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.Type().IsRegular() && info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
}
