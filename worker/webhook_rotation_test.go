package worker

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/workflows"
)

// rotationWorkflows is what the intake reaches in the rotation test: a
// connection with order sync on, and a record of the orders handed over.
type rotationWorkflows struct {
	orders atomic.Int32
}

func (w *rotationWorkflows) ConnectionSettings(context.Context, string) (*workflows.Settings, error) {
	s := workflows.DefaultSettings()
	s.OrderSync = true
	return &s, nil
}
func (w *rotationWorkflows) OrderChanged(context.Context, string, int, workflows.Settings) error {
	w.orders.Add(1)
	return nil
}
func (w *rotationWorkflows) OrderCreated(ctx context.Context, conn string, id int, s workflows.Settings) error {
	return w.OrderChanged(ctx, conn, id, s)
}
func (w *rotationWorkflows) ProductCreated(context.Context, string, int) error { return nil }
func (w *rotationWorkflows) SignalInventoryChanged(context.Context, string, workflows.InventoryChanged) error {
	return nil
}
func (w *rotationWorkflows) HeartlandOrderChanged(context.Context, string, int64) error { return nil }

// TestWebhookSecretRotationAcrossRestarts rotates a connection from the
// deprecated shared secret to one secret per platform, the way the README
// tells an operator to, against the fakes and through the real intake:
//
//  1. hooks registered with the shared secret;
//  2. restart with the two new secrets and the old one as _PREVIOUS: the
//     store's hooks carry the new store secret, Heartland's the new
//     Heartland secret; a store delivery queued before the restart (old
//     header) and a Heartland delivery to the old URL are still accepted,
//     as are deliveries with the new secrets, each on its own platform only;
//  3. restart without _PREVIOUS: the old secret is refused.
func TestWebhookSecretRotationAcrossRestarts(t *testing.T) {
	const (
		shared   = "shared-secret-0123456789"
		storeNew = "store-secret-new-0123456789"
		hlNew    = "heartland-secret-new-0123456789"
	)
	bc := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit())
	t.Cleanup(bc.Close)
	hl := heartlandtest.NewServer()
	t.Cleanup(hl.Close)

	// One intake address across "restarts"; each start serves its own intake.
	wf := &rotationWorkflows{}
	var current atomic.Pointer[intake.Intake]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { current.Load().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	start := func(secrets ...string) config.ConnectionConfig {
		t.Helper()
		environ := append([]string{
			"TEMPORAL_ADDRESS=127.0.0.1:7233",
			"HRBC_PUBLIC_URL=" + srv.URL,
			"HRBC_CONNECTION_0_ID=shop",
			"HRBC_CONNECTION_0_HEARTLAND_URL=" + hl.URL,
			"HRBC_CONNECTION_0_HEARTLAND_TOKEN=" + hl.Token,
			"HRBC_CONNECTION_0_BIGCOMMERCE_URL=" + bc.BaseURL(),
			"HRBC_CONNECTION_0_BIGCOMMERCE_TOKEN=" + bc.Token,
		}, secrets...)
		cfg, err := config.LoadConfig(environ)
		if err != nil {
			t.Fatal(err)
		}
		registry, err := NewConnections(cfg.Connections, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		in := intake.New(wf, slog.New(slog.DiscardHandler), webhookSecrets(cfg.Connections))
		t.Cleanup(func() { _ = in.Shutdown(context.Background()) })
		current.Store(in)
		wh := &activities.Webhooks{Connections: registry, PublicURL: cfg.WebhookBaseURL()}
		if _, err := activities.RefreshWebhooks(ctx, wh, activities.ConnectionRequest{ConnectionID: "shop"}); err != nil {
			t.Fatal(err)
		}
		return cfg.Connections[0]
	}
	storePost := func(secret string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/bigcommerce/shop",
			strings.NewReader(`{"scope":"store/order/updated","data":{"type":"order","id":7}}`))
		req.Header.Set(intake.BigCommerceSecretHeader, secret)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	heartlandPost := func(rawURL string) int {
		t.Helper()
		resp, err := srv.Client().Post(rawURL, "application/json", strings.NewReader(`{"id":1,"public_id":"MUG","active?":true}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	heartlandURL := func(secret string) string {
		return srv.URL + "/webhooks/heartland/shop?secret=" + url.QueryEscape(secret)
	}

	// 1. Before: one shared secret; the connection's workflow registered the hooks.
	conn := start("HRBC_CONNECTION_0_WEBHOOK_SECRET=" + shared)
	if len(bc.Hooks()) != 0 || len(hl.Webhooks()) != 0 {
		t.Fatal("a start registered hooks for a connection that had none: that is its workflow's call")
	}
	registry, err := NewConnections([]config.ConnectionConfig{conn}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&activities.Webhooks{Connections: registry, PublicURL: srv.URL}).EnsureWebhooks(ctx,
		activities.ConnectionRequest{ConnectionID: "shop"}); err != nil {
		t.Fatal(err)
	}
	oldHeartlandURL := heartlandURL(shared)
	// An order changes while the worker is down: the store queues the event
	// with the header the hook had then.
	bc.HoldWebhooks()
	bc.EmitWebhook("store/order/updated", map[string]any{"type": "order", "id": 7})

	// 2. Restart with two secrets, the shared one as each platform's previous.
	start("HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET="+storeNew,
		"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET="+hlNew,
		"HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET_PREVIOUS="+shared,
		"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET_PREVIOUS="+shared)
	hooks := bc.Hooks()
	if len(hooks) != len(activities.BigCommerceHookScopes) {
		t.Fatalf("store has %d hooks, want %d", len(hooks), len(activities.BigCommerceHookScopes))
	}
	for _, h := range hooks {
		if got := h.Headers[activities.BigCommerceSecretHeader]; got != storeNew || !h.IsActive {
			t.Errorf("store hook %s carries another secret than the new store secret (active %v)", h.Scope, h.IsActive)
		}
	}
	hlHooks := hl.Webhooks()
	if len(hlHooks) != len(activities.HeartlandWebhookEvents) {
		t.Fatalf("Heartland has %d hooks, want %d", len(hlHooks), len(activities.HeartlandWebhookEvents))
	}
	for _, w := range hlHooks {
		if w.URL != heartlandURL(hlNew) {
			t.Errorf("Heartland hook %v is not at the URL with the new Heartland secret", w.Events)
		}
	}
	// The delivery queued before the restart, with the old header.
	bc.ReleaseWebhooks(false)
	if err := bc.WaitDeliveries(ctx, func(ds []bigcommercetest.Delivery) bool { return len(ds) > 0 }); err != nil {
		t.Fatal(err)
	}
	if d := bc.Deliveries()[0]; !d.OK() {
		t.Errorf("queued store delivery with the previous secret answered %d, want 2xx", d.Status)
	}
	// A new event goes out with the new secret.
	bc.EmitWebhook("store/order/updated", map[string]any{"type": "order", "id": 8})
	if err := bc.WaitDeliveries(ctx, func(ds []bigcommercetest.Delivery) bool { return len(ds) > 1 }); err != nil {
		t.Fatal(err)
	}
	if d := bc.Deliveries()[1]; !d.OK() {
		t.Errorf("store delivery with the new secret answered %d, want 2xx", d.Status)
	}
	if n := wf.orders.Load(); n != 2 {
		t.Errorf("%d orders handed over, want 2", n)
	}
	for _, tc := range []struct {
		name string
		code int
		want int
	}{
		{"Heartland at its old URL", heartlandPost(oldHeartlandURL), http.StatusAccepted},
		{"Heartland at its new URL", heartlandPost(heartlandURL(hlNew)), http.StatusAccepted},
		{"store with the Heartland secret", storePost(hlNew), http.StatusUnauthorized},
		{"Heartland with the store secret", heartlandPost(heartlandURL(storeNew)), http.StatusUnauthorized},
	} {
		if tc.code != tc.want {
			t.Errorf("during the rotation, %s = %d, want %d", tc.name, tc.code, tc.want)
		}
	}

	// 3. Rotation over: the previous secrets are removed and restarted without.
	start("HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET="+storeNew, "HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET="+hlNew)
	for _, tc := range []struct {
		name string
		code int
		want int
	}{
		{"store with the old secret", storePost(shared), http.StatusUnauthorized},
		{"Heartland at its old URL", heartlandPost(oldHeartlandURL), http.StatusUnauthorized},
		{"store with the new secret", storePost(storeNew), http.StatusNoContent},
		{"Heartland with the new secret", heartlandPost(heartlandURL(hlNew)), http.StatusAccepted},
	} {
		if tc.code != tc.want {
			t.Errorf("after the rotation, %s = %d, want %d", tc.name, tc.code, tc.want)
		}
	}
}
