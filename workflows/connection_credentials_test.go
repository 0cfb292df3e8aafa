package workflows

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/hrbc/hrbc/activities"
)

// credentialsEnv is a connection env whose credential check refuses any
// Heartland token but "good-token".
func credentialsEnv(t *testing.T) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	env := newConnectionEnv(t)
	env.RegisterActivity(&activities.CredentialChecks{})
	env.OnActivity(credentialActivities.VerifyCredentials, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.VerifyCredentialsRequest) error {
			if req.Heartland != nil && req.Heartland.Token != "good-token" {
				return temporal.NewNonRetryableApplicationError("Heartland refused the API token",
					activities.ErrTypeCredentialsRefused, nil, "heartland.token")
			}
			return nil
		})
	return env
}

// credentialsUpdate collects a credentials update's outcome.
type credentialsUpdate struct {
	rejected, failed error
	summary          CredentialsSummary
	done             bool
}

func (r *credentialsUpdate) callbacks() *testsuite.TestUpdateCallback {
	return &testsuite.TestUpdateCallback{
		OnReject: func(err error) { r.rejected, r.done = err, true },
		OnAccept: func() {},
		OnComplete: func(v any, err error) {
			r.failed, r.done = err, true
			if s, ok := v.(CredentialsSummary); ok {
				r.summary = s
			}
		},
	}
}

func queryCredentials(t *testing.T, env *testsuite.TestWorkflowEnvironment) *Credentials {
	t.Helper()
	v, err := env.QueryWorkflow(CredentialsQuery)
	if err != nil {
		t.Fatalf("credentials query: %v", err)
	}
	var c *Credentials
	if err := v.Get(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestConnectionCredentials: an install saves the store's grant and
// webhook secrets (version 1); a refused Heartland token is a typed
// failure naming the field and changes nothing; an accepted one moves the
// version on and keeps the install's secrets; a malformed request is
// rejected before it reaches history.
func TestConnectionCredentials(t *testing.T) {
	env := credentialsEnv(t)
	var install, refused, accepted, malformed credentialsUpdate
	var afterRefusal, final *Credentials
	bcCreds := &BigCommerceCredentials{StoreHash: "abc123", AccessToken: "tok", BaseURL: "https://api.example/stores/abc123", Scope: "store_v2_orders"}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(CredentialsUpdate, "c1", install.callbacks(), CredentialsRequest{
			BigCommerce: bcCreds, BigCommerceWebhookSecret: "bc-secret", HeartlandWebhookSecret: "hl-secret"})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(CredentialsUpdate, "c2", refused.callbacks(), CredentialsRequest{
			Heartland: &HeartlandCredentials{Subdomain: "shop", Token: "bad-token"}})
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		afterRefusal = queryCredentials(t, env)
		env.UpdateWorkflow(CredentialsUpdate, "c3", accepted.callbacks(), CredentialsRequest{
			Heartland: &HeartlandCredentials{Subdomain: "shop", Token: "good-token"}, BigCommerceWebhookSecret: "other"})
	}, 3*time.Minute)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(CredentialsUpdate, "c4", malformed.callbacks(), CredentialsRequest{
			Heartland: &HeartlandCredentials{Subdomain: "shop.evil/", Token: "x"}})
	}, 4*time.Minute)
	env.RegisterDelayedCallback(func() {
		final = queryCredentials(t, env)
		env.CancelWorkflow()
	}, 5*time.Minute)

	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "bc-abc123"})

	if install.failed != nil || install.rejected != nil || install.summary.Version != 1 || install.summary.StoreHash != "abc123" {
		t.Fatalf("install: %+v", install)
	}
	var appErr *temporal.ApplicationError
	if !errors.As(refused.failed, &appErr) || appErr.Type() != ErrTypeCredentialsRefused {
		t.Fatalf("refused token: %v", refused.failed)
	}
	var field string
	if err := appErr.Details(&field); err != nil || field != "heartland.token" {
		t.Errorf("refused field %q (%v)", field, err)
	}
	if afterRefusal == nil || afterRefusal.Version != 1 || afterRefusal.Heartland != nil {
		t.Errorf("a refused token changed the credentials: %v", afterRefusal)
	}
	if accepted.failed != nil || accepted.summary.Version != 2 || accepted.summary.HeartlandURL != "https://shop.retail.heartland.us/api/" {
		t.Errorf("accepted: %+v", accepted)
	}
	if !errors.As(malformed.rejected, &appErr) || appErr.Type() != ErrTypeInvalidCredentials {
		t.Errorf("malformed subdomain: %v", malformed.rejected)
	}
	if final == nil || !final.Complete() || final.Version != 2 || final.BigCommerce.AccessToken != "tok" ||
		final.BigCommerceWebhookSecret != "bc-secret" || final.HeartlandWebhookSecret != "hl-secret" {
		t.Errorf("final credentials %v", final)
	}
	if s := final.String(); strings.Contains(s, "tok") && strings.Contains(s, "good-token") {
		t.Errorf("String leaks a token: %s", s)
	}
}

