package worker_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/worker/apppage"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/worker/workertest"
)

// TestAppInstallAndLoadInABrowser is the merchant's first visit, in a real
// browser: the store's consent step sends the browser to hrbc's auth
// callback, which lands it on the app page of the new connection; the
// merchant enters the Heartland account there (a wrong token is refused
// naming the field), and later opens the app from the control panel
// (the load callback with a signed payload). A forged payload gets 401.
func TestAppInstallAndLoadInABrowser(t *testing.T) {
	ctx := browser(t)
	s := workertest.Start(t, workertest.Options{NoFakes: true})
	bc := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit(), bigcommercetest.WithDemoSeed())
	t.Cleanup(bc.Close)
	hl := heartlandtest.NewServer(heartlandtest.WithDemoSeed())
	t.Cleanup(hl.Close)

	// The intake as cmd/worker builds it with HRBC_BIGCOMMERCE_APP_*.
	page, err := apppage.New(apppage.Options{Starter: s.Starter, SessionKey: []byte(e2eClientSecret),
		SaveHeartland: s.Starter.SetHeartlandCredentials})
	if err != nil {
		t.Fatal(err)
	}
	srv := serveApp(t, s.Worker, bc, page)
	id := intake.ConnectionIDForStore(bc.StoreHash)

	// Install: consent → auth callback → the page of bc-<hash>.
	run(t, ctx, "install", chromedp.Navigate(bc.InstallURL(e2eClientID)), chromedp.WaitVisible(chromedp.CSS("#tab-items")))
	screenshot(t, ctx, "0-installed")
	if got := text(t, ctx, "#connection"); got != id {
		t.Fatalf("landed on the page of %q, want %q", got, id)
	}

	// The Heartland account, entered on the page and verified first.
	run(t, ctx, "wrong heartland token",
		chromedp.SendKeys(chromedp.CSS(`input[name="subdomain"]`), hl.URL),
		chromedp.SendKeys(chromedp.CSS(`input[name="token"]`), "not-the-token"),
		chromedp.Click(chromedp.CSS("#save-heartland")))
	waitFor(t, "the refusal on the page", func() bool {
		s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#error")))
		return strings.Contains(s, "heartland.token: Heartland refused the API token")
	})
	run(t, ctx, "heartland credentials",
		chromedp.SendKeys(chromedp.CSS(`input[name="subdomain"]`), hl.URL),
		chromedp.SendKeys(chromedp.CSS(`input[name="token"]`), hl.Token),
		chromedp.Click(chromedp.CSS("#save-heartland")))
	saysMessage(t, ctx, "connected")
	if creds, err := s.Starter.ConnectionCredentials(t.Context(), id); err != nil || creds == nil || creds.Heartland == nil {
		t.Errorf("credentials after the page saved them: %+v, %v", creds, err)
	}

	// Opening the app from the control panel: load with a signed payload.
	run(t, ctx, "load", chromedp.Navigate(bc.OpenURL(e2eClientID)), chromedp.WaitVisible(chromedp.CSS("#tab-orders")))
	signed, err := bc.SignedPayload(e2eClientID, bigcommercetest.StoreOwner)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "header"); !strings.Contains(got, bigcommercetest.StoreOwner.Email) {
		t.Errorf("page header %q does not name the user", got)
	}
	resp, err := http.Get(srv.URL + "/bigcommerce/load?signed_payload_jwt=" + url.QueryEscape(signed+"x"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged load: %d, want 401", resp.StatusCode)
	}
}
