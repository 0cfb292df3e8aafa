package worker_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// invCatalog is the seeded catalog of the inventory scenarios:
//
//	SKU      BigCommerce                 Heartland (Main / Warehouse / Outlet)
//	MUG      tracked by product, 1       5 / 3 / 100
//	TEE-S    variant of Tee, 2           2 / - / -
//	TEE-M    variant of Tee, 0           - / 7 / -
//	TEE-L    variant of Tee, 5           - / - / 4     (oversold online today)
//	CAP      not tracked                 4 / - / -
//	HL-ONLY  -                           1 / - / -
//	BC-ONLY  tracked by product, 3       -
type invCatalog struct {
	main, warehouse, outlet int64
}

func seedInventoryCatalog(t *testing.T, s *stack) invCatalog {
	t.Helper()
	c := invCatalog{
		main:      s.HL.AddLocation("01", "Main", "Register 1").ID,
		warehouse: s.HL.AddLocation("02", "Warehouse", "Dock").ID,
		outlet:    s.HL.AddLocation("03", "Outlet", "Till").ID,
	}
	for _, sku := range []string{"MUG", "TEE-S", "TEE-M", "TEE-L", "CAP", "HL-ONLY"} {
		s.HL.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: sku, Price: heartland.Dec("12"), Cost: heartland.Dec("5")})
	}
	for _, st := range []struct {
		sku string
		loc int64
		qty int64
	}{
		{"MUG", c.main, 5}, {"MUG", c.warehouse, 3}, {"MUG", c.outlet, 100},
		{"TEE-S", c.main, 2}, {"TEE-M", c.warehouse, 7}, {"TEE-L", c.outlet, 4},
		{"CAP", c.main, 4}, {"HL-ONLY", c.main, 1},
	} {
		s.HL.SetStock(st.sku, st.loc, heartland.DecInt(st.qty))
	}
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG", Stock: map[int]int{0: 1}})
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{
		{SKU: "TEE-S", Option: "S", Stock: map[int]int{0: 2}},
		{SKU: "TEE-M", Option: "M"},
		{SKU: "TEE-L", Option: "L", Stock: map[int]int{0: 5}},
	}})
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Cap", SKU: "CAP", Tracking: bigcommerce.TrackingNone})
	s.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Online only", SKU: "BC-ONLY", Stock: map[int]int{0: 3}})
	return c
}

// createInventoryConnection creates the stack's connection with inventory
// sync on for the given Heartland locations.
// createInventoryConnection creates the connection with the locations
// contributing and inventory sync on or off; it returns the settings with
// inventory sync on. With it on, the connection starts the sync itself.
func createInventoryConnection(t *testing.T, s *stack, on bool, locations ...int64) workflows.Settings {
	t.Helper()
	settings := workflows.DefaultSettings()
	settings.InventorySync = on
	settings.AllLocations, settings.LocationIDs = false, locations
	if _, err := s.Starter.CreateConnection(s.ctx(), s.ConnectionID, settings); err != nil {
		t.Fatal(err)
	}
	settings.InventorySync = true
	return settings
}

// bcLevel reads a SKU's level at BigCommerce's default location.
func (s *stack) bcLevel(sku string) int {
	n, _ := s.BC.StockLevel(sku, 0)
	return n
}

// waitLevels waits until every SKU shows its wanted level on BigCommerce.
func (s *stack) waitLevels(what string, want map[string]int) {
	s.t.Helper()
	waitFor(s.t, what, func() bool {
		for sku, n := range want {
			if s.bcLevel(sku) != n {
				return false
			}
		}
		return true
	})
}

// progress queries the inventory sync, failing the test on error.
func (s *stack) progress() workflows.InventoryProgress {
	s.t.Helper()
	p, err := s.Starter.InventoryProgress(s.ctx(), s.ConnectionID)
	if err != nil {
		s.t.Fatal(err)
	}
	return p
}

// waitFullSyncs waits until n full syncs have completed.
func (s *stack) waitFullSyncs(n int) workflows.InventoryProgress {
	s.t.Helper()
	var p workflows.InventoryProgress
	waitFor(s.t, "full sync", func() bool {
		var err error
		p, err = s.Starter.InventoryProgress(s.ctx(), s.ConnectionID)
		return err == nil && p.FullSyncs >= n && !p.FullSync.Running && !p.FullSyncPending
	})
	return p
}

