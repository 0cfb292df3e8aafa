package metrics

import "strings"

// WebhookDelivered counts one delivery the intake answered with status.
// connection is named only for deliveries that authenticated: the path of
// a refused one is the sender's invention, and would let anyone grow the
// registry without bound.
func (m *Metrics) WebhookDelivered(platform, connection string, status int) {
	if m == nil {
		return
	}
	outcome := "accepted"
	switch {
	case status >= 500:
		outcome = "failed"
	case status >= 400:
		outcome = "refused"
		if status == 401 || status == 429 {
			connection = ""
		}
	}
	m.webhooks.WithLabelValues(strings.ToLower(platform), connection, outcome).Inc()
}
