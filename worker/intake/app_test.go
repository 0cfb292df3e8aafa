package intake

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// fakeConnector records the app callbacks' workflow calls.
type fakeConnector struct {
	mu       sync.Mutex
	calls    []string
	requests []workflows.CredentialsRequest
	err      error
}

func (f *fakeConnector) record(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeConnector) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeConnector) SetCredentials(_ context.Context, id string, req workflows.CredentialsRequest) (workflows.CredentialsSummary, error) {
	f.record("SetCredentials %s", id)
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	return workflows.CredentialsSummary{Version: 1, StoreHash: req.BigCommerce.StoreHash}, f.err
}

func (f *fakeConnector) UninstallConnection(_ context.Context, id, _ string) (workflows.ConnectionStatus, error) {
	f.record("UninstallConnection %s", id)
	return workflows.ConnectionStatus{ConnectionID: id}, f.err
}

func (f *fakeConnector) ConnectionStatus(_ context.Context, id string) (workflows.ConnectionStatus, error) {
	f.record("ConnectionStatus %s", id)
	return workflows.ConnectionStatus{ConnectionID: id}, f.err
}

// recordingPage is an AppPage double that records who it opened.
type recordingPage struct {
	mu     sync.Mutex
	opened []string
}

func (p *recordingPage) Open(w http.ResponseWriter, _ *http.Request, connectionID, userEmail string) {
	p.mu.Lock()
	p.opened = append(p.opened, connectionID+" "+userEmail)
	p.mu.Unlock()
	_, _ = io.WriteString(w, "page of "+connectionID)
}

func (p *recordingPage) Opened() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.opened...)
}

// newAppIntake is an intake serving the app with conn and page; tokenURL
// is the token endpoint ("" for tests that never exchange a code).
func newAppIntake(t *testing.T, conn Connector, page AppPage, loginURL string) *Intake {
	t.Helper()
	in := New(&fakeWorkflows{}, slog.New(slog.DiscardHandler), func(string, Platform) ([]string, bool) { return nil, false })
	in.ServeApp(App{
		ClientID: testClientID, ClientSecret: testClientSecret,
		TokenURL: loginURL + "/oauth2/token", RedirectURI: "https://hrbc.example/bigcommerce/auth",
		StoreBaseURL: func(h string) string { return loginURL + "/stores/" + h },
		Connector:    conn, Page: page, Now: func() time.Time { return testNow },
	})
	return in
}

// noRedirect stops a client at the first redirect.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// installCallback runs the fake's consent step and returns the auth
// callback's path and query it redirects to.
func installCallback(t *testing.T, bc *bigcommercetest.Server) string {
	t.Helper()
	resp, err := noRedirect.Get(bc.InstallURL(testClientID))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || loc.Path != "/bigcommerce/auth" {
		t.Fatalf("consent: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.RequestURI()
}

// TestAuthCallbackInstalls: the fake's consent redirects to the auth
// callback, whose code is exchanged once for the store's token; the
// connection bc-<hash> gets the token, the store's API URL, the granted
// scopes and two distinct webhook secrets; the page opens for the
// installing user. The same code a second time installs nothing.
func TestAuthCallbackInstalls(t *testing.T) {
	bc := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit())
	t.Cleanup(bc.Close)
	bc.RegisterApp(bigcommercetest.OAuthApp{ClientID: testClientID, ClientSecret: testClientSecret,
		AuthCallbackURL: "https://hrbc.example/bigcommerce/auth"})
	conn, page := &fakeConnector{}, &recordingPage{}
	in := newAppIntake(t, conn, page, bc.LoginURL())

	callback := installCallback(t, bc)
	rec := httptest.NewRecorder()
	in.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, callback, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("auth: %d %s", rec.Code, rec.Body)
	}
	id := ConnectionIDForStore(bc.StoreHash)
	if got := page.Opened(); len(got) != 1 || got[0] != id+" "+bigcommercetest.StoreOwner.Email {
		t.Errorf("page opened %q", got)
	}
	if len(conn.requests) != 1 {
		t.Fatalf("credentials saved %d times", len(conn.requests))
	}
	req := conn.requests[0]
	b := req.BigCommerce
	if b.StoreHash != bc.StoreHash || b.AccessToken != bc.Token || b.BaseURL != bc.BaseURL() || !strings.Contains(b.Scope, "store_v2_orders") {
		t.Errorf("bigcommerce credentials %+v (token ok: %v)", b, b.AccessToken == bc.Token)
	}
	if len(req.BigCommerceWebhookSecret) < 32 || len(req.HeartlandWebhookSecret) < 32 || req.BigCommerceWebhookSecret == req.HeartlandWebhookSecret {
		t.Error("webhook secrets missing, short or shared")
	}
	if bc.TokenExchanges() != 1 {
		t.Errorf("exchanges %d", bc.TokenExchanges())
	}

	rec = httptest.NewRecorder()
	in.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, callback, nil))
	if rec.Code != http.StatusBadGateway || len(conn.requests) != 1 || len(page.Opened()) != 1 {
		t.Errorf("reused code: %d, %d saves, %d opens", rec.Code, len(conn.requests), len(page.Opened()))
	}
	if strings.Contains(rec.Body.String(), testClientSecret) {
		t.Error("answer leaks the client secret")
	}
}

