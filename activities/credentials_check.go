package activities

import (
	"context"
	"errors"
	"fmt"
	"net"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// ErrTypeCredentialsRefused marks credentials an API refused when they
// were verified; the error's details carry the field (for example
// "heartland.token"), so the app page can point at what to fix.
const ErrTypeCredentialsRefused = "CredentialsRefused"

// ClientBuilder builds the clients of whichever sides credentials hold
// (a missing side stays nil). The worker supplies it, with its logger and
// client settings.
type ClientBuilder func(connectionID string, creds Credentials) (Clients, error)

// CredentialChecks verifies credentials before a Connection saves them:
// one call to each API they name.
type CredentialChecks struct {
	// Build makes clients from the credentials under test.
	Build ClientBuilder
}

// VerifyCredentialsRequest names a connection and the credentials it is
// about to save; a nil side is not checked.
type VerifyCredentialsRequest struct {
	ConnectionID string                  `json:"connection_id"`
	BigCommerce  *BigCommerceCredentials `json:"bigcommerce,omitempty"`
	Heartland    *HeartlandCredentials   `json:"heartland,omitempty"`
}

// VerifyCredentials makes one call per side: BigCommerce's hook list (it
// needs no scope, so it proves the token and the store alone) and
// Heartland's location list. A refusal is a non-retryable
// ErrTypeCredentialsRefused naming the field; a transport failure or a
// 5xx is retried.
func (a *CredentialChecks) VerifyCredentials(ctx context.Context, req VerifyCredentialsRequest) error {
	cl, err := a.Build(req.ConnectionID, Credentials{BigCommerce: req.BigCommerce, Heartland: req.Heartland})
	if err != nil {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeCredentialsRefused, err, "credentials")
	}
	if cl.BigCommerce != nil {
		if _, err := cl.BigCommerce.ListHooks(ctx); err != nil {
			if errors.Is(err, bigcommerce.ErrUnauthorized) || errors.Is(err, bigcommerce.ErrNotFound) {
				return refused("bigcommerce.access_token", "BigCommerce refused the access token of store "+req.BigCommerce.StoreHash)
			}
			return fmt.Errorf("verify BigCommerce credentials of %q: %w", req.ConnectionID, err)
		}
	}
	if cl.Heartland != nil {
		if _, err := cl.Heartland.ListLocations(ctx); err != nil {
			var dns *net.DNSError
			switch {
			case errors.Is(err, heartland.ErrUnauthorized):
				return refused("heartland.token", "Heartland refused the API token")
			case errors.As(err, &dns) || errors.Is(err, heartland.ErrNotFound):
				return refused("heartland.subdomain", fmt.Sprintf("no Heartland account answers at %s", req.Heartland.BaseURL()))
			}
			return fmt.Errorf("verify Heartland credentials of %q: %w", req.ConnectionID, err)
		}
	}
	return nil
}

// refused is the typed refusal of one field.
func refused(field, msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrTypeCredentialsRefused, nil, field)
}
