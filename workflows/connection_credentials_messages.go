package workflows

import (
	"time"

	"github.com/hrbc/hrbc/activities"
)

// Message names of a Connection's credentials (runtime connections).
const (
	// CredentialsUpdate verifies and saves credentials (CredentialsRequest).
	CredentialsUpdate = "credentials"
	// CredentialsQuery returns the connection's *Credentials, secrets
	// included: workers build clients from it. Its answer is a payload,
	// so the codec encrypts it like the workflow's state.
	CredentialsQuery = "credentials"
	// UninstallUpdate stops every sync of the connection and deletes its
	// credentials (the app was uninstalled from the store).
	UninstallUpdate = "uninstall"
)

// Error types of refused credentials.
const (
	// ErrTypeInvalidCredentials marks a CredentialsRequest the validator
	// refused (a field empty or malformed); the details name the field.
	ErrTypeInvalidCredentials = "InvalidCredentials"
	// ErrTypeCredentialsRefused marks credentials an API refused when
	// they were verified; the details name the field.
	ErrTypeCredentialsRefused = activities.ErrTypeCredentialsRefused
)

// Credentials are a runtime connection's API credentials, for clients
// that import only this package.
type Credentials = activities.Credentials

// BigCommerceCredentials are a store's OAuth grant.
type BigCommerceCredentials = activities.BigCommerceCredentials

// HeartlandCredentials are a Heartland account's API access.
type HeartlandCredentials = activities.HeartlandCredentials

// CredentialsRequest is the argument of the credentials update. A nil side
// leaves that side as it is.
type CredentialsRequest struct {
	// BigCommerce is the store's grant (the app's auth callback).
	BigCommerce *BigCommerceCredentials `json:"bigcommerce,omitempty"`
	// Heartland is the account's access (the app page).
	Heartland *HeartlandCredentials `json:"heartland,omitempty"`
	// BigCommerceWebhookSecret and HeartlandWebhookSecret are taken only
	// when the connection has none yet, so a re-authorization keeps the
	// secrets its registered hooks carry.
	BigCommerceWebhookSecret string `json:"bigcommerce_webhook_secret,omitempty"`
	HeartlandWebhookSecret   string `json:"heartland_webhook_secret,omitempty"`
}

// UninstallRequest is the argument of the uninstall update.
type UninstallRequest struct {
	// Reason says who asked ("BigCommerce app uninstalled by …"), for the log.
	Reason string `json:"reason,omitempty"`
}

// CredentialsSummary says what credentials a connection holds, without
// a secret; it is part of ConnectionStatus.
type CredentialsSummary struct {
	// Version counts accepted credential changes.
	Version int `json:"version"`
	// StoreHash is the BigCommerce store, empty before an install.
	StoreHash string `json:"store_hash,omitempty"`
	// Scope is what the merchant granted the app.
	Scope string `json:"scope,omitempty"`
	// HeartlandURL is the Heartland account's API root, empty before it is entered.
	HeartlandURL string `json:"heartland_url,omitempty"`
	// UninstalledAt is when the app was last uninstalled (zero if never
	// or reinstalled since).
	UninstalledAt time.Time `json:"uninstalled_at,omitzero"`
}
