package activities

import (
	"fmt"
	"log/slog"
	"strings"
)

// Credentials are what a runtime connection (one created by the
// BigCommerce app install rather than the worker's environment) needs to
// call both APIs and to check the webhooks it receives. They live in the
// connection's workflow state and travel only as workflow payloads, which
// the payload codec encrypts; Connections builds clients from them. The
// values are plain strings because secret.Secret masks itself when
// marshalled, and these must reach the workflow intact; String and
// LogValue mask them instead.
type Credentials struct {
	// Version counts accepted changes; workers rebuild a connection's
	// clients when it moves.
	Version int `json:"version"`
	// BigCommerce is the store's side, nil before the app is installed.
	BigCommerce *BigCommerceCredentials `json:"bigcommerce,omitempty"`
	// Heartland is the account's side, nil until entered on the app page.
	Heartland *HeartlandCredentials `json:"heartland,omitempty"`
	// BigCommerceWebhookSecret is what the store's hooks carry in their
	// header; generated at install and kept across re-authorizations.
	BigCommerceWebhookSecret string `json:"bigcommerce_webhook_secret,omitempty"`
	// HeartlandWebhookSecret is what Heartland's hooks carry in their URL.
	HeartlandWebhookSecret string `json:"heartland_webhook_secret,omitempty"`
}

// BigCommerceCredentials are a store's OAuth grant.
type BigCommerceCredentials struct {
	// StoreHash is the store's permanent hash (from context "stores/<hash>").
	StoreHash string `json:"store_hash"`
	// AccessToken is the permanent OAuth token of the app on the store.
	AccessToken string `json:"access_token"`
	// BaseURL is the store's API root (everything before /v2 or /v3).
	BaseURL string `json:"base_url"`
	// Scope is the space-separated list of scopes the merchant granted.
	Scope string `json:"scope,omitempty"`
	// UserEmail is who installed (or last re-authorized) the app.
	UserEmail string `json:"user_email,omitempty"`
}

// HeartlandCredentials are a Heartland account's API access.
type HeartlandCredentials struct {
	// Subdomain names the account (https://{subdomain}.retail.heartland.us/api/).
	Subdomain string `json:"subdomain,omitempty"`
	// URL overrides the base built from Subdomain (the sandbox, a proxy).
	URL string `json:"url,omitempty"`
	// Token is the account's API token.
	Token string `json:"token"`
}

// BaseURL is the Heartland API root these credentials reach.
func (h HeartlandCredentials) BaseURL() string {
	if h.URL != "" {
		return h.URL
	}
	return "https://" + h.Subdomain + ".retail.heartland.us/api/"
}

// Complete reports whether both sides are present, so clients can be
// built.
func (c Credentials) Complete() bool { return c.BigCommerce != nil && c.Heartland != nil }

// String names what is present and never a secret, so a %v in a log
// line or error cannot leak a token.
func (c Credentials) String() string {
	var parts []string
	if c.BigCommerce != nil {
		parts = append(parts, "bigcommerce store "+c.BigCommerce.StoreHash)
	}
	if c.Heartland != nil {
		parts = append(parts, "heartland "+c.Heartland.BaseURL())
	}
	if len(parts) == 0 {
		parts = append(parts, "none")
	}
	return fmt.Sprintf("credentials v%d (%s)", c.Version, strings.Join(parts, ", "))
}

// LogValue is String for slog.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// String masks the token.
func (b BigCommerceCredentials) String() string { return "bigcommerce store " + b.StoreHash }

// LogValue is String for slog.
func (b BigCommerceCredentials) LogValue() slog.Value { return slog.StringValue(b.String()) }

// String masks the token.
func (h HeartlandCredentials) String() string { return "heartland " + h.BaseURL() }

// LogValue is String for slog.
func (h HeartlandCredentials) LogValue() slog.Value { return slog.StringValue(h.String()) }
