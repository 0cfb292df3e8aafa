package worker

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/intake"
	"github.com/hrbc/hrbc/worker/metrics"
)

// ClientOption adds to how a connection's clients are built.
type ClientOption func(*clientOptions)

// clientOptions are the ClientOptions applied.
type clientOptions struct {
	metrics *metrics.Metrics
	peers   func() int
}

// WithMetrics counts and times every request the clients send, and
// reports their quotas, in m (nil: none).
func WithMetrics(m *metrics.Metrics) ClientOption {
	return func(o *clientOptions) { o.metrics = m }
}

// WithPeers splits each Heartland client's pacing among the processes
// peers reports (Fleet.Size): every worker of a task queue holds its own
// client of a connection, and Heartland sees them together.
func WithPeers(peers func() int) ClientOption {
	return func(o *clientOptions) { o.peers = peers }
}

func optionsOf(opts []ClientOption) clientOptions {
	var o clientOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// NewClients builds the API clients of one configured connection.
func NewClients(conn config.ConnectionConfig, logger *slog.Logger, opts ...ClientOption) (activities.Clients, error) {
	o := optionsOf(opts)
	bc, err := newBigCommerce(conn, logger, o)
	if err != nil {
		return activities.Clients{}, err
	}
	hl, err := newHeartland(conn, logger, o)
	if err != nil {
		return activities.Clients{}, err
	}
	return activities.Clients{BigCommerce: bc, Heartland: hl,
		BigCommerceWebhookSecret: conn.BigCommerceSecret().Reveal(),
		HeartlandWebhookSecret:   conn.HeartlandSecret().Reveal()}, nil
}

// newBigCommerce builds a connection's store client.
func newBigCommerce(conn config.ConnectionConfig, logger *slog.Logger, o clientOptions) (*bigcommerce.Client, error) {
	bc, err := bigcommerce.New(bigcommerce.Config{
		StoreHash:   conn.BigCommerceStoreHash,
		AccessToken: conn.BigCommerceToken,
		BaseURL:     conn.BigCommerceBaseURL(),
		HTTPClient:  observedHTTPClient(o.metrics, conn.ID, metrics.SideBigCommerce, bigcommerce.DefaultTimeout),
		Logger:      logger.With("api", "bigcommerce", "connection", conn.ID),
	})
	if err != nil {
		return nil, fmt.Errorf("connection %q: bigcommerce client: %w", conn.ID, err)
	}
	o.metrics.WatchQuota(conn.ID, metrics.SideBigCommerce, func() (float64, float64, bool) {
		rl := bc.RateLimit()
		return float64(rl.Left), float64(rl.Quota), rl.Known
	})
	return bc, nil
}

// newHeartland builds a connection's Heartland client.
func newHeartland(conn config.ConnectionConfig, logger *slog.Logger, o clientOptions) (*heartland.Client, error) {
	hl, err := heartland.New(heartland.Config{
		BaseURL:           conn.HeartlandBaseURL(),
		Token:             conn.HeartlandToken,
		PerPage:           cmp.Or(conn.HeartlandPageSize, config.DefaultHeartlandPageSize),
		RequestsPerSecond: conn.HeartlandRPS,
		Burst:             cmp.Or(conn.HeartlandBurst, config.DefaultHeartlandBurst),
		CreateOrdersOpen:  conn.HeartlandCreateOrdersOpen,
		OrderCancelStatus: conn.HeartlandCancelStatus,
		Peers:             o.peers,
		HTTPClient:        observedHTTPClient(o.metrics, conn.ID, metrics.SideHeartland, heartland.DefaultTimeout),
		Logger:            logger.With("api", "heartland", "connection", conn.ID),
	})
	if err != nil {
		return nil, fmt.Errorf("connection %q: heartland client: %w", conn.ID, err)
	}
	o.metrics.WatchQuota(conn.ID, metrics.SideHeartland, func() (float64, float64, bool) {
		left, burst, ok := hl.Pacing()
		return left, float64(burst), ok
	})
	return hl, nil
}

// observedHTTPClient is nil (the client's own default) without metrics,
// else an HTTP client whose requests m counts.
func observedHTTPClient(m *metrics.Metrics, connectionID, side string, timeout time.Duration) *http.Client {
	if m == nil {
		return nil
	}
	return &http.Client{Timeout: timeout, Transport: m.Transport(connectionID, side, nil)}
}

// NewConnections builds the registry of every configured connection.
func NewConnections(conns []config.ConnectionConfig, logger *slog.Logger, opts ...ClientOption) (*activities.Connections, error) {
	reg := activities.NewConnections()
	for _, conn := range conns {
		clients, err := NewClients(conn, logger, opts...)
		if err != nil {
			return nil, err
		}
		reg.Add(conn.ID, clients)
	}
	return reg, nil
}

// webhookSecrets answers the intake's question "which secrets may a
// webhook of this connection from this platform carry" from the
// configured connections: each platform its own secret, plus its previous
// one while a rotation runs, so a secret Heartland holds never opens the
// store's door and a delivery signed before a rotation is not lost.
func webhookSecrets(conns []config.ConnectionConfig) intake.WebhookSecrets {
	type accepted struct{ bigCommerce, heartland []string }
	secrets := make(map[string]accepted, len(conns))
	for _, c := range conns {
		secrets[c.ID] = accepted{bigCommerce: revealAll(c.BigCommerceSecrets()), heartland: revealAll(c.HeartlandSecrets())}
	}
	return func(id string, platform intake.Platform) ([]string, bool) {
		s, ok := secrets[id]
		switch {
		case !ok:
			return nil, false
		case platform == intake.BigCommerce:
			return s.bigCommerce, true
		case platform == intake.Heartland:
			return s.heartland, true
		}
		return nil, false
	}
}

// revealAll reveals secrets for the intake's constant-time comparison.
func revealAll(secrets []config.Secret) []string {
	out := make([]string, len(secrets))
	for i, s := range secrets {
		out[i] = s.Reveal()
	}
	return out
}

// withRuntimeSecrets answers for connections secrets does not know from
// registry, which reads runtime connections' secrets from their workflows
// (cached per worker). A connection without a secret for the platform
// accepts none.
func withRuntimeSecrets(secrets intake.WebhookSecrets, registry *activities.Connections) intake.WebhookSecrets {
	if registry == nil || !registry.HasRuntime() {
		return secrets
	}
	return func(id string, platform intake.Platform) ([]string, bool) {
		if accepted, ok := secrets(id, platform); ok {
			return accepted, true
		}
		cl, err := registry.Get(id)
		if err != nil {
			return nil, false
		}
		if platform == intake.Heartland {
			return []string{cl.HeartlandWebhookSecret}, true
		}
		return []string{cl.BigCommerceWebhookSecret}, true
	}
}
