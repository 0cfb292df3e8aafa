package config

import (
	"errors"
	"testing"
)

// TestBigCommerceAppConfig: the app's variables are read, its secret is
// required with its client id, and the callback URL follows the intake's.
func TestBigCommerceAppConfig(t *testing.T) {
	cfg, err := LoadConfig([]string{"HRBC_BIGCOMMERCE_APP_CLIENT_ID=cid", "HRBC_BIGCOMMERCE_APP_CLIENT_SECRET=cs",
		"HRBC_BIGCOMMERCE_LOGIN_URL=http://127.0.0.1:8234", "HRBC_BIGCOMMERCE_API_URL=http://127.0.0.1:8234/"})
	if err != nil {
		t.Fatal(err)
	}
	app := cfg.BigCommerceApp
	if !app.Enabled() || app.ClientSecret.Reveal() != "cs" || app.StoreBaseURL("h1") != "http://127.0.0.1:8234/stores/h1" ||
		cfg.AuthCallbackURL() != "http://127.0.0.1:8080/bigcommerce/auth" {
		t.Errorf("app config %+v, callback %s", app, cfg.AuthCallbackURL())
	}
	def, err := LoadConfig(nil)
	if err != nil || def.BigCommerceApp.Enabled() || def.BigCommerceApp.LoginURL != "https://login.bigcommerce.com" {
		t.Errorf("default app config %+v, %v", def.BigCommerceApp, err)
	}
	_, err = LoadConfig([]string{"HRBC_BIGCOMMERCE_APP_CLIENT_ID=cid"})
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Variable != "HRBC_BIGCOMMERCE_APP_CLIENT_SECRET" {
		t.Errorf("client id without secret: %v", err)
	}
}
