// Package sandbox is the embedded default's pair of fake APIs: a fake
// BigCommerce store and a fake Heartland account on loopback, seeded with a
// demo catalog and kept on disk next to the Temporal database, plus the
// demo connection between them. It imports the activities' fakes and
// worker/config, never the process or Temporal.
package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/workflows"
)

// DemoConnectionID is the connection the embedded default creates.
const DemoConnectionID = "demo"

// Sandbox credentials of the embedded default. The token only opens the
// fake on loopback, so it is a constant; the webhook secrets open the
// intake, which may listen on more than loopback, so they are drawn at
// random (see webhookSecrets).
const (
	// HeartlandToken opens the fake Heartland account; the banner shows it
	// so a person can call the fake by hand.
	HeartlandToken = "sandbox-heartland-token"
	// WebsiteLocation is the Heartland location demo web orders
	// are created at.
	WebsiteLocation = "Website"
)

// Sandbox is the pair of fake APIs the embedded default serves on loopback
// with a demo catalog, so the whole integration runs with no accounts.
type Sandbox struct {
	BigCommerce *bigcommercetest.Server
	Heartland   *heartlandtest.Server
	// Connection is the demo connection's configuration, pointing at them.
	Connection config.ConnectionConfig
	// WebsiteLocationID is the Heartland "Website" location.
	WebsiteLocationID int64
	// Restored reports that the fakes continued from their state files
	// rather than starting from the demo seed.
	Restored bool

	states *sandboxStates // nil: the fakes live in memory only
}

// Start serves both fakes. With a stateDir (see StateDir)
// they continue from their state files there and keep saving to them;
// without one, or when there is nothing usable to continue from, they
// start from their demo seeds.
func Start(ip string, bigCommercePort, heartlandPort int, stateDir string, logger *slog.Logger) (*Sandbox, error) {
	bc, err := bigcommercetest.Start(net.JoinHostPort(ip, strconv.Itoa(bigCommercePort)),
		bigcommercetest.WithLogger(logger.With("fake", "bigcommerce")))
	if err != nil {
		return nil, fmt.Errorf("sandbox BigCommerce store (HRBC_SANDBOX_BIGCOMMERCE_PORT): %w", err)
	}
	hl, err := heartlandtest.Listen(net.JoinHostPort(ip, strconv.Itoa(heartlandPort)),
		heartlandtest.WithToken(HeartlandToken))
	if err != nil {
		bc.Close()
		return nil, fmt.Errorf("sandbox Heartland account (HRBC_SANDBOX_HEARTLAND_PORT): %w", err)
	}
	states, restored := restoreSandbox(stateDir, bc, hl, logger)
	website, ok := hl.LocationByName(WebsiteLocation)
	if !ok {
		bc.Close()
		hl.Close()
		return nil, fmt.Errorf("sandbox Heartland account has no %q location", WebsiteLocation)
	}
	secrets, err := webhookSecrets(stateDir)
	if err != nil {
		bc.Close()
		hl.Close()
		return nil, err
	}
	if states != nil {
		states.start()
		logger.Info("sandbox state kept on disk", "directory", stateDir, "restored", restored)
	}
	return &Sandbox{
		BigCommerce: bc,
		Heartland:   hl,
		Connection: config.ConnectionConfig{
			ID:                   DemoConnectionID,
			HeartlandURL:         hl.URL,
			HeartlandToken:       config.Secret(HeartlandToken),
			BigCommerceStoreHash: bc.StoreHash,
			BigCommerceURL:       bc.BaseURL(),
			BigCommerceToken:     config.Secret(bc.Token),
			// One secret per platform, drawn at the first start and kept
			// beside the fakes' state, whose saved hooks carry them.
			BigCommerceWebhookSecret: config.Secret(secrets.BigCommerce),
			HeartlandWebhookSecret:   config.Secret(secrets.Heartland),
		},
		WebsiteLocationID: website.ID,
		Restored:          restored,
		states:            states,
	}, nil
}

// DemoSettings are the demo connection's settings: every location's stock
// shows on the store, orders come in at the Website location and wait for
// an admin to distribute them.
func (s *Sandbox) DemoSettings() workflows.Settings {
	settings := workflows.DefaultSettings()
	settings.OrderSync = true
	settings.InventorySync = true
	settings.SourceLocationID = s.WebsiteLocationID
	return settings
}

// RegisterWebhooks points the fakes' webhooks at the intake. It runs at
// every start rather than only when the connection is configured: the
// fakes start from their seed whenever their state is in memory or was
// unusable, while the demo connection persists, and the intake's address
// may have changed since the hooks were registered.
func (s *Sandbox) RegisterWebhooks(ctx context.Context, conns *activities.Connections, baseURL string) error {
	wh := &activities.Webhooks{Connections: conns, PublicURL: baseURL}
	_, err := wh.EnsureWebhooks(ctx, activities.ConnectionRequest{ConnectionID: DemoConnectionID})
	return err
}

// Close stops both fakes and, when they keep state on disk, saves it once
// more after they have stopped changing.
func (s *Sandbox) Close() {
	if s.states != nil {
		s.states.stopSaving()
	}
	s.BigCommerce.Close()
	s.Heartland.Close()
	if s.states != nil {
		s.states.saveAll()
	}
}