// TestConnectionUninstall: uninstall turns every sync off (the followers
// are told), deletes the credentials but keeps the version counting, and
// the status says so.
func TestConnectionUninstall(t *testing.T) {
	env := credentialsEnv(t)
	var res updateResult
	var creds *Credentials
	told := map[string]Settings{}
	env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, "", mock.Anything, mock.Anything).Return(
		func(_, id, _, _ string, arg any) error {
			told[id] = arg.(Settings)
			return nil
		})
	var memo []*Settings
	env.OnUpsertMemo(mock.Anything).Return(nil).Run(func(args mock.Arguments) {
		memo = append(memo, args.Get(0).(map[string]any)[ConnectionSettingsMemo].(ConnectionSettingsRecord).Settings)
	})
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UninstallUpdate, "u1", res.callbacks(), UninstallRequest{Reason: "test"})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		creds = queryCredentials(t, env)
		env.CancelWorkflow()
	}, 2*time.Minute)
	s := validSettings()
	s.InventorySync = true
	s.CatalogMode = CatalogPull
	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "bc-abc123", Settings: &s, Version: 1,
		Credentials: &Credentials{Version: 3, BigCommerce: &BigCommerceCredentials{StoreHash: "abc123", AccessToken: "tok", BaseURL: "https://x"},
			Heartland: &HeartlandCredentials{Subdomain: "shop", Token: "t"}, BigCommerceWebhookSecret: "s"}})

	if res.failed != nil || res.rejected != nil {
		t.Fatalf("uninstall: %+v", res)
	}
	got := res.status.Settings
	if got == nil || got.OrderSync || got.InventorySync || got.CatalogMode != CatalogManual || res.status.Version != 2 {
		t.Errorf("settings after uninstall %+v (version %d)", got, res.status.Version)
	}
	// The intake reads the memo: it must stop taking orders at once.
	if len(memo) != 2 || memo[0] == nil || !memo[0].OrderSync || memo[1] == nil || memo[1].OrderSync {
		t.Errorf("settings memo writes %+v; want order sync on at the start and off after the uninstall", memo)
	}
	if c := res.status.Credentials; c == nil || c.UninstalledAt.IsZero() || c.StoreHash != "" || c.Version != 4 {
		t.Errorf("credentials summary %+v", c)
	}
	for _, id := range []string{OrderSweepWorkflowID("bc-abc123"), InventoryWorkflowID("bc-abc123"), CatalogFollowWorkflowID("bc-abc123")} {
		if s, ok := told[id]; !ok || s.OrderSync || s.InventorySync {
			t.Errorf("%s told %+v (%v)", id, s, ok)
		}
	}
	if creds == nil || creds.BigCommerce != nil || creds.Heartland != nil || creds.BigCommerceWebhookSecret != "" || creds.Version != 4 {
		t.Errorf("credentials after uninstall %v", creds)
	}
}