func TestInventoryEndToEnd(t *testing.T) {
	s := newStack(t, workertest.Options{})
	cat := seedInventoryCatalog(t, s)
	settings := createInventoryConnection(t, s, false, cat.main, cat.warehouse)
	ctx := s.ctx()

	// Heartland posts completed sales to the intake, twice each.
	hl, err := heartland.New(s.HL.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	hookURL := s.Intake.URL + "/webhooks/heartland/" + s.ConnectionID + "?secret=" + testWebhookSecret
	if _, err := hl.CreateWebhook(ctx, hookURL, []string{heartland.EventSalesTransactionCompleted}); err != nil {
		t.Fatal(err)
	}
	s.HL.SetDuplicateDeliveries(1)

	// No inventory workflow yet: a sale's webhook starts nothing.
	if _, err := s.HL.RingUpSale(cat.main, heartlandtest.SaleLine{PublicID: "HL-ONLY", Qty: heartland.DecInt(1)}); err != nil {
		t.Fatal(err)
	}
	s.HL.WaitWebhooks()
	if _, err := s.Starter.InventoryProgress(ctx, s.ConnectionID); !errors.Is(err, starter.ErrInventoryNotRunning) {
		t.Fatalf("progress before start: %v, want ErrInventoryNotRunning", err)
	}

	// The merchant turns inventory sync on: the connection starts the sync,
	// whose first full sync covers the seeded catalog, Main + Warehouse.
	bcBefore := s.BC.Stats().Requests
	started := time.Now()
	if _, err := s.Starter.ConfigureConnection(ctx, s.ConnectionID, settings, 0); err != nil {
		t.Fatal(err)
	}
	// The first full sync would zero TEE-L (5 in the store, none at Main
	// or Warehouse): it shows its blast radius and writes nothing until
	// the operator confirms.
	var held workflows.InventoryProgress
	waitFor(t, "first full sync held", func() bool {
		var err error
		held, err = s.Starter.InventoryProgress(ctx, s.ConnectionID)
		return err == nil && held.Hold != nil
	})
	if b := held.Hold.Blast; b.Zeroed != 1 || len(b.Top) == 0 || b.Top[0].SKU != "TEE-L" || held.FullSyncs != 0 {
		t.Errorf("hold = %+v", held.Hold)
	}
	if s.bcLevel("MUG") != 1 || s.bcLevel("TEE-L") != 5 {
		t.Fatalf("a held sync wrote the store: MUG %d, TEE-L %d", s.bcLevel("MUG"), s.bcLevel("TEE-L"))
	}
	if err := s.Starter.RequestFullInventorySync(ctx, s.ConnectionID, workflows.InventoryOptions{}, true); err != nil {
		t.Fatal(err)
	}
	p := s.waitFullSyncs(1)
	t.Logf("full sync took %v and %d BigCommerce calls (%d adjustment requests); %d full syncs, %d incremental rounds",
		time.Since(started).Round(time.Millisecond), s.BC.Stats().Requests-bcBefore, p.FullSync.Writes, p.FullSyncs, p.Polls)
	s.waitLevels("full sync levels", map[string]int{"MUG": 8, "TEE-S": 2, "TEE-M": 7, "TEE-L": 0, "BC-ONLY": 3})
	fs := p.FullSync
	if fs.Total != 6 || fs.Read != 6 || fs.Written != 3 || fs.Skipped != 1 || fs.Unmatched != 1 || fs.Untracked != 1 || fs.BigCommerceOnly != 1 {
		t.Errorf("full sync progress = %+v", fs)
	}
	if !strings.Contains(p.Attention, "not tracked") {
		t.Errorf("attention = %q, want the untracked CAP reported", p.Attention)
	}
	u, err := s.Starter.InventoryUnmatched(ctx, s.ConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(u.HeartlandOnly, ",") != "HL-ONLY" || strings.Join(u.BigCommerceOnly, ",") != "BC-ONLY" || strings.Join(u.Untracked, ",") != "CAP" {
		t.Errorf("unmatched = %+v", u)
	}
	waitFor(t, "attention visible in the Temporal UI", func() bool {
		resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: "HrbcConnection = 'shop' AND WorkflowType = 'InventorySync' AND HrbcAttention != ''",
		})
		return err == nil && len(resp.GetExecutions()) == 1
	})

	// A POS sale reaches BigCommerce (webhook and poll).
	if _, err := s.HL.RingUpSale(cat.main, heartlandtest.SaleLine{PublicID: "MUG", Qty: heartland.DecInt(2)}); err != nil {
		t.Fatal(err)
	}
	s.waitLevels("sale of 2 mugs", map[string]int{"MUG": 6})
	s.HL.WaitWebhooks()
	for _, d := range s.HL.Deliveries() {
		if d.Status != http.StatusAccepted {
			t.Errorf("webhook delivery answered %d %s", d.Status, d.Err)
		}
	}
	waitFor(t, "changed signals in history", func() bool { return s.countSignals(workflows.InventoryChangedSignal) >= 2 })

	// Receipts: the Outlet does not contribute, the Warehouse does.
	if err := s.HL.ReceiveStock(cat.outlet, "MUG", heartland.DecInt(10)); err != nil {
		t.Fatal(err)
	}
	if err := s.HL.ReceiveStock(cat.warehouse, "TEE-M", heartland.DecInt(5)); err != nil {
		t.Fatal(err)
	}
	s.waitLevels("receipt of 5 tees", map[string]int{"TEE-M": 12})
	if got := s.bcLevel("MUG"); got != 6 {
		t.Errorf("MUG = %d after an Outlet receipt, want 6", got)
	}

	// The merchant swaps Warehouse for Outlet: a full resync.
	next := settings
	next.LocationIDs = []int64{cat.main, cat.outlet}
	if _, err := s.Starter.ConfigureConnection(ctx, s.ConnectionID, next, 0); err != nil {
		t.Fatal(err)
	}
	// It would zero TEE-M, one of the store's four in-stock SKUs (25 %,
	// over the 20 % limit): held with nothing written until confirmed.
	waitFor(t, "resync held", func() bool {
		p, err := s.Starter.InventoryProgress(ctx, s.ConnectionID)
		return err == nil && p.Hold != nil
	})
	if got := s.bcLevel("TEE-M"); got != 12 {
		t.Fatalf("TEE-M = %d while the resync is held, want 12", got)
	}
	if err := s.Starter.RequestFullInventorySync(ctx, s.ConnectionID, workflows.InventoryOptions{}, true); err != nil {
		t.Fatal(err)
	}
	p = s.waitFullSyncs(2)
	s.waitLevels("levels after the location change", map[string]int{"MUG": 3 + 110, "TEE-S": 2, "TEE-M": 0, "TEE-L": 4})
	if p.Settings.AllLocations || len(p.Settings.LocationIDs) != 2 {
		t.Errorf("settings in force = %+v", p.Settings)
	}

	events, rounds := s.historyLength(), s.progress().Polls
	t.Logf("history: %d events after %d incremental rounds and 2 full syncs", events, rounds)

	// Turning inventory sync off ends the workflow cleanly.
	off := next
	off.InventorySync = false
	if _, err := s.Starter.ConfigureConnection(ctx, s.ConnectionID, off, 0); err != nil {
		t.Fatal(err)
	}
	run := s.Temporal.GetWorkflow(ctx, workflows.InventoryWorkflowID(s.ConnectionID), "")
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("inventory sync ended with %v", err)
	}
	// The finished run replays deterministically on today's code.
	s.keepHistory("inventory-full-incremental-resync-off", workflows.InventoryWorkflowID(s.ConnectionID))
	if err := s.Starter.StartInventorySync(ctx, s.ConnectionID, workflows.InventoryOptions{}); !errors.Is(err, starter.ErrInventorySyncOff) {
		t.Fatalf("start with inventory off in the connection: %v, want ErrInventorySyncOff", err)
	}
}

