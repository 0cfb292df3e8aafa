package starter

import (
	"log/slog"
	"net/http"
)

// Intake is the HTTP front door of cmd/worker: webhooks from both platforms
// and BigCommerce app callbacks arrive here and become workflow calls.
type Intake struct {
	starter *Client
	logger  *slog.Logger
	secrets WebhookSecrets
	mux     *http.ServeMux
}

// WebhookSecrets returns the shared secret that webhooks of a connection
// must carry, and false for an unknown connection.
type WebhookSecrets func(connectionID string) (secret string, ok bool)

// NewIntake returns the intake handler.
func NewIntake(c *Client, logger *slog.Logger, secrets WebhookSecrets) *Intake {
	in := &Intake{starter: c, logger: logger, secrets: secrets, mux: http.NewServeMux()}
	in.registerBigCommerceRoutes()
	in.registerHeartlandRoutes()
	in.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	return in
}

// ServeHTTP routes a request to its handler.
func (in *Intake) ServeHTTP(w http.ResponseWriter, r *http.Request) { in.mux.ServeHTTP(w, r) }
