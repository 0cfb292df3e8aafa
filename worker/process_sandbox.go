package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/sandbox"
)

// startSandbox serves the fakes the embedded default connects, keeping
// their state next to the Temporal database.
func (p *Process) startSandbox() error {
	sb, err := sandbox.Start(p.cfg.DevIP, p.cfg.SandboxBigCommercePort, p.cfg.SandboxHeartlandPort,
		sandbox.StateDir(p.cfg.DevDatabase), p.logger)
	if err != nil {
		return err
	}
	p.sandbox = sb
	p.logger.Info("sandbox fakes started", "bigcommerce", sb.BigCommerce.URL, "heartland", sb.Heartland.RootURL)
	return nil
}

// setUpDemo creates the demo connection and points the fakes' webhooks at
// the intake; a failure to register hooks is only a warning because the
// order sweep finds orders without them.
func (p *Process) setUpDemo(ctx context.Context, st *starter.Client, conns *activities.Connections) error {
	if err := p.ensureDemoConnection(ctx, st); err != nil {
		return err
	}
	if err := p.sandbox.RegisterWebhooks(ctx, conns, p.cfg.WebhookBaseURL()); err != nil {
		p.logger.Warn("sandbox webhooks not registered; the order sweep still finds orders", "error", err)
	}
	return nil
}

// ensureDemoConnection creates the demo connection unless it exists, so a
// restart keeps whatever the user changed.
func (p *Process) ensureDemoConnection(ctx context.Context, st *starter.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := st.CreateConnection(ctx, sandbox.DemoConnectionID, p.sandbox.DemoSettings())
	switch {
	case errors.Is(err, starter.ErrConnectionExists):
		p.logger.Info("demo connection already exists", "connection", sandbox.DemoConnectionID)
		return nil
	case err != nil:
		return fmt.Errorf("create demo connection: %w", err)
	}
	p.logger.Info("demo connection created", "connection", sandbox.DemoConnectionID)
	return nil
}
