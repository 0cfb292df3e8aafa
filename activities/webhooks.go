package activities

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// BigCommerceHookScopes are the events hrbc subscribes to in BigCommerce.
var BigCommerceHookScopes = []string{"store/order/*", "store/shipment/*", "store/product/created"}

// HeartlandWebhookEvents are the events hrbc subscribes to in Heartland.
var HeartlandWebhookEvents = []string{"sales_transaction_completed", "item_created"}

// BigCommerceSecretHeader is the custom header that carries the webhook
// secret on BigCommerce deliveries (set at hook creation).
const BigCommerceSecretHeader = "X-Hrbc-Webhook-Secret"

// Webhooks registers hrbc's webhooks on both platforms.
type Webhooks struct {
	// Connections gives each connection's clients and webhook secret.
	Connections *Connections
	// PublicURL is where the platforms reach the HTTP intake, e.g.
	// https://hrbc.example.com; empty skips registration.
	PublicURL string
}

// WebhookRegistration reports what EnsureWebhooks found and did.
type WebhookRegistration struct {
	Skipped            bool `json:"skipped,omitempty"`
	BigCommerceCreated int  `json:"bigcommerce_created"`
	BigCommerceEnabled int  `json:"bigcommerce_enabled"`
	HeartlandCreated   int  `json:"heartland_created"`
}

// EnsureWebhooks makes sure each platform sends hrbc the events it needs:
// missing hooks are created, deactivated BigCommerce hooks re-enabled
// (BigCommerce turns a hook off after two days of failed deliveries).
func (a *Webhooks) EnsureWebhooks(ctx context.Context, req ConnectionRequest) (WebhookRegistration, error) {
	if a.PublicURL == "" {
		return WebhookRegistration{Skipped: true}, nil
	}
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return WebhookRegistration{}, err
	}
	base := strings.TrimRight(a.PublicURL, "/")
	conn := url.PathEscape(req.ConnectionID)
	var reg WebhookRegistration

	bcDest := base + "/webhooks/bigcommerce/" + conn
	hooks, err := cl.BigCommerce.ListHooks(ctx)
	if err != nil {
		return reg, bigCommerceError("list BigCommerce webhooks", err)
	}
	for _, scope := range BigCommerceHookScopes {
		found := false
		for _, h := range hooks {
			if h.Scope != scope || h.Destination != bcDest {
				continue
			}
			found = true
			if !h.IsActive {
				on := true
				if _, err := cl.BigCommerce.UpdateHook(ctx, h.ID, bigcommerce.HookUpdate{IsActive: &on}); err != nil {
					return reg, bigCommerceError("re-enable BigCommerce webhook "+scope, err)
				}
				reg.BigCommerceEnabled++
			}
		}
		if found {
			continue
		}
		if _, err := cl.BigCommerce.CreateHook(ctx, bigcommerce.HookCreate{
			Scope: scope, Destination: bcDest, IsActive: true,
			Headers: map[string]string{BigCommerceSecretHeader: cl.WebhookSecret},
		}); err != nil {
			// Someone registered the same hook between our look-up and our
			// create (two registrations racing): what we wanted exists.
			if existsNow, lerr := hookExists(ctx, cl.BigCommerce, scope, bcDest); lerr == nil && existsNow {
				continue
			}
			return reg, bigCommerceError("create BigCommerce webhook "+scope, err)
		}
		reg.BigCommerceCreated++
	}

	hlURL := fmt.Sprintf("%s/webhooks/heartland/%s?secret=%s", base, conn, url.QueryEscape(cl.WebhookSecret))
	existing, err := cl.Heartland.ListWebhooks(ctx)
	if err != nil {
		return reg, heartlandError("list Heartland webhooks", err)
	}
	for _, event := range HeartlandWebhookEvents {
		found := false
		for _, w := range existing {
			if w.URL == hlURL && slices.Contains(w.Events, event) {
				found = true
			}
		}
		if found {
			continue
		}
		if _, err := cl.Heartland.CreateWebhook(ctx, hlURL, []string{event}); err != nil {
			// The URL carries the secret: name the event, never the URL.
			return reg, heartlandError("create Heartland webhook "+event, err)
		}
		reg.HeartlandCreated++
	}
	return reg, nil
}

// hookExists reports whether the store has a hook for scope to dest.
func hookExists(ctx context.Context, bc *bigcommerce.Client, scope, dest string) (bool, error) {
	hooks, err := bc.ListHooks(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(hooks, func(h bigcommerce.Hook) bool { return h.Scope == scope && h.Destination == dest }), nil
}
