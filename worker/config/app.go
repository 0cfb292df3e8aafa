package config

import (
	"fmt"
	"strings"
)

// BigCommerceApp is the BigCommerce single-click app hrbc is: its OAuth
// client (from the app's Developer Portal page) and where BigCommerce's
// login and API services live. With ClientID empty the intake serves no
// app callbacks and connections come from HRBC_CONNECTION_<n>_* only.
type BigCommerceApp struct {
	// ClientID is the app's OAuth client id; it is also the audience of
	// every signed_payload_jwt.
	ClientID string `env:"HRBC_BIGCOMMERCE_APP_CLIENT_ID"`
	// ClientSecret is the app's OAuth client secret: it exchanges install
	// codes for tokens and signs the load, uninstall and remove_user JWTs.
	ClientSecret Secret `env:"HRBC_BIGCOMMERCE_APP_CLIENT_SECRET"`
	// LoginURL is the base of the token endpoint (LoginURL + /oauth2/token).
	LoginURL string `env:"HRBC_BIGCOMMERCE_LOGIN_URL" envDefault:"https://login.bigcommerce.com"`
	// APIURL is the base of installed stores' APIs (APIURL + /stores/<hash>).
	APIURL string `env:"HRBC_BIGCOMMERCE_API_URL" envDefault:"https://api.bigcommerce.com"`
}

// Enabled reports whether the app callbacks are served.
func (a BigCommerceApp) Enabled() bool { return a.ClientID != "" }

// StoreBaseURL is the API root of an installed store.
func (a BigCommerceApp) StoreBaseURL(storeHash string) string {
	return strings.TrimSuffix(a.APIURL, "/") + "/stores/" + storeHash
}

// AuthCallbackURL is the redirect_uri registered with the app: the auth
// callback under the intake's public URL.
func (c Config) AuthCallbackURL() string {
	return strings.TrimSuffix(c.WebhookBaseURL(), "/") + "/bigcommerce/auth"
}

// validateApp checks the app's settings when the app is enabled.
func (c Config) validateApp() error {
	a := c.BigCommerceApp
	if !a.Enabled() {
		return nil
	}
	if a.ClientSecret.Reveal() == "" {
		return &ConfigError{"HRBC_BIGCOMMERCE_APP_CLIENT_SECRET", "must be set with HRBC_BIGCOMMERCE_APP_CLIENT_ID"}
	}
	for _, v := range []struct{ name, value string }{
		{"HRBC_BIGCOMMERCE_LOGIN_URL", a.LoginURL}, {"HRBC_BIGCOMMERCE_API_URL", a.APIURL},
	} {
		if err := checkURL(v.value); err != nil {
			return &ConfigError{v.name, err.Error()}
		}
	}
	if c.WebhookBaseURL() == "" {
		return &ConfigError{"HRBC_PUBLIC_URL", fmt.Sprintf("must be set with HRBC_BIGCOMMERCE_APP_CLIENT_ID: BigCommerce calls %s", "<HRBC_PUBLIC_URL>/bigcommerce/auth")}
	}
	return nil
}