// TestAuthCallbackRefusesForeignCodes: a code issued for another redirect
// URI, a tampered context and a missing code install nothing.
func TestAuthCallbackRefusesForeignCodes(t *testing.T) {
	bc := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit())
	t.Cleanup(bc.Close)
	bc.RegisterApp(bigcommercetest.OAuthApp{ClientID: testClientID, ClientSecret: testClientSecret,
		AuthCallbackURL: "https://elsewhere.example/bigcommerce/auth"})
	conn := &fakeConnector{}
	in := newAppIntake(t, conn, nil, bc.LoginURL())

	callback := installCallback(t, bc) // issued for elsewhere's redirect URI
	for name, target := range map[string]string{
		"other redirect uri": callback,
		"tampered context":   strings.Replace(callback, "stores%2F"+bc.StoreHash, "stores%2Fother1", 1),
		"no code":            "/bigcommerce/auth?context=stores%2F" + bc.StoreHash,
		"bad context":        "/bigcommerce/auth?code=x&context=stores%2F..%2Fx",
	} {
		rec := httptest.NewRecorder()
		in.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code == http.StatusOK {
			t.Errorf("%s: installed", name)
		}
	}
	if len(conn.Calls()) != 0 || bc.TokenExchanges() != 0 {
		t.Errorf("calls %q, exchanges %d", conn.Calls(), bc.TokenExchanges())
	}
}

// TestLoadOpensPageAndUninstallStops: a signed load opens the store's
// connection for its user; a signed uninstall uninstalls it; remove_user
// is acknowledged without a workflow call; nil page renders a plain page.
func TestLoadOpensPageAndUninstallStops(t *testing.T) {
	conn, page := &fakeConnector{}, &recordingPage{}
	in := newAppIntake(t, conn, page, "http://127.0.0.1:1")
	get := func(in *Intake, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		in.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path+"?signed_payload_jwt="+mint(t, testClientSecret, validClaims()), nil))
		return rec
	}
	if rec := get(in, "/bigcommerce/load"); rec.Code != http.StatusOK || rec.Body.String() != "page of bc-"+testStoreHash {
		t.Errorf("load: %d %q", rec.Code, rec.Body)
	}
	if got := page.Opened(); len(got) != 1 || got[0] != "bc-"+testStoreHash+" "+bigcommercetest.StoreOwner.Email {
		t.Errorf("opened %q", got)
	}
	if rec := get(in, "/bigcommerce/uninstall"); rec.Code != http.StatusNoContent {
		t.Errorf("uninstall: %d", rec.Code)
	}
	if rec := get(in, "/bigcommerce/remove_user"); rec.Code != http.StatusNoContent {
		t.Errorf("remove_user: %d", rec.Code)
	}
	if got := conn.Calls(); len(got) != 1 || got[0] != "UninstallConnection bc-"+testStoreHash {
		t.Errorf("calls %q", got)
	}
	conn.err = starter.ErrConnectionNotFound
	if rec := get(in, "/bigcommerce/uninstall"); rec.Code != http.StatusNoContent {
		t.Errorf("uninstall of a gone connection: %d", rec.Code)
	}
	plain := newAppIntake(t, &fakeConnector{}, nil, "http://127.0.0.1:1")
	if rec := get(plain, "/bigcommerce/load"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "bc-"+testStoreHash+" is ready") {
		t.Errorf("plain load: %d %q", rec.Code, rec.Body)
	}
}
