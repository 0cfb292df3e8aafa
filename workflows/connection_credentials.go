package workflows

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// credentialActivities is the method-value handle on the credential check.
var credentialActivities *activities.CredentialChecks

// verifyCredentialsOptions: two calls that hold the merchant's click; a
// refusal is not retried (the activity marks it non-retryable).
var verifyCredentialsOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 3},
}

// storeHashPattern and subdomainPattern are what BigCommerce store hashes
// and Heartland subdomains look like; anything else could walk a URL.
var (
	storeHashPattern = regexp.MustCompile(`^[a-z0-9]{1,32}$`)
	subdomainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

// listenCredentials registers the credentials update and query and the
// uninstall update. Registering handlers adds no command, so running
// connections replay unchanged.
func (c *connection) listenCredentials(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, CredentialsQuery, func() (*Credentials, error) {
		return c.Credentials, nil
	}); err != nil {
		return fmt.Errorf("register %s query: %w", CredentialsQuery, err)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, CredentialsUpdate, c.setCredentials,
		workflow.UpdateHandlerOptions{Validator: validateCredentials}); err != nil {
		return fmt.Errorf("register %s update: %w", CredentialsUpdate, err)
	}
	if err := workflow.SetUpdateHandler(ctx, UninstallUpdate, c.uninstall); err != nil {
		return fmt.Errorf("register %s update: %w", UninstallUpdate, err)
	}
	return nil
}

// ValidateCredentials checks a request's shape (not whether the APIs take
// it): a *SettingsError naming the field ("bigcommerce.store_hash",
// "heartland.token", …).
func ValidateCredentials(req CredentialsRequest) error {
	if req.BigCommerce == nil && req.Heartland == nil {
		return &SettingsError{"credentials", "neither BigCommerce nor Heartland credentials given"}
	}
	if b := req.BigCommerce; b != nil {
		switch {
		case !storeHashPattern.MatchString(b.StoreHash):
			return &SettingsError{"bigcommerce.store_hash", fmt.Sprintf("%q is not a store hash", b.StoreHash)}
		case strings.TrimSpace(b.AccessToken) == "":
			return &SettingsError{"bigcommerce.access_token", "is empty"}
		case !strings.HasPrefix(b.BaseURL, "https://") && !strings.HasPrefix(b.BaseURL, "http://"):
			return &SettingsError{"bigcommerce.base_url", fmt.Sprintf("%q is not an http(s) URL", b.BaseURL)}
		}
	}
	if h := req.Heartland; h != nil {
		switch {
		case h.URL == "" && !subdomainPattern.MatchString(h.Subdomain):
			return &SettingsError{"heartland.subdomain", fmt.Sprintf("%q is not a Heartland subdomain (the NAME of NAME.retail.heartland.us)", h.Subdomain)}
		case h.URL != "" && !strings.HasPrefix(h.URL, "https://") && !strings.HasPrefix(h.URL, "http://"):
			return &SettingsError{"heartland.url", fmt.Sprintf("%q is not an http(s) URL", h.URL)}
		case strings.TrimSpace(h.Token) == "":
			return &SettingsError{"heartland.token", "is empty"}
		}
	}
	return nil
}

// validateCredentials is the update's validator: a refusal leaves no trace
// in history.
func validateCredentials(_ workflow.Context, req CredentialsRequest) error {
	if err := ValidateCredentials(req); err != nil {
		var se *SettingsError
		errors.As(err, &se)
		return temporal.NewApplicationError(err.Error(), ErrTypeInvalidCredentials, se.Field)
	}
	return nil
}

// setCredentials verifies the new credentials with one call to each API
// they name, then saves them and moves the version on, so every worker
// rebuilds its clients. Followers are told again (webhooks registered with
// the new credentials) when the connection has settings.
func (c *connection) setCredentials(ctx workflow.Context, req CredentialsRequest) (CredentialsSummary, error) {
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, verifyCredentialsOptions),
		credentialActivities.VerifyCredentials, activities.VerifyCredentialsRequest{
			ConnectionID: c.ConnectionID, BigCommerce: req.BigCommerce, Heartland: req.Heartland,
		}).Get(ctx, nil)
	if err != nil {
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) && appErr.Type() == ErrTypeCredentialsRefused {
			var field string
			if appErr.HasDetails() {
				_ = appErr.Details(&field)
			}
			return CredentialsSummary{}, temporal.NewApplicationError(appErr.Message(), ErrTypeCredentialsRefused, field)
		}
		return CredentialsSummary{}, fmt.Errorf("verify credentials: %w", err)
	}
	next := Credentials{}
	if c.Credentials != nil {
		next = *c.Credentials
	}
	if req.BigCommerce != nil {
		b := *req.BigCommerce
		next.BigCommerce = &b
	}
	if req.Heartland != nil {
		h := *req.Heartland
		next.Heartland = &h
	}
	if next.BigCommerceWebhookSecret == "" {
		next.BigCommerceWebhookSecret = req.BigCommerceWebhookSecret
	}
	if next.HeartlandWebhookSecret == "" {
		next.HeartlandWebhookSecret = req.HeartlandWebhookSecret
	}
	next.Version++
	c.Credentials = &next
	c.UninstalledAt = time.Time{}
	if c.Settings != nil {
		c.dirty = true
	}
	workflow.GetLogger(ctx).Info("Connection credentials saved", "CredentialsVersion", next.Version,
		"BigCommerce", req.BigCommerce != nil, "Heartland", req.Heartland != nil)
	return c.credentialsSummary(), nil
}

// uninstall stops every sync the settings turn on (the followers are told
// and wind down) and deletes the credentials. Orders already running keep
// their workflows and history; until a re-install, an activity they start
// fails as it would for an unknown connection.
func (c *connection) uninstall(ctx workflow.Context, req UninstallRequest) (ConnectionStatus, error) {
	if c.Settings != nil {
		s := *c.Settings
		s.LocationIDs = append([]int64(nil), c.Settings.LocationIDs...)
		s.OrderSync, s.InventorySync = false, false
		if s.CatalogMode == CatalogPull {
			s.CatalogMode = CatalogManual
		}
		c.previous, c.Settings = c.Settings, &s
		c.Version++
		c.ConfiguredAt = workflow.Now(ctx)
		c.dirty = true
		c.publishSettings(ctx)
	}
	version := 0
	if c.Credentials != nil {
		version = c.Credentials.Version
	}
	// The version survives, so a re-install moves it on and no worker
	// mistakes new credentials for ones it has cached.
	c.Credentials = &Credentials{Version: version + 1}
	c.UninstalledAt = workflow.Now(ctx)
	workflow.GetLogger(ctx).Info("Connection uninstalled: syncs stopped, credentials deleted", "Reason", req.Reason)
	return c.status(), nil
}

// credentialsSummary says what the connection holds, without a secret.
func (c *connection) credentialsSummary() CredentialsSummary {
	sum := CredentialsSummary{UninstalledAt: c.UninstalledAt}
	if cr := c.Credentials; cr != nil {
		sum.Version = cr.Version
		if cr.BigCommerce != nil {
			sum.StoreHash, sum.Scope = cr.BigCommerce.StoreHash, cr.BigCommerce.Scope
		}
		if cr.Heartland != nil {
			sum.HeartlandURL = cr.Heartland.BaseURL()
		}
	}
	return sum
}
