package sandbox_test

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/worker/sandbox"
	"github.com/hrbc/hrbc/worker/workertest"
)

// sandboxOrder checks out like `starter sandbox order` and returns the order number.
func sandboxOrder(t *testing.T, sb *sandbox.Sandbox, sku string, qty int) int {
	t.Helper()
	var out struct{ ID int }
	workertest.FakeControl(t, "POST", sb.BigCommerce.URL+"/__fake/orders",
		`{"customer_email":"shopper@example.com","lines":[{"sku":"`+sku+`","quantity":`+strconv.Itoa(qty)+`}]}`, &out)
	return out.ID
}

func startTestSandbox(t *testing.T, dir string, logs io.Writer) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.Start("127.0.0.1", 0, 0, dir, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

func TestSandboxStateDir(t *testing.T) {
	for in, want := range map[string]string{
		".hrbc/temporal.db": ".hrbc", "/var/lib/hrbc/t.db": "/var/lib/hrbc", "temporal.db": ".", "": "", ":memory:": "",
	} {
		if got := sandbox.StateDir(in); got != want {
			t.Errorf("sandbox.StateDir(%q) = %q, want %q", in, got, want)
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
	workertest.FakeControl(t, "POST", sb.Heartland.RootURL+"/__fake/sale", `{"sku":"HR-TOTE-01","qty":3,"location":"Warehouse"}`, nil)
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
		{"damaged store", sandbox.BigCommerceStateFile, `{"version":1,"products":[`},
		{"store of an unknown version", sandbox.BigCommerceStateFile, `{"version":99}`},
		{"damaged account after a loaded store", sandbox.HeartlandStateFile, `{"version":1,"collections":{"items":{"next":1,"docs":[{"id":7}]}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sb := startTestSandbox(t, dir, io.Discard)
			sandboxOrder(t, sb, "HR-MUG-01", 1)
			workertest.FakeControl(t, "POST", sb.Heartland.RootURL+"/__fake/sale", `{"sku":"HR-TOTE-01","qty":3,"location":"Warehouse"}`, nil)
			sb.Close()
			badFile := filepath.Join(dir, tc.file)
			if err := os.WriteFile(badFile, []byte(tc.bad), 0o644); err != nil {
				t.Fatal(err)
			}

			var logs workertest.SyncBuffer
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
