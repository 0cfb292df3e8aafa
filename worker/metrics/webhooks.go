package metrics

import (
	"strings"
	"time"
)

// WebhookDelivered counts one delivery the intake answered with status,
// and how long the answer took. connection is named only for deliveries
// that authenticated: the path of a refused one is the sender's invention,
// and would let anyone grow the registry without bound. The answer time is
// by platform and outcome only: it is the intake's and Temporal's, not the
// connection's.
func (m *Metrics) WebhookDelivered(platform, connection string, status int, took time.Duration) {
	if m == nil {
		return
	}
	outcome := "accepted"
	switch {
	case status == 202 && strings.EqualFold(platform, "bigcommerce"):
		// The intake holds the delivery and hands it over when Temporal
		// answers again (worker/intake/deferred.go). Heartland's 202 is
		// its ordinary answer: the nudge it carries runs after it.
		outcome = "held"
	case status >= 500:
		outcome = "failed"
	case status >= 400:
		outcome = "refused"
		if status == 401 || status == 429 {
			connection = ""
		}
	}
	m.webhooks.WithLabelValues(strings.ToLower(platform), connection, outcome).Inc()
	m.webhookAnswer.WithLabelValues(strings.ToLower(platform), outcome).Observe(max(took, 0).Seconds())
}
