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
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// TestConnectionCheckAndGuardOnAStoreWithStockOnlyInBigCommerce connects a
// store whose quantities were never entered in Heartland: the settings are
// checked against the account, the check fails with the blast radius, the
// first sync writes nothing until --confirm, and the store keeps its
// stock meanwhile.
func TestConnectionCheckAndGuardOnAStoreWithStockOnlyInBigCommerce(t *testing.T) {
	settings := workflows.DefaultSettings()
	settings.InventorySync = true
	bc, _ := startCLIStack(t, settings, func(bc *bigcommercetest.Server, hl *heartlandtest.Server) {
		main := hl.AddLocation("01", "Main", "Register").ID
		hl.AddLocation("WEB", "Website", "Web")
		for _, sku := range []string{"MUG", "CAP"} {
			hl.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: sku, Price: heartland.Dec("9"), Cost: heartland.Dec("3")})
			hl.SetStock(sku, main, heartland.DecInt(0))
		}
		bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG", Stock: map[int]int{0: 12}})
		bc.AddProduct(bigcommercetest.ProductSeed{Name: "Cap", SKU: "CAP", Stock: map[int]int{0: 4}})
	})
	level := func(sku string) int {
		n, _ := bc.StockLevel(sku, 0)
		return n
	}

	// A location the account does not have is refused, naming the valid ones.
	_, _, err := runCLI("connection", "configure", "shop", "--locations", "99")
	if !errors.Is(err, starter.ErrInvalidSettings) || !strings.Contains(err.Error(), "no location 99") ||
		!strings.Contains(err.Error(), "Main") {
		t.Errorf("--locations 99: %v", err)
	}
	out, _, err := runCLI("connection", "show", "shop")
	if err != nil || !strings.Contains(out, "locations                 all") {
		t.Errorf("a refused configure changed the connection (%v):\n%s", err, out)
	}

	// The first full sync would zero both SKUs: it waits, nothing written.
	var p workflows.InventoryProgress
	deadline := time.Now().Add(30 * time.Second)
	for {
		if p, err = inventoryStatus(); err == nil && p.Hold != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first full sync was not held: %+v (%v)", p, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if p.Stage != workflows.StageInventoryAttention || !strings.Contains(p.Attention, "2 of 2 in-stock SKUs would go to 0") {
		t.Errorf("held progress: stage %s, attention %q", p.Stage, p.Attention)
	}
	if level("MUG") != 12 || level("CAP") != 4 {
		t.Fatalf("the store was written while the sync was held: MUG %d, CAP %d", level("MUG"), level("CAP"))
	}
	out, _, err = runCLI("inventory", "status", "shop")
	if err != nil || !strings.Contains(out, "MUG 12→0") {
		t.Errorf("status does not show the blast radius (%v):\n%s", err, out)
	}

	// connection check says so too, one line per check, and exits 1.
	out, _, err = runCLI("connection", "check", "shop")
	if !errors.Is(err, errCheckFailed) {
		t.Errorf("check: %v, want a failure", err)
	}
	for _, want := range []string{"ok    bigcommerce token:", "fail  inventory blast radius: a full sync would write: 2 of 2 in-stock SKUs to 0",
		"warn  website location:", "fix: starter connection configure shop --source-location 2", "warn  payment type:"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	deadline = time.Now().Add(10 * time.Second)
	for {
		out, _, err = runCLI("connection", "show", "shop")
		if err == nil && regexp.MustCompile(`fail\s+inventory blast radius`).MatchString(out) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("connection show lacks the check (%v):\n%s", err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	out, _, err = runCLI("errors")
	if err != nil || !strings.Contains(out, "inventory/shop") || !strings.Contains(out, "connection/shop") {
		t.Errorf("errors lacks the held sync or the failed check (%v):\n%s", err, out)
	}

	// A plain sync inventory is held again; --confirm writes.
	if _, _, err := runCLI("sync", "inventory", "shop"); !errors.Is(err, errSyncHeld) {
		t.Errorf("sync inventory without --confirm: %v", err)
	}
	if level("MUG") != 12 {
		t.Fatal("a held sync wrote the store")
	}
	if _, _, err := runCLI("sync", "inventory", "shop", "--confirm"); err != nil {
		t.Fatal(err)
	}
	if level("MUG") != 0 || level("CAP") != 0 {
		t.Errorf("after --confirm: MUG %d, CAP %d, want Heartland's 0", level("MUG"), level("CAP"))
	}
}

func inventoryStatus() (workflows.InventoryProgress, error) {
	var p workflows.InventoryProgress
	out, _, err := runCLI("inventory", "status", "shop", "--json")
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal([]byte(out), &p)
}

// TestCreateWarnsOfSyncWithoutCredentials: a worker without the
// connection's credentials cannot sync it; create says so, and the
// connection's status shows the failed check instead of looking healthy.
func TestCreateWarnsOfSyncWithoutCredentials(t *testing.T) {
	s := workertest.Start(t, workertest.Options{NoFakes: true, TaskQueue: "hrbc"})
	global := []string{"--address", s.FrontendAddress, "--namespace", s.Namespace}
	_, errOut, err := runCLI(append(global, "connection", "create", "acme", "--inventory-sync")...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "warning: order or inventory sync is on but the worker has no credentials for connection \"acme\"") {
		t.Errorf("create printed no warning:\n%s", errOut)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, _, err := runCLI(append(global, "connection", "show", "acme")...)
		if err == nil && strings.Contains(out, "connection check: 1 failed, first credentials") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("show does not say the connection cannot sync (%v):\n%q", err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, _, err := runCLI(append(global, "connection", "check", "acme")...); !errors.Is(err, errCheckFailed) {
		t.Errorf("check of a connection without credentials: %v", err)
	}
}
