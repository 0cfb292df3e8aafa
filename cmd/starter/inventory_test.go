package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.temporal.io/server/temporaltest"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/workflows"
)

// startInventoryCLIStack runs a Temporal server, the worker and both fakes
// with a connection "shop" (inventory sync on) and points the CLI's
// environment at them.
func startInventoryCLIStack(t *testing.T) *bigcommercetest.Server {
	t.Helper()
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	c := ts.GetDefaultClient()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := worker.EnsureSearchAttributes(ctx, c, ts.GetDefaultNamespace()); err != nil {
		t.Fatal(err)
	}
	bc := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit())
	t.Cleanup(bc.Close)
	hl := heartlandtest.NewServer()
	t.Cleanup(hl.Close)
	main := hl.AddLocation("01", "Main", "Register").ID
	for sku, qty := range map[string]int64{"MUG": 6, "HL-ONLY": 2} {
		hl.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: sku, Price: heartland.Dec("9"), Cost: heartland.Dec("3")})
		hl.SetStock(sku, main, heartland.DecInt(qty))
	}
	bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG"})
	bcClient, err := bigcommerce.New(bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	hlClient, err := heartland.New(heartland.Config{BaseURL: hl.URL, Token: heartland.Secret(hl.Token), RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	conns := activities.NewConnections()
	conns.Add("shop", activities.Clients{BigCommerce: bcClient, Heartland: hlClient})
	cfg, err := worker.LoadConfig([]string{"HRBC_TASK_QUEUE=cli"})
	if err != nil {
		t.Fatal(err)
	}
	w := worker.New(c, cfg, worker.Dependencies{Connections: conns, Logger: slog.New(slog.DiscardHandler)})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	settings := workflows.DefaultSettings()
	settings.InventorySync = true
	if _, err := starter.New(c, cfg.TaskQueue).CreateConnection(ctx, "shop", settings); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEMPORAL_ADDRESS", ts.GetFrontendHostPort())
	t.Setenv("TEMPORAL_NAMESPACE", ts.GetDefaultNamespace())
	t.Setenv("HRBC_TASK_QUEUE", cfg.TaskQueue)
	return bc
}

// runCLI runs the starter CLI in-process and returns stdout and stderr.
func runCLI(args ...string) (string, string, error) {
	var out, errOut bytes.Buffer
	cmd := newRootCommand(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func TestInventoryCommands(t *testing.T) {
	bc := startInventoryCLIStack(t)

	out, _, err := runCLI("sync", "inventory", "shop")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := bc.StockLevel("MUG", 0); n != 6 {
		t.Errorf("MUG = %d after `sync inventory`, want 6", n)
	}
	for _, want := range []string{`full syncs done\s+1\n`, `full sync\s+done .*: 2 read, 1 written, 0 skipped, 1 unmatched`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("sync inventory output lacks %q:\n%s", want, out)
		}
	}

	out, _, err = runCLI("inventory", "status", "shop", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var p workflows.InventoryProgress
	if err := json.Unmarshal([]byte(out), &p); err != nil || p.FullSyncs != 1 || p.ConnectionID != "shop" {
		t.Errorf("status --json = %+v (%v):\n%s", p, err, out)
	}

	out, _, err = runCLI("inventory", "unmatched", "shop")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Heartland only (Item # without BigCommerce SKU): 1\n  HL-ONLY\n") {
		t.Errorf("unmatched output:\n%s", out)
	}

	out, _, err = runCLI("sync", "inventory", "shop", "--no-wait", "--json")
	if err != nil || !strings.Contains(out, `"full sync requested"`) {
		t.Errorf("--no-wait: %v\n%s", err, out)
	}

	if _, _, err := runCLI("sync", "inventory", "nobody"); !errors.Is(err, starter.ErrConnectionNotFound) {
		t.Errorf("unknown connection: %v, want ErrConnectionNotFound", err)
	}
	if _, _, err := runCLI("inventory", "status", "nobody"); !errors.Is(err, starter.ErrInventoryNotRunning) {
		t.Errorf("status of unknown connection: %v, want ErrInventoryNotRunning", err)
	}
	var usage *usageError
	if _, _, err := runCLI("inventory", "status"); !errors.As(err, &usage) {
		t.Errorf("missing argument: %v, want a usage error", err)
	}
}
