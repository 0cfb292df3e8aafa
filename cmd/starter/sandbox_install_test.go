package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/worker/workertest"
)

// TestSandboxInstall: a worker started with HRBC_SANDBOX_INSTALL=1 has no
// demo connection until `sandbox install` goes through the fake's consent
// redirect to the auth callback; the demo connection then holds the
// store's grant and, after the command enters them, verified Heartland
// credentials. Installing again re-authorizes the same connection, which
// then takes settings like any other.
func TestSandboxInstall(t *testing.T) {
	dir := t.TempDir()
	port := func() string { return strconv.Itoa(workertest.FreePort(t)) }
	frontend, bc, hl := port(), port(), port()
	p := workertest.RunProcess(t, []string{
		"HRBC_DEV_DB=" + filepath.Join(dir, "temporal.db"),
		"HRBC_DEV_FRONTEND_PORT=" + frontend,
		"HRBC_DEV_UI_PORT=-1",
		"HRBC_HTTP_ADDR=127.0.0.1:" + port(),
		"HRBC_SANDBOX_BIGCOMMERCE_PORT=" + bc,
		"HRBC_SANDBOX_HEARTLAND_PORT=" + hl,
		"HRBC_SANDBOX_INSTALL=1",
	})
	defer p.Stop()
	t.Setenv("HRBC_PAYLOAD_KEYS", "")
	t.Setenv("HRBC_DEV_DB", filepath.Join(dir, "temporal.db"))
	global := []string{"--address", "127.0.0.1:" + frontend}
	sandbox := []string{"sandbox", "--bigcommerce", "http://127.0.0.1:" + bc, "--heartland", "http://127.0.0.1:" + hl}
	run := func(args ...string) (string, error) {
		out, errOut, err := runCLI(append(append([]string{}, global...), args...)...)
		return out + errOut, err
	}

	if out, err := run("connection", "show", "demo"); err == nil {
		t.Fatalf("demo exists before the install:\n%s", out)
	}
	for range 2 {
		out, err := run(append(sandbox, "install")...)
		if err != nil {
			t.Fatalf("sandbox install: %v\n%s", err, out)
		}
		for _, want := range []string{"consent URL: http://127.0.0.1:" + bc + "/oauth2/install?client_id=", "installed: hrbc: connection demo is ready", "verified and saved on demo"} {
			if !strings.Contains(out, want) {
				t.Errorf("install output lacks %q:\n%s", want, out)
			}
		}
	}
	out, err := run("connection", "show", "demo", "--json")
	if err != nil {
		t.Fatal(err, out)
	}
	if !strings.Contains(out, `"store_hash"`) || !strings.Contains(out, `"heartland_url": "http://127.0.0.1:`+hl+`/api/"`) || !strings.Contains(out, `"version": 4`) {
		t.Errorf("demo after two installs:\n%s", out)
	}
	// The installed connection works like the environment's: the
	// configure's preflight calls both fakes with its credentials.
	if out, err := run("connection", "configure", "demo", "--order-sync", "--source-location", "3"); err != nil {
		t.Fatalf("configure the installed demo: %v\n%s", err, out)
	}
	if out, _ := run(append(sandbox, "install", "--print")...); strings.Contains(out, "installed") {
		t.Errorf("--print installed:\n%s", out)
	}
}
