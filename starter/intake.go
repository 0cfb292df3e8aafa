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
	mux     *http.ServeMux
}

// NewIntake returns the intake handler.
func NewIntake(c *Client, logger *slog.Logger) *Intake {
	in := &Intake{starter: c, logger: logger, mux: http.NewServeMux()}
	in.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	return in
}

// ServeHTTP routes a request to its handler.
func (in *Intake) ServeHTTP(w http.ResponseWriter, r *http.Request) { in.mux.ServeHTTP(w, r) }