func TestInventoryEndToEndDriftAndRateLimitStorm(t *testing.T) {
	s := newStack(t, workertest.Options{})
	cat := seedInventoryCatalog(t, s)
	createInventoryConnection(t, s, true, cat.main, cat.warehouse)
	ctx := s.ctx()

	// A 429 storm on every BigCommerce route before the sync even starts.
	s.BC.InjectFault(bigcommercetest.Fault{Kind: bigcommercetest.FaultRateLimit, Times: 8, RetryAfter: 150 * time.Millisecond})
	started := time.Now()
	// The drift below (TEE-S 40 → 1) is most of this small store's stock:
	// the drop limit is off so the reconciliation corrects it, and the
	// first sync, which zeroes TEE-L, is confirmed.
	opts := workflows.InventoryOptions{ReconcileInterval: 2 * time.Second, SafetyBuffer: 1, GuardDropPercent: 100}
	if err := s.Starter.RequestFullInventorySync(ctx, s.ConnectionID, opts, true); err != nil {
		t.Fatal(err)
	}
	s.waitFullSyncs(1)
	t.Logf("full sync through 8 injected 429s took %v", time.Since(started).Round(time.Millisecond))
	// One unit held back per SKU.
	s.waitLevels("full sync levels", map[string]int{"MUG": 7, "TEE-S": 1, "TEE-M": 6, "TEE-L": 0})
	if st := s.BC.Stats(); st.Injected != 8 {
		t.Errorf("injected 429s = %d, want all 8 ridden out", st.Injected)
	}

	// Reconciliation finds nothing to correct when nothing drifted.
	waitFor(t, "a clean reconciliation", func() bool {
		p := s.progress()
		return p.Reconciles >= 1 && !p.Reconcile.Running
	})
	if p := s.progress(); p.TotalCorrections != 0 {
		t.Fatalf("reconciliation corrected %d SKUs of an untouched store", p.TotalCorrections)
	}

	// Someone edits BigCommerce behind hrbc's back: reconciliation fixes it.
	if err := s.BC.SetStock("TEE-S", 0, 40); err != nil {
		t.Fatal(err)
	}
	s.waitLevels("drift corrected", map[string]int{"TEE-S": 1})
	waitFor(t, "correction counted", func() bool { return s.progress().TotalCorrections == 1 })

	// Another storm on the adjustments during incremental sync: the sale
	// still arrives.
	s.BC.InjectFault(bigcommercetest.Fault{Method: http.MethodPut, Path: "/v3/inventory/adjustments/absolute",
		Kind: bigcommercetest.FaultRateLimit, Times: 5, RetryAfter: 100 * time.Millisecond})
	if _, err := s.HL.RingUpSale(cat.warehouse, heartlandtest.SaleLine{PublicID: "TEE-M", Qty: heartland.DecInt(3)}); err != nil {
		t.Fatal(err)
	}
	s.waitLevels("sale through a storm", map[string]int{"TEE-M": 3})
	if st := s.BC.Stats(); st.Injected != 13 {
		t.Errorf("injected 429s = %d, want 13", st.Injected)
	}
}

