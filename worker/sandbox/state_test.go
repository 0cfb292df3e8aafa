package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
)

// sandboxControl calls a fake's control API (/__fake/...) the way `starter
// sandbox` does and decodes the answer into out.
func sandboxControl(t *testing.T, method, url, body string, out any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
}

// sandboxOrder checks out like `starter sandbox order` and returns the order number.
func sandboxOrder(t *testing.T, sb *Sandbox, sku string, qty int) int {
	t.Helper()
	var out struct{ ID int }
	sandboxControl(t, "POST", sb.BigCommerce.URL+"/__fake/orders",
		`{"customer_email":"shopper@example.com","lines":[{"sku":"`+sku+`","quantity":`+strconv.Itoa(qty)+`}]}`, &out)
	return out.ID
}

func startTestSandbox(t *testing.T, dir string, logs io.Writer) *Sandbox {
	t.Helper()
	sb, err := Start("127.0.0.1", 0, 0, dir, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

func TestSandboxStateDir(t *testing.T) {
	for in, want := range map[string]string{
		".hrbc/temporal.db": ".hrbc", "/var/lib/hrbc/t.db": "/var/lib/hrbc", "temporal.db": ".", "": "", ":memory:": "",
	} {
		if got := StateDir(in); got != want {
			t.Errorf("StateDir(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSandboxContinuesAfterARestart(t *testing.T) {
	dir := t.TempDir()
	sb := startTestSandbox(t, dir, io.Discard)
	if sb.Restored {
		t.Fatal("a first start claims to have restored state")
	}
	order := sandboxOrder(t, sb, "HR-MUG-01", 2)
	sandboxControl(t, "POST", sb.Heartland.RootURL+"/__fake/sale", `{"sku":"HR-TOTE-01","qty":3,"location":"Warehouse"}`, nil)
	sb.Close()

	sb = startTestSandbox(t, dir, io.Discard)
	defer sb.Close()
	if !sb.Restored {
		t.Fatal("the second start did not restore the saved state")
	}
	if o, ok := sb.BigCommerce.Order(order); !ok || o.ItemsTotal != 2 {
		t.Errorf("order %d after restart: %+v, %v", order, o, ok)
	}
	if next := sandboxOrder(t, sb, "HR-CAP-01", 1); next != order+1 {
		t.Errorf("next order after restart is %d, want %d (ids continue)", next, order+1)
	}
	wh, _ := sb.Heartland.LocationByName("Warehouse")
	if got := sb.Heartland.Stock("HR-TOTE-01", wh.ID).OnHand; !got.Equal(heartland.DecInt(27)) {
		t.Errorf("HR-TOTE-01 at the Warehouse after restart: %s, want 27 (30 less the sale)", got)
	}
}

func TestSandboxUnusableStateStartsBothFakesAfresh(t *testing.T) {
	// The store's file is read first: a bad Heartland file means rolling
	// back a store already loaded.
	for _, tc := range []struct{ name, file, bad string }{
		{"damaged store", BigCommerceStateFile, `{"version":1,"products":[`},
		{"store of an unknown version", BigCommerceStateFile, `{"version":99}`},
		{"damaged account after a loaded store", HeartlandStateFile, `{"version":1,"collections":{"items":{"next":1,"docs":[{"id":7}]}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sb := startTestSandbox(t, dir, io.Discard)
			sandboxOrder(t, sb, "HR-MUG-01", 1)
			sandboxControl(t, "POST", sb.Heartland.RootURL+"/__fake/sale", `{"sku":"HR-TOTE-01","qty":3,"location":"Warehouse"}`, nil)
			sb.Close()
			badFile := filepath.Join(dir, tc.file)
			if err := os.WriteFile(badFile, []byte(tc.bad), 0o644); err != nil {
				t.Fatal(err)
			}

			var logs syncBuffer
			sb = startTestSandbox(t, dir, &logs)
			defer sb.Close()
			if sb.Restored {
				t.Error("restored from an unusable file")
			}
			if n := len(sb.BigCommerce.Orders()); n != 2 {
				t.Errorf("store has %d orders, want the demo seed's 2", n)
			}
			// The other file was fine, but alone it would disagree with the
			// fresh side, so both start afresh.
			wh, _ := sb.Heartland.LocationByName("Warehouse")
			if got := sb.Heartland.Stock("HR-TOTE-01", wh.ID).OnHand; !got.Equal(heartland.DecInt(30)) {
				t.Errorf("HR-TOTE-01 at the Warehouse: %s, want the seed's 30", got)
			}
			moved, err := os.ReadFile(badFile + ".bad")
			if err != nil || string(moved) != tc.bad {
				t.Errorf("the unusable file was not moved aside intact: %q, %v", moved, err)
			}
			if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), badFile) {
				t.Errorf("no warning naming %s:\n%s", badFile, logs.String())
			}
			// The fresh state is saved at once, replacing what was moved.
			if b, err := os.ReadFile(badFile); err != nil || !bytes.Contains(b, []byte(`"version":1`)) {
				t.Errorf("fresh state not saved: %.80s, %v", b, err)
			}
		})
	}
}

func TestSandboxInMemoryWritesNoFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	sb := startTestSandbox(t, "", io.Discard)
	sandboxOrder(t, sb, "HR-MUG-01", 1)
	sb.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("in-memory sandbox wrote %v", entries)
	}
	sb = startTestSandbox(t, "", io.Discard)
	defer sb.Close()
	if n := len(sb.BigCommerce.Orders()); n != 2 {
		t.Errorf("in-memory sandbox restarted with %d orders, want the seed's 2", n)
	}
}

// TestSandboxStatesSaveChangesPeriodically stands for a SIGKILL: what
// changed is on disk within an interval without any Close, and an
// unchanged state is not rewritten.
func TestSandboxStatesSaveChangesPeriodically(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fake.json")
	var mu sync.Mutex
	content := "one"
	f := &fakeState{path: path, save: func(w io.Writer) error {
		mu.Lock()
		defer mu.Unlock()
		_, err := io.WriteString(w, content)
		return err
	}}
	ss := &sandboxStates{fakes: []*fakeState{f}, logger: slog.New(slog.DiscardHandler), interval: 10 * time.Millisecond}
	ss.start()
	defer ss.stopSaving()
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Fatalf("not saved at start: %q", b)
	}
	// Unchanged state is not written again: a removed file stays removed.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("unchanged state rewritten: %v", err)
	}
	mu.Lock()
	content = "two"
	mu.Unlock()
	waitFor(t, "the change on disk", func() bool {
		b, _ := os.ReadFile(path)
		return string(b) == "two"
	})
	if tmps, _ := filepath.Glob(path + ".tmp-*"); len(tmps) != 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}
