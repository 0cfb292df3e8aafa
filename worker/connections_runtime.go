package worker

import (
	"context"
	"log/slog"

	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/config"
)

// Pacing of a runtime connection's Heartland client: the defaults of
// HRBC_CONNECTION_<n>_HEARTLAND_RPS and _PAGE_SIZE.
const runtimeHeartlandRPS = 5

// ClientBuilder builds the clients of a runtime connection's credentials
// the way NewClients builds a configured one's, each side only when it is
// present (the credential check verifies one side at a time).
func ClientBuilder(logger *slog.Logger, opts ...ClientOption) activities.ClientBuilder {
	o := optionsOf(opts)
	return func(connectionID string, creds activities.Credentials) (activities.Clients, error) {
		conn := config.ConnectionConfig{ID: connectionID, HeartlandRPS: runtimeHeartlandRPS, HeartlandPageSize: config.DefaultHeartlandPageSize}
		var cl activities.Clients
		if b := creds.BigCommerce; b != nil {
			conn.BigCommerceStoreHash, conn.BigCommerceURL, conn.BigCommerceToken = b.StoreHash, b.BaseURL, config.Secret(b.AccessToken)
			bc, err := newBigCommerce(conn, logger, o)
			if err != nil {
				return activities.Clients{}, err
			}
			cl.BigCommerce = bc
		}
		if h := creds.Heartland; h != nil {
			conn.HeartlandSubdomain, conn.HeartlandURL, conn.HeartlandToken = h.Subdomain, h.URL, config.Secret(h.Token)
			hl, err := newHeartland(conn, logger, o)
			if err != nil {
				return activities.Clients{}, err
			}
			cl.Heartland = hl
		}
		return cl, nil
	}
}

// credentialsLoader reads a runtime connection's credentials from its
// Connection workflow (a query; the codec decrypts the answer).
func credentialsLoader(c client.Client, taskQueue string) activities.CredentialsLoader {
	st := starter.New(c, taskQueue)
	return func(ctx context.Context, connectionID string) (*activities.Credentials, error) {
		return st.ConnectionCredentials(ctx, connectionID)
	}
}

// useRuntimeConnections lets conns serve connections created at runtime,
// unless the caller arranged it already.
func useRuntimeConnections(conns *activities.Connections, c client.Client, cfg config.Config, logger *slog.Logger, opts ...ClientOption) {
	if conns == nil || conns.HasRuntime() {
		return
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	conns.UseRuntime(credentialsLoader(c, cfg.TaskQueue), ClientBuilder(logger, opts...), 0)
}
