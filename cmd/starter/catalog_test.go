package main

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// startCatalogCLIStack is the CLI stack with a connection in pull mode and
// a small catalog on each side.
func startCatalogCLIStack(t *testing.T) (*bigcommercetest.Server, *heartlandtest.Server) {
	t.Helper()
	settings := workflows.DefaultSettings()
	settings.CatalogMode = workflows.CatalogPull
	return startCLIStack(t, settings, func(bc *bigcommercetest.Server, hl *heartlandtest.Server) {
		hl.AddItem(heartlandtest.ItemSeed{PublicID: "MUG", Description: "Mug", Price: heartland.Dec("9"), Cost: heartland.Dec("3")})
		hl.AddItem(heartlandtest.ItemSeed{PublicID: "CAP", Description: "Cap", Price: heartland.Dec("18"), Cost: heartland.Dec("6"), AvailableOnline: true})
		hl.AddGrid(
			heartlandtest.ItemSeed{PublicID: "HOOD-S", Description: "Hoodie - S", Price: heartland.Dec("40"), AvailableOnline: true},
			heartlandtest.ItemSeed{PublicID: "HOOD-M", Description: "Hoodie - M", Price: heartland.Dec("40"), AvailableOnline: true})
		bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG"})
		bc.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{
			{SKU: "TEE-S", Option: "S"}, {SKU: "TEE-M", Option: "M"}}})
		bc.AddProduct(bigcommercetest.ProductSeed{Name: "Gift Card"})
	})
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
