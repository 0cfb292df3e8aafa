package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
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

// startCatalogCLIStack runs a Temporal server, the worker and both fakes
// with a connection "shop" in pull mode, and points the CLI at them.
func startCatalogCLIStack(t *testing.T) (*bigcommercetest.Server, *heartlandtest.Server) {
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
	hl.AddItem(heartlandtest.ItemSeed{PublicID: "MUG", Description: "Mug", Price: heartland.Dec("9"), Cost: heartland.Dec("3")})
	hl.AddItem(heartlandtest.ItemSeed{PublicID: "CAP", Description: "Cap", Price: heartland.Dec("18"), Cost: heartland.Dec("6"), AvailableOnline: true})
	hl.AddGrid(
		heartlandtest.ItemSeed{PublicID: "HOOD-S", Description: "Hoodie - S", Price: heartland.Dec("40"), AvailableOnline: true},
		heartlandtest.ItemSeed{PublicID: "HOOD-M", Description: "Hoodie - M", Price: heartland.Dec("40"), AvailableOnline: true})
	bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG"})
	bc.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{
		{SKU: "TEE-S", Option: "S"}, {SKU: "TEE-M", Option: "M"}}})
	bc.AddProduct(bigcommercetest.ProductSeed{Name: "Gift Card"})
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
	cfg, err := worker.LoadConfig([]string{"HRBC_TASK_QUEUE=cli-catalog"})
	if err != nil {
		t.Fatal(err)
	}
	w := worker.New(c, cfg, worker.Dependencies{Connections: conns, Logger: slog.New(slog.DiscardHandler)})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	settings := workflows.DefaultSettings()
	settings.CatalogMode = workflows.CatalogPull
	if _, err := starter.New(c, cfg.TaskQueue).CreateConnection(ctx, "shop", settings); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEMPORAL_ADDRESS", ts.GetFrontendHostPort())
	t.Setenv("TEMPORAL_NAMESPACE", ts.GetDefaultNamespace())
	t.Setenv("HRBC_TASK_QUEUE", cfg.TaskQueue)
	return bc, hl
}

func TestCatalogCommands(t *testing.T) {
	bc, hl := startCatalogCLIStack(t)

	out, _, err := runCLI("catalog", "links", "shop")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"linked (Heartland Item # = BigCommerce SKU): 1\n  MUG", "Heartland only (Item # without BigCommerce SKU): 3", "BigCommerce only (SKU without Heartland item): 2",
		"cannot be linked: 1", "Gift Card"} {
		if !strings.Contains(out, want) {
			t.Errorf("links output lacks %q:\n%s", want, out)
		}
	}
	logSample(t, "catalog links shop", out)

	var usage *usageError
	for _, args := range [][]string{{"sync", "catalog", "shop"}, {"sync", "catalog", "shop", "--push", "--pull"},
		{"sync", "catalog", "shop", "--pull", "--update"}, {"sync", "catalog", "shop", "--push", "--filter", "[1]"},
		{"catalog", "status", "shop", "sideways"}} {
		if _, _, err := runCLI(args...); !errors.As(err, &usage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	if _, _, err := runCLI("sync", "catalog", "shop", "--push"); !errors.Is(err, starter.ErrCatalogMode) {
		t.Errorf("push on a pull connection: %v", err)
	}

	out, _, err = runCLI("sync", "catalog", "shop", "--pull", "--dry-run")
	if err != nil || !strings.Contains(out, "would change:") || !strings.Contains(out, "TEE-M") || len(hl.Items()) != 4 {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	logSample(t, "sync catalog shop --pull --dry-run", out)

	out, _, err = runCLI("sync", "catalog", "shop", "--pull")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2 created, 0 updated, 1 skipped, 1 failed") || !strings.Contains(out, "has no SKU") {
		t.Errorf("pull output:\n%s", out)
	}
	logSample(t, "sync catalog shop --pull", out)
	if _, ok := hl.ItemByPublicID("TEE-S"); !ok {
		t.Fatal("TEE-S not pulled")
	}

	out, _, err = runCLI("--json", "catalog", "status", "shop", "pull")
	if err != nil {
		t.Fatal(err)
	}
	var p workflows.CatalogProgress
	if err := json.Unmarshal([]byte(out), &p); err != nil || p.Stage != workflows.CatalogStageDone || p.Counts.Created != 2 {
		t.Fatalf("status --json: %v %+v", err, p)
	}
	if _, _, err := runCLI("catalog", "status", "shop", "push"); !errors.Is(err, starter.ErrCatalogNotFound) {
		t.Errorf("status of a kind never run: %v", err)
	}

	if _, _, err := runCLI("connection", "configure", "shop", "--catalog-mode", "push"); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCLI("sync", "catalog", "shop", "--push", "--online-only")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "5 read, 3 created, 0 updated, 2 skipped, 0 failed") {
		t.Errorf("push output:\n%s", out)
	}
	logSample(t, "sync catalog shop --push --online-only", out)
	if p, ok := bcProduct(t, bc, "HOOD-M"); !ok || p.Name != "Hoodie" || len(p.Variants) != 2 {
		t.Fatalf("grid product = %+v", p)
	}
}

// bcProduct finds the product carrying sku as product or variant SKU.
func bcProduct(t *testing.T, srv *bigcommercetest.Server, sku string) (bigcommerce.Product, bool) {
	t.Helper()
	c, err := bigcommerce.New(srv.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	ps, err := c.ListProducts(t.Context(), bigcommerce.ProductFilter{IncludeVariants: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		for _, v := range p.Variants {
			if v.SKU == sku {
				return p, true
			}
		}
	}
	return bigcommerce.Product{}, false
}

// logSample prints a command's output with -v, for the docs.
func logSample(t *testing.T, cmd, out string) {
	if os.Getenv("HRBC_CLI_SAMPLES") != "" {
		t.Logf("$ starter %s\n%s", cmd, out)
	}
}
