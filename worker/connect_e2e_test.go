package worker_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

const (
	e2eClientID     = "hrbc-e2e-app"
	e2eClientSecret = "hrbc-e2e-app-secret-0123456789"
)

// serveApp serves an intake with the app callbacks for w, the way
// cmd/worker does with HRBC_BIGCOMMERCE_APP_*, against the fake store.
func serveApp(t *testing.T, w *workertest.Worker, bc *bigcommercetest.Server) *httptest.Server {
	t.Helper()
	in := intake.New(w.Starter, slog.New(slog.DiscardHandler), func(string, intake.Platform) ([]string, bool) { return nil, false })
	srv := httptest.NewUnstartedServer(in)
	in.ServeApp(intake.App{
		ClientID: e2eClientID, ClientSecret: e2eClientSecret,
		TokenURL: bc.LoginURL() + "/oauth2/token", RedirectURI: "http://" + srv.Listener.Addr().String() + "/bigcommerce/auth",
		StoreBaseURL: func(h string) string { return bc.APIURL() + "/stores/" + h },
		Connector:    w.Starter,
	})
	srv.Start()
	t.Cleanup(srv.Close)
	bc.RegisterApp(bigcommercetest.OAuthApp{ClientID: e2eClientID, ClientSecret: e2eClientSecret, AuthCallbackURL: srv.URL + "/bigcommerce/auth"})
	return srv
}

// TestConnectAtRuntimeSecondWorker: a store installs the app through the
// fake's consent redirect; the auth callback creates connection
// bc-<hash> with the store's token; Heartland credentials are refused
// (wrong token, naming the field) and then accepted. A second worker that
// started knowing no connection and never restarted then serves the
// connection alone (the first is stopped): its check reaches both fakes
// with the credentials read from the workflow, and its intake accepts the
// store's webhooks with the connection's secret and refuses others.
// Uninstall deletes the credentials: the second worker's next lookup
// finds none.
func TestConnectAtRuntimeSecondWorker(t *testing.T) {
	s := workertest.Start(t, workertest.Options{NoFakes: true})
	bc := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit(), bigcommercetest.WithDemoSeed())
	t.Cleanup(bc.Close)
	hl := heartlandtest.NewServer(heartlandtest.WithDemoSeed())
	t.Cleanup(hl.Close)
	app := serveApp(t, s.Worker, bc)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Install: consent → 302 → auth callback → exchange → credentials.
	resp, err := http.Get(bc.InstallURL(e2eClientID))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	id := intake.ConnectionIDForStore(bc.StoreHash)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), id+" is ready") {
		t.Fatalf("install landed on %d %q", resp.StatusCode, body)
	}
	if !strings.HasPrefix(resp.Request.URL.String(), app.URL+"/bigcommerce/auth") {
		t.Errorf("install went to %s", resp.Request.URL)
	}
	status, err := s.Starter.ConnectionStatus(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c := status.Credentials; c == nil || c.Version != 1 || c.StoreHash != bc.StoreHash || !strings.Contains(c.Scope, "store_v2_orders") {
		t.Fatalf("status after install: %+v", status.Credentials)
	}

	// Heartland on the app page: a wrong token is refused by name.
	err = s.Starter.SetHeartlandCredentials(ctx, id, hl.URL, "wrong-token")
	var ce *starter.CredentialsError
	if !errors.As(err, &ce) || ce.Field != "heartland.token" {
		t.Fatalf("wrong Heartland token: %v", err)
	}
	if err := s.Starter.SetHeartlandCredentials(ctx, id, hl.URL, hl.Token); err != nil {
		t.Fatal(err)
	}

	// The tokens are in the workflow's history only encrypted.
	iter := s.Temporal.GetWorkflowHistory(ctx, workflows.ConnectionWorkflowID(id), "", false, 0)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		raw := ev.String()
		if strings.Contains(raw, bc.Token) || strings.Contains(raw, hl.Token) {
			t.Fatalf("history event %d %s holds a token in clear", ev.GetEventId(), ev.GetEventType())
		}
	}

	// A second worker, started with no connection at all, takes over.
	// It rechecks the credentials' version every 200 ms instead of 15 s,
	// so the uninstall below reaches it quickly.
	conns := activities.NewConnections()
	st := starter.New(s.Temporal, s.Config.TaskQueue)
	conns.UseRuntime(func(ctx context.Context, id string) (*activities.Credentials, error) {
		return st.ConnectionCredentials(ctx, id)
	}, worker.ClientBuilder(slog.New(slog.DiscardHandler)), 200*time.Millisecond)
	second, err := workertest.StartWorker(workertest.WorkerOptions{Client: s.Temporal, TaskQueue: s.Config.TaskQueue,
		Connections: conns})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(second.Close)
	s.Worker.Close()

	settings := workflows.DefaultSettings()
	rep, err := second.Starter.CheckConnection(ctx, id, starter.CheckOptions{Settings: &settings, SettingsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range rep.Lines {
		if l.Status == activities.CheckFail {
			t.Errorf("check on the second worker: %s: %s", l.Check, l.Found)
		}
	}
	if len(rep.Lines) == 0 {
		t.Error("empty check report")
	}

	creds, err := second.Starter.ConnectionCredentials(ctx, id)
	if err != nil || creds == nil || creds.BigCommerceWebhookSecret == "" {
		t.Fatalf("credentials: %v %v", creds, err)
	}
	post := func(secret string) int {
		req, _ := http.NewRequest(http.MethodPost, second.Intake.URL+"/webhooks/bigcommerce/"+id,
			strings.NewReader(`{"scope":"store/order/created","data":{"type":"order","id":100}}`))
		req.Header.Set(intake.BigCommerceSecretHeader, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(creds.BigCommerceWebhookSecret); got != http.StatusNoContent {
		t.Errorf("webhook with the connection's secret: %d", got)
	}
	if got := post(creds.HeartlandWebhookSecret); got != http.StatusUnauthorized {
		t.Errorf("webhook with Heartland's secret at the store's door: %d", got)
	}

	// Uninstall (signed by the store) deletes the credentials.
	jwt, err := bc.SignedPayload(e2eClientID, bigcommercetest.StoreOwner)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(app.URL + "/bigcommerce/uninstall?signed_payload_jwt=" + jwt)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("uninstall: %d", resp.StatusCode)
	}
	workertest.WaitFor(t, "the second worker to drop the connection", func() bool {
		return post(creds.BigCommerceWebhookSecret) == http.StatusUnauthorized
	})
}
