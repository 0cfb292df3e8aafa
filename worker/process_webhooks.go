package worker

import (
	"context"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/worker/config"
)

// refreshWebhooks brings the hooks hrbc registered earlier for each
// configured connection up to date with this start's public URL and
// webhook secrets (activities.RefreshWebhooks): after a rotation the
// platforms sign with the new secret from this start on, while the intake
// still takes the previous one for what they had queued. A failure is a
// warning: the sweeps find every change without webhooks, only later.
func (p *Process) refreshWebhooks(ctx context.Context, conns []config.ConnectionConfig, registry *activities.Connections) {
	wh := &activities.Webhooks{Connections: registry, PublicURL: p.cfg.WebhookBaseURL()}
	for _, c := range conns {
		if c.UsesSharedWebhookSecret() {
			p.logger.Warn("connection uses the deprecated shared webhook secret: set BIGCOMMERCE_WEBHOOK_SECRET and HEARTLAND_WEBHOOK_SECRET (see README, Webhook secrets)",
				"connection", c.ID)
		}
		reg, err := activities.RefreshWebhooks(ctx, wh, activities.ConnectionRequest{ConnectionID: c.ID})
		switch {
		case err != nil:
			p.logger.Warn("webhooks not brought up to date; the sweeps still find every change", "connection", c.ID, "error", err)
		case !reg.Skipped:
			p.logger.Info("webhooks up to date", "connection", c.ID, "bigcommerceMoved", reg.BigCommerceMoved,
				"bigcommerceCreated", reg.BigCommerceCreated, "heartlandCreated", reg.HeartlandCreated, "heartlandRemoved", reg.HeartlandRemoved)
		}
	}
}
