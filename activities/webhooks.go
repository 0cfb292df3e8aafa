package activities

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// BigCommerceHookScopes are the events hrbc subscribes to in BigCommerce.
// store/order/* takes store/order/refund/created too, so a refund wakes
// its order at once (the sweep finds it later otherwise). Shipments are
// left out: what an order waits for from BigCommerce is its status (an
// outside service's last shipment, a cancellation, a refund), and a
// shipment changes its order (items shipped, status), which fires
// store/order/updated of its own ("any change to an order"); the
// shipment's own event was one more signal for every shipment hrbc made.
var BigCommerceHookScopes = []string{"store/order/*", "store/product/created"}

// retiredBigCommerceHookScopes are scopes earlier versions subscribed to:
// EnsureWebhooks deletes this connection's hooks for them.
var retiredBigCommerceHookScopes = []string{"store/shipment/*"}

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
	// BigCommerceMoved counts hooks of this connection pointed at the
	// current public URL (it changed) or given the current secret.
	BigCommerceMoved int `json:"bigcommerce_moved,omitempty"`
	// BigCommerceRemoved counts hooks of this connection for scopes hrbc
	// no longer subscribes to, deleted.
	BigCommerceRemoved int `json:"bigcommerce_removed,omitempty"`
	HeartlandCreated   int `json:"heartland_created"`
	// HeartlandRemoved counts hooks of this connection to an old URL or
	// with an old secret, deleted once their replacement exists.
	HeartlandRemoved int `json:"heartland_removed,omitempty"`
}

// EnsureWebhooks makes sure each platform sends hrbc the events it needs:
// missing hooks are created, deactivated BigCommerce hooks re-enabled
// (BigCommerce turns a hook off after two days of failed deliveries).
// Hooks of this connection left from an earlier public URL or webhook
// secret are brought up to date (BigCommerce) or replaced (Heartland), so
// moving hrbc or rotating the secret neither loses events nor leaves
// stores delivering to a dead address. Hooks of this connection for a
// scope hrbc no longer subscribes to are deleted.
func (a *Webhooks) EnsureWebhooks(ctx context.Context, req ConnectionRequest) (WebhookRegistration, error) {
	if a.PublicURL == "" {
		return WebhookRegistration{Skipped: true}, nil
	}
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (WebhookRegistration, error) {
		base := strings.TrimRight(a.PublicURL, "/")
		conn := url.PathEscape(req.ConnectionID)
		var reg WebhookRegistration

		bcDest := base + "/webhooks/bigcommerce/" + conn
		bcSecret := cl.BigCommerceWebhookSecret
		hooks, err := cl.BigCommerce.ListHooks(ctx)
		if err != nil {
			return reg, bigCommerceError("list BigCommerce webhooks", err)
		}
		ours := "/webhooks/bigcommerce/" + conn
		for _, scope := range BigCommerceHookScopes {
			h, moved := findHook(hooks, scope, bcDest, ours)
			if h != nil {
				var upd bigcommerce.HookUpdate
				if moved {
					upd.Destination = &bcDest
				}
				if !h.IsActive {
					on := true
					upd.IsActive = &on
				}
				if h.Headers[BigCommerceSecretHeader] != bcSecret {
					upd.Headers = map[string]string{BigCommerceSecretHeader: bcSecret}
					moved = true
				}
				if upd.Destination != nil || upd.IsActive != nil || upd.Headers != nil {
					if _, err := cl.BigCommerce.UpdateHook(ctx, h.ID, upd); err != nil {
						return reg, bigCommerceError("update BigCommerce webhook "+scope, err)
					}
				}
				if upd.IsActive != nil {
					reg.BigCommerceEnabled++
				}
				if moved {
					reg.BigCommerceMoved++
				}
				continue
			}
			if _, err := cl.BigCommerce.CreateHook(ctx, bigcommerce.HookCreate{
				Scope: scope, Destination: bcDest, IsActive: true,
				Headers: map[string]string{BigCommerceSecretHeader: bcSecret},
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
		for _, h := range hooks {
			if !slices.Contains(retiredBigCommerceHookScopes, h.Scope) || !strings.HasSuffix(h.Destination, ours) {
				continue
			}
			if _, err := cl.BigCommerce.DeleteHook(ctx, h.ID); err != nil && !errors.Is(err, bigcommerce.ErrNotFound) {
				return reg, bigCommerceError(fmt.Sprintf("delete retired BigCommerce webhook %d (%s)", h.ID, h.Scope), err)
			}
			reg.BigCommerceRemoved++
		}

		hlURL := fmt.Sprintf("%s/webhooks/heartland/%s?secret=%s", base, conn, url.QueryEscape(cl.HeartlandWebhookSecret))
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
		if reg.HeartlandCreated > 0 {
			// Heartland takes duplicate hooks: a registration racing this one
			// (a cold start runs two) may have created the same. Both keep the
			// lowest id per event, so they agree on what to delete.
			if existing, err = cl.Heartland.ListWebhooks(ctx); err != nil {
				return reg, heartlandError("list Heartland webhooks", err)
			}
			kept := map[string]bool{}
			for _, w := range existing { // ListWebhooks walks by ascending id
				if w.URL != hlURL || len(w.Events) != 1 {
					continue
				}
				if kept[w.Events[0]] {
					if err := cl.Heartland.DeleteWebhook(ctx, w.ID); err != nil && !errors.Is(err, heartland.ErrNotFound) {
						return reg, heartlandError(fmt.Sprintf("delete duplicate Heartland webhook %d", w.ID), err)
					}
					reg.HeartlandCreated--
				}
				kept[w.Events[0]] = true
			}
		}
		// Every event now reaches the current URL: hooks of this connection to
		// another URL (an old address or secret) only deliver to nowhere or
		// get refused, so they go.
		for _, w := range existing {
			if w.URL != hlURL && isOurHeartlandHook(w.URL, conn) {
				if err := cl.Heartland.DeleteWebhook(ctx, w.ID); err != nil && !errors.Is(err, heartland.ErrNotFound) {
					return reg, heartlandError(fmt.Sprintf("delete stale Heartland webhook %d", w.ID), err)
				}
				reg.HeartlandRemoved++
			}
		}
		return reg, nil
	})
}

// findHook returns the store's hook for scope to dest, or else one of this
// connection's (destination path ending in ours) to another address, with
// moved set.
func findHook(hooks []bigcommerce.Hook, scope, dest, ours string) (h *bigcommerce.Hook, moved bool) {
	for i := range hooks {
		if hooks[i].Scope == scope && hooks[i].Destination == dest {
			return &hooks[i], false
		}
	}
	for i := range hooks {
		if hooks[i].Scope == scope && strings.HasSuffix(hooks[i].Destination, ours) {
			return &hooks[i], true
		}
	}
	return nil, false
}

// isOurHeartlandHook reports whether a Heartland webhook URL is one hrbc
// registered for the connection (conn path-escaped), at any address.
func isOurHeartlandHook(raw, conn string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.HasSuffix(u.EscapedPath(), "/webhooks/heartland/"+conn)
}

// hookExists reports whether the store has a hook for scope to dest.
func hookExists(ctx context.Context, bc *bigcommerce.Client, scope, dest string) (bool, error) {
	hooks, err := bc.ListHooks(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(hooks, func(h bigcommerce.Hook) bool { return h.Scope == scope && h.Destination == dest }), nil
}
