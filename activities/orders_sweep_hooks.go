package activities

import (
	"context"
	"net/url"
	"strings"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// reenableHooks turns back on every hook of the connection that BigCommerce
// deactivated, which it does after sustained failed deliveries, and returns
// their scopes. Meanwhile the sweep has been finding the orders those hooks
// would have announced.
func reenableHooks(ctx context.Context, bc *bigcommerce.Client, connectionID string) ([]string, error) {
	hooks, err := bc.ListHooks(ctx)
	if err != nil {
		return nil, bigCommerceError("list BigCommerce webhooks", err)
	}
	ours := "/webhooks/bigcommerce/" + url.PathEscape(connectionID)
	var scopes []string
	on := true
	for _, h := range hooks {
		if h.IsActive || !strings.HasSuffix(h.Destination, ours) {
			continue
		}
		if _, err := bc.UpdateHook(ctx, h.ID, bigcommerce.HookUpdate{IsActive: &on}); err != nil {
			return scopes, bigCommerceError("re-enable BigCommerce webhook "+h.Scope, err)
		}
		scopes = append(scopes, h.Scope)
	}
	return scopes, nil
}
