package activities

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// RefreshWebhooks is what a starting worker does for each configured
// connection: when hrbc registered hooks for it before, on either platform,
// they are brought up to date with the current public URL and secrets
// (EnsureWebhooks), so a secret rotated in the environment reaches the
// platforms at the restart that configures it, not at the next settings
// change. A connection with no hooks is left alone: its workflow registers
// them when a setting needs them. It is a plain function, not an activity:
// the process calls it before any workflow would.
func RefreshWebhooks(ctx context.Context, wh *Webhooks, req ConnectionRequest) (WebhookRegistration, error) {
	if wh.PublicURL == "" {
		return WebhookRegistration{Skipped: true}, nil
	}
	registered, err := withClients(wh.Connections, req.ConnectionID, func(cl Clients) (bool, error) {
		return hasOurHooks(ctx, cl, url.PathEscape(req.ConnectionID))
	})
	if err != nil || !registered {
		return WebhookRegistration{Skipped: err == nil}, err
	}
	return wh.EnsureWebhooks(ctx, req)
}

// hasOurHooks reports whether either platform holds a hook hrbc registered
// for the connection (conn path-escaped), at any address.
func hasOurHooks(ctx context.Context, cl Clients, conn string) (bool, error) {
	hooks, err := cl.BigCommerce.ListHooks(ctx)
	if err != nil {
		return false, bigCommerceError("list BigCommerce webhooks", err)
	}
	ours := "/webhooks/bigcommerce/" + conn
	if slices.ContainsFunc(hooks, func(h bigcommerce.Hook) bool { return strings.HasSuffix(h.Destination, ours) }) {
		return true, nil
	}
	existing, err := cl.Heartland.ListWebhooks(ctx)
	if err != nil {
		return false, heartlandError("list Heartland webhooks", err)
	}
	return slices.ContainsFunc(existing, func(w heartland.Webhook) bool { return isOurHeartlandHook(w.URL, conn) }), nil
}