func TestInventoryWebhookIntake(t *testing.T) {
	s := newStack(t, workertest.Options{})
	body := `{"id":9,"type":"Ticket","public_id":"T-9","status":"complete","completed?":true,"source_location_id":1}`
	post := func(url string) int {
		t.Helper()
		res, err := http.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res.StatusCode
	}
	base := s.Intake.URL + "/webhooks/heartland/"
	for url, want := range map[string]int{
		base + "shop":                                      http.StatusUnauthorized,
		base + "shop?secret=wrong":                         http.StatusUnauthorized,
		base + "other?secret=" + testWebhookSecret:         http.StatusUnauthorized,
		base + "shop?secret=" + testWebhookSecret:          http.StatusAccepted,
		base + "shop?secret=" + testWebhookSecret + "&x=1": http.StatusAccepted,
	} {
		if got := post(url); got != want {
			t.Errorf("POST %s = %d, want %d", strings.TrimPrefix(url, s.Intake.URL), got, want)
		}
	}
	// Accepted, but no inventory sync was started by it.
	time.Sleep(200 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: "WorkflowType = 'InventorySync'"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(resp.GetExecutions()); n != 0 {
		t.Errorf("%d inventory workflows started by a webhook", n)
	}

	// "Start Sync" needs a connection with inventory sync on.
	if err := s.Starter.StartInventorySync(ctx, s.ConnectionID, workflows.InventoryOptions{}); !errors.Is(err, starter.ErrConnectionNotFound) {
		t.Errorf("start without connection: %v, want ErrConnectionNotFound", err)
	}
	if _, err := s.Starter.CreateConnection(ctx, s.ConnectionID, workflows.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	if err := s.Starter.StartInventorySync(ctx, s.ConnectionID, workflows.InventoryOptions{}); !errors.Is(err, starter.ErrInventorySyncOff) {
		t.Errorf("start with inventory sync off: %v, want ErrInventorySyncOff", err)
	}
	if err := s.Starter.SignalInventoryChanged(ctx, s.ConnectionID, workflows.InventoryChanged{}); !errors.Is(err, starter.ErrInventoryNotRunning) {
		t.Errorf("signal without workflow: %v, want ErrInventoryNotRunning", err)
	}
}

// countSignals counts the signals of a name in the inventory workflow's
// current run.
func (s *stack) countSignals(name string) int {
	n := 0
	iter := s.Temporal.GetWorkflowHistory(s.ctx(), workflows.InventoryWorkflowID(s.ConnectionID), "", false,
		enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			return n
		}
		if a := ev.GetWorkflowExecutionSignaledEventAttributes(); a != nil && a.GetSignalName() == name {
			n++
		}
	}
	return n
}

// historyLength counts the events of the inventory workflow's current run.
func (s *stack) historyLength() int {
	n := 0
	iter := s.Temporal.GetWorkflowHistory(s.ctx(), workflows.InventoryWorkflowID(s.ConnectionID), "", false,
		enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		if _, err := iter.Next(); err != nil {
			return n
		}
		n++
	}
	return n
}
