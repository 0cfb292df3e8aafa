package main

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// startInventoryCLIStack is the CLI stack with inventory sync on and a
// SKU on each side only.
func startInventoryCLIStack(t *testing.T) *bigcommercetest.Server {
	t.Helper()
	settings := workflows.DefaultSettings()
	settings.InventorySync = true
	bc, _ := startCLIStack(t, settings, func(bc *bigcommercetest.Server, hl *heartlandtest.Server) {
		main := hl.AddLocation("01", "Main", "Register").ID
		for sku, qty := range map[string]int64{"MUG": 6, "HL-ONLY": 2} {
			hl.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: sku, Price: heartland.Dec("9"), Cost: heartland.Dec("3")})
			hl.SetStock(sku, main, heartland.DecInt(qty))
		}
		bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG"})
	})
	return bc
}

// fullSyncsDone reads through the CLI how many full syncs finished; 0
// while the sync has not started yet.
func fullSyncsDone() int {
	out, _, err := runCLI("inventory", "status", "shop", "--json")
	var p workflows.InventoryProgress
	if err != nil || json.Unmarshal([]byte(out), &p) != nil {
		return 0
	}
	return p.FullSyncs
}

func TestInventoryCommands(t *testing.T) {
	bc := startInventoryCLIStack(t)
	// Turning inventory sync on started the first full sync already.
	deadline := time.Now().Add(30 * time.Second)
	for fullSyncsDone() < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the connection's own full sync never finished")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Drift on the store, then a full sync on demand corrects it.
	if err := bc.SetStock("MUG", bc.DefaultLocationID(), 3); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI("sync", "inventory", "shop")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := bc.StockLevel("MUG", 0); n != 6 {
		t.Errorf("MUG = %d after `sync inventory`, want 6", n)
	}
	for _, want := range []string{`full syncs done\s+2\n`, `full sync\s+done .*: 2 read, 1 written, 0 skipped, 1 unmatched`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("sync inventory output lacks %q:\n%s", want, out)
		}
	}

	out, _, err = runCLI("inventory", "status", "shop", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var p workflows.InventoryProgress
	if err := json.Unmarshal([]byte(out), &p); err != nil || p.FullSyncs != 2 || p.ConnectionID != "shop" {
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
