package worker

import (
	"cmp"
	"fmt"
	"log/slog"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/intake"
)

// NewClients builds the API clients of one configured connection.
func NewClients(conn config.ConnectionConfig, logger *slog.Logger) (activities.Clients, error) {
	bc, err := bigcommerce.New(bigcommerce.Config{
		StoreHash:   conn.BigCommerceStoreHash,
		AccessToken: conn.BigCommerceToken,
		BaseURL:     conn.BigCommerceBaseURL(),
		Logger:      logger.With("api", "bigcommerce", "connection", conn.ID),
	})
	if err != nil {
		return activities.Clients{}, fmt.Errorf("connection %q: bigcommerce client: %w", conn.ID, err)
	}
	hl, err := heartland.New(heartland.Config{
		BaseURL:           conn.HeartlandBaseURL(),
		Token:             conn.HeartlandToken,
		PerPage:           cmp.Or(conn.HeartlandPageSize, config.DefaultHeartlandPageSize),
		RequestsPerSecond: conn.HeartlandRPS,
		CreateOrdersOpen:  conn.HeartlandCreateOrdersOpen,
		OrderCancelStatus: conn.HeartlandCancelStatus,
		Logger:            logger.With("api", "heartland", "connection", conn.ID),
	})
	if err != nil {
		return activities.Clients{}, fmt.Errorf("connection %q: heartland client: %w", conn.ID, err)
	}
	return activities.Clients{BigCommerce: bc, Heartland: hl, WebhookSecret: conn.WebhookSecret.Reveal()}, nil
}

// NewConnections builds the registry of every configured connection.
func NewConnections(conns []config.ConnectionConfig, logger *slog.Logger) (*activities.Connections, error) {
	reg := activities.NewConnections()
	for _, conn := range conns {
		clients, err := NewClients(conn, logger)
		if err != nil {
			return nil, err
		}
		reg.Add(conn.ID, clients)
	}
	return reg, nil
}

// webhookSecrets answers the intake's question "which secrets may a
// webhook of this connection from this platform carry" from the
// configured connections. Registration (activities.EnsureWebhooks) still
// sends one secret to both platforms, so both accept that one; per-platform
// secrets need registration to carry two first.
func webhookSecrets(conns []config.ConnectionConfig) intake.WebhookSecrets {
	secrets := make(map[string][]string, len(conns))
	for _, c := range conns {
		secrets[c.ID] = []string{c.WebhookSecret.Reveal()}
	}
	return func(id string, _ intake.Platform) ([]string, bool) {
		s, ok := secrets[id]
		return s, ok
	}
}
