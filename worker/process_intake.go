package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/apppage"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/worker/sandbox"
)

// intakeStopTimeout bounds the intake's stop: requests in flight and the
// Heartland nudges they started get this long together.
const intakeStopTimeout = 5 * time.Second

// listenIntake binds HRBC_HTTP_ADDR, so a busy port fails the start
// before anything serves. Webhooks of connections installed at runtime
// are checked against the secrets registry reads from their workflows.
func (p *Process) listenIntake(st *starter.Client, conns []config.ConnectionConfig, registry *activities.Connections) (net.Listener, error) {
	raw, err := net.Listen("tcp", p.cfg.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("HTTP intake on %s (HRBC_HTTP_ADDR): %w", p.cfg.HTTPAddr, err)
	}
	p.intake = intake.New(st, p.logger, withRuntimeSecrets(webhookSecrets(conns), registry))
	p.intake.Observe(p.metrics.WebhookDelivered)
	var app *intake.App
	switch {
	case p.cfg.BigCommerceApp.Enabled():
		a := appOf(p.cfg, st)
		app = &a
	case p.sandbox != nil:
		a := p.sandboxApp(st)
		app = &a
	}
	if app != nil {
		if err := p.serveApp(st, *app); err != nil {
			raw.Close()
			return nil, err
		}
	}
	p.http = intake.NewServer(p.withCodecServer(p.intake))
	return intake.Limit(raw), nil
}

// serveIntake serves until stopIntakeWhenDone shuts the server down.
func (p *Process) serveIntake(ln net.Listener) error {
	if err := p.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("HTTP intake stopped: %w", err)
	}
	return nil
}

// stopIntakeWhenDone waits for the end and stops the intake first: no new
// delivery is taken, those in flight finish, and so do the nudges they
// started and the deliveries it holds (worker/intake/deferred.go), before
// the worker stops.
func (p *Process) stopIntakeWhenDone(ctx context.Context) error {
	<-ctx.Done()
	p.logger.Info("shutting down")
	stopCtx, cancel := context.WithTimeout(context.Background(), intakeStopTimeout)
	defer cancel()
	_ = p.http.Shutdown(stopCtx)
	if err := p.intake.Shutdown(stopCtx); err != nil {
		p.logger.Warn("Heartland nudges or held BigCommerce deliveries cut off at shutdown; the syncs' polling and the order sweeps catch up",
			"error", err, "held_deliveries", p.intake.Deferred())
	}
	return nil
}

// serveApp adds the app's callbacks and its page to the intake. The page's
// sessions are signed with the app's client secret, which only hrbc and
// BigCommerce hold.
func (p *Process) serveApp(st *starter.Client, app intake.App) error {
	page, err := apppage.New(apppage.Options{Starter: st, SessionKey: []byte(app.ClientSecret),
		SaveHeartland: st.SetHeartlandCredentials, Logger: p.logger})
	if err != nil {
		return fmt.Errorf("app page (HRBC_BIGCOMMERCE_APP_CLIENT_SECRET): %w", err)
	}
	app.Page = page
	p.intake.ServeApp(app)
	p.intake.Mount(page.Prefix(), page)
	return nil
}

// appOf is the intake's view of the configured BigCommerce app.
func appOf(cfg config.Config, st *starter.Client) intake.App {
	app := cfg.BigCommerceApp
	return intake.App{
		ClientID:     app.ClientID,
		ClientSecret: app.ClientSecret.Reveal(),
		TokenURL:     strings.TrimSuffix(app.LoginURL, "/") + "/oauth2/token",
		RedirectURI:  cfg.AuthCallbackURL(),
		StoreBaseURL: app.StoreBaseURL,
		Connector:    st,
	}
}

// sandboxApp registers hrbc as an app with the sandbox's fake store (a
// secret drawn per run: nothing outside the process signs with it) and
// serves its callbacks; the sandbox store installs as "demo".
func (p *Process) sandboxApp(st *starter.Client) intake.App {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	fake := p.sandbox.BigCommerce
	fake.RegisterApp(bigcommercetest.OAuthApp{ClientID: bigcommercetest.DemoAppClientID, ClientSecret: hex.EncodeToString(secret),
		AuthCallbackURL: p.cfg.AuthCallbackURL()})
	return intake.App{
		ClientID:     bigcommercetest.DemoAppClientID,
		ClientSecret: hex.EncodeToString(secret),
		TokenURL:     fake.LoginURL() + "/oauth2/token",
		RedirectURI:  p.cfg.AuthCallbackURL(),
		StoreBaseURL: func(h string) string { return fake.APIURL() + "/stores/" + h },
		ConnectionID: func(h string) string {
			if h == fake.StoreHash {
				return sandbox.DemoConnectionID
			}
			return intake.ConnectionIDForStore(h)
		},
		Connector: st,
	}
}
