package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The API sides a connection talks to.
const (
	SideBigCommerce = "bigcommerce"
	SideHeartland   = "heartland"
)

// Transport wraps base (nil: http.DefaultTransport) so every request a
// connection's client sends to side is counted and timed. It sees each
// HTTP exchange, retries included, which is what a quota counts.
func (m *Metrics) Transport(connection, side string, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if m == nil {
		return base
	}
	return &countingTransport{
		base:     base,
		duration: m.apiDuration.WithLabelValues(connection, side),
		requests: m.apiRequests.MustCurryWith(prometheus.Labels{"connection": connection, "side": side}),
	}
}

// countingTransport is Transport's RoundTripper.
type countingTransport struct {
	base     http.RoundTripper
	duration prometheus.Observer
	requests *prometheus.CounterVec
}

// RoundTrip sends req and records its answer.
func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	res, err := t.base.RoundTrip(req)
	code := "error"
	if err == nil {
		code = strconv.Itoa(res.StatusCode)
		t.duration.Observe(time.Since(start).Seconds())
	}
	t.requests.WithLabelValues(code).Inc()
	return res, err
}

// QuotaReader reports how many requests a client may still send now
// (left) of how many per window or burst (limit); known is false until
// the client has learnt it.
type QuotaReader func() (left, limit float64, known bool)

// WatchQuota reports read's figures as hrbc_api_quota_remaining and
// hrbc_api_quota_limit of the connection's side at every scrape. A later
// call for the same connection and side (a client rebuilt with new
// credentials) replaces the earlier one.
func (m *Metrics) WatchQuota(connection, side string, read QuotaReader) {
	if m == nil || read == nil {
		return
	}
	m.quota.watch(connection, side, read)
}

// quotaCollector reads the watched clients' quotas when scraped.
type quotaCollector struct {
	remaining, limit *prometheus.Desc

	mu      sync.Mutex
	readers map[[2]string]QuotaReader
}

func newQuotaCollector() *quotaCollector {
	return &quotaCollector{
		remaining: prometheus.NewDesc(Namespace+"_api_quota_remaining",
			"Requests a connection's client may still send now: for BigCommerce what the store's last answer said is left of its window (less requests in flight); for Heartland, which publishes no limit, what hrbc's own pacing lets out at once (below 0: calls are queued).",
			[]string{"connection", "side"}, nil),
		limit: prometheus.NewDesc(Namespace+"_api_quota_limit",
			"The quota hrbc_api_quota_remaining counts down from: BigCommerce's requests per window, Heartland's pacing burst.",
			[]string{"connection", "side"}, nil),
		readers: map[[2]string]QuotaReader{},
	}
}

func (q *quotaCollector) watch(connection, side string, read QuotaReader) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.readers[[2]string{connection, side}] = read
}

// Describe implements prometheus.Collector.
func (q *quotaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- q.remaining
	ch <- q.limit
}

// Collect implements prometheus.Collector.
func (q *quotaCollector) Collect(ch chan<- prometheus.Metric) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for key, read := range q.readers {
		left, limit, known := read()
		if !known {
			continue
		}
		ch <- prometheus.MustNewConstMetric(q.remaining, prometheus.GaugeValue, left, key[0], key[1])
		ch <- prometheus.MustNewConstMetric(q.limit, prometheus.GaugeValue, limit, key[0], key[1])
	}
}
