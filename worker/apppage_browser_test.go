package worker_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/workflows"
)

// browser starts headless Chromium for a test. Without Chromium the test
// is skipped, unless HRBC_BROWSER_TESTS=required (as .ci/run sets it, after
// installing Debian's chromium), where a missing browser fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("HRBC_BROWSER_TESTS") == "required" {
			t.Fatal("HRBC_BROWSER_TESTS=required but no chromium on PATH (apt-get install chromium)")
		}
		t.Skip("no chromium on PATH; install Debian's chromium to run the browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// screenshot saves the page as <name>.png in HRBC_SCREENSHOTS, when set,
// so a person can look at what the test saw.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("HRBC_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// text reads an element's text in the browser.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// reloadText reloads the page and reads an element's text ("" on failure:
// callers poll).
func reloadText(ctx context.Context, sel string) string {
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		return ""
	}
	s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	return s
}

// saysMessage waits until the page's outcome line says want.
func saysMessage(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	waitFor(t, "the page to say "+want, func() bool {
		s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#message")))
		return strings.Contains(s, want)
	})
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestAppPageInABrowser walks the merchant's path in a real browser: the
// page opens, the Order Fulfillment tab is configured, an order waiting
// for distribution is distributed from its form, an order in error is
// retried from the Errors tab, and a full inventory sync is started.
func TestAppPageInABrowser(t *testing.T) {
	ctx := browser(t)
	sh := newOrderShop(t, nil)
	a := newAppPage(t, sh)
	sh.BC.AddProduct(bigcommercetest.ProductSeed{Name: "New Thing", SKU: "SKU-NEW", Price: dec("7.00"), Stock: map[int]int{0: 5}})
	waiting := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	bad := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-NEW", Quantity: 1}}})
	sh.waitStage(t, waiting, workflows.OrderStageAwaitingDistribution)
	sh.waitStage(t, bad, workflows.OrderStageAttention)

	run(t, ctx, "open the app", chromedp.Navigate(a.srv.URL+"/open"), chromedp.WaitVisible(chromedp.CSS("#tab-items")))
	screenshot(t, ctx, "1-items")
	if got := text(t, ctx, "#waiting-alert"); !strings.Contains(got, "1 web order is ready to distribute") {
		t.Errorf("alert = %q", got)
	}

	// Order Fulfillment: capture on the first shipment.
	run(t, ctx, "order settings",
		chromedp.Click(chromedp.CSS("#tab-orders")),
		chromedp.WaitVisible(chromedp.CSS(`select[name="capture"]`)),
		chromedp.SetValue(chromedp.CSS(`select[name="capture"]`), "on_first_shipment"),
		chromedp.Click(chromedp.CSS("#save-orders")))
	saysMessage(t, ctx, "Order settings saved.")
	if st, _ := sh.Starter.ConnectionStatus(sh.ctx(), sh.ConnectionID); st.Settings.Capture != workflows.CaptureOnFirstShipment {
		t.Errorf("capture after saving in the browser = %q", st.Settings.Capture)
	}

	// Distribute the waiting order to Main Street from its form.
	form := "#distribute-" + strconv.Itoa(waiting)
	screenshot(t, ctx, "2-orders")
	run(t, ctx, "distribute",
		chromedp.SendKeys(chromedp.CSS(form+` input[name="location_id"]`), strconv.FormatInt(sh.main.ID, 10)),
		chromedp.Click(chromedp.CSS(form+" button")))
	saysMessage(t, ctx, "distributed to location")
	sh.waitStage(t, waiting, workflows.OrderStageFulfilling)

	// Errors: the unknown SKU is listed; once the item exists, retry it.
	run(t, ctx, "errors tab", chromedp.Click(chromedp.CSS("#tab-errors")), chromedp.WaitVisible(chromedp.CSS("#errors")))
	waitFor(t, "the order in error on the page", func() bool {
		s := reloadText(ctx, "#errors")
		return strings.Contains(s, "unknown SKU: SKU-NEW")
	})
	screenshot(t, ctx, "3-errors")
	sh.HL.AddItem(heartlandItem("SKU-NEW"))
	run(t, ctx, "retry", chromedp.Click(chromedp.CSS(".error-item button")))
	saysMessage(t, ctx, "is being retried")
	sh.waitStage(t, bad, workflows.OrderStageAwaitingDistribution)

	// Inventory: turn it on and start the sync; the tab follows it.
	run(t, ctx, "inventory",
		chromedp.Click(chromedp.CSS("#tab-inventory")),
		chromedp.WaitVisible(chromedp.CSS("#save-inventory")),
		chromedp.Click(chromedp.CSS(`input[name="inventory_sync"]`)),
		chromedp.Click(chromedp.CSS("#save-inventory")))
	saysMessage(t, ctx, "Inventory settings saved.")
	run(t, ctx, "start the sync", chromedp.Click(chromedp.CSS("#start-inventory")))
	saysMessage(t, ctx, "Full inventory sync started.")
	waitFor(t, "the full sync's progress in the browser", func() bool {
		s := reloadText(ctx, "#inventory")
		return strings.Contains(s, "held") || strings.Contains(s, "done 1 time(s)")
	})
	screenshot(t, ctx, "4-inventory")
}
