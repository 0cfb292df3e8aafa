// Package metrics is the worker's Prometheus registry: the Temporal SDK's
// own metrics (through its OpenTelemetry contrib handler) and hrbc's —
// API calls and quota per connection and side, webhook deliveries,
// inventory lag, and running orders by stage and workflows needing a
// person, read from Temporal's visibility. Every method is safe on a nil
// *Metrics, which records nothing, so callers need not branch on whether
// metrics are enabled.
package metrics

import (
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
)

// Namespace prefixes every hrbc metric; the SDK's start with "temporal_".
const Namespace = "hrbc"

// Metrics holds the registry and hrbc's collectors.
type Metrics struct {
	registry *prometheus.Registry
	sdk      client.MetricsHandler

	apiRequests *prometheus.CounterVec
	apiDuration *prometheus.HistogramVec
	quota       *quotaCollector
	webhooks    *prometheus.CounterVec
	// webhookAnswer is the intake's answer time per delivery.
	webhookAnswer *prometheus.HistogramVec
	inventoryLag  *prometheus.HistogramVec
	workflows     *workflowCollector
	fleet         prometheus.Gauge
}

// New returns a registry holding the Go runtime's and the process's
// metrics, the SDK's (see SDKHandler) and hrbc's.
func New() (*Metrics, error) {
	reg := prometheus.NewRegistry()
	m := &Metrics{registry: reg, quota: newQuotaCollector(), workflows: newWorkflowCollector()}
	m.apiRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "api_requests_total",
		Help: "HTTP requests hrbc sent to an API, by connection, side (bigcommerce, heartland) and answer (the HTTP status, or \"error\" when none came). 429s are code=\"429\".",
	}, []string{"connection", "side", "code"})
	m.apiDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "api_request_duration_seconds",
		Help:    "Time from sending an API request to its answer's headers, by connection and side.",
		Buckets: []float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"connection", "side"})
	m.webhooks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "webhook_deliveries_total",
		Help: "Webhook deliveries the intake answered, by platform, connection (empty when the delivery did not authenticate) and outcome: accepted (handed over), held (answered 202: the intake could not hand it over at once and hands it over as soon as Temporal answers, so every store's deliveries keep succeeding), refused (4xx: bad secret, malformed, throttled) or failed (5xx: the platform delivers it again).",
	}, []string{"platform", "connection", "outcome"})
	m.webhookAnswer = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "webhook_answer_seconds",
		Help:    "Time from a webhook delivery's arrival at the intake to its answer, by platform and outcome. An order delivery's answer waits for Temporal to start or signal the order's workflow; BigCommerce gives up on a delivery that takes too long and delivers it again.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"platform", "outcome"})
	m.inventoryLag = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "inventory_lag_seconds",
		Help:    "Seconds from a Heartland stock movement (its created_at, Heartland's clock) to the store write it caused, by connection.",
		Buckets: []float64{.25, .5, 1, 2, 3, 5, 10, 30, 60, 300, 900},
	}, []string{"connection"})
	m.fleet = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "fleet_workers",
		Help: "Worker processes polling the task queue, this one included, as this worker last counted them (1 until it has). Each connection's Heartland pacing is split among them.",
	})
	m.fleet.Set(1)
	for _, c := range []prometheus.Collector{
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.apiRequests, m.apiDuration, m.quota, m.webhooks, m.webhookAnswer, m.inventoryLag, m.workflows, m.fleet,
	} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: register: %w", err)
		}
	}
	exporter, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("metrics: prometheus exporter for the Temporal SDK: %w", err)
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter), sdkmetric.WithView(sdkLatencyBuckets))
	m.sdk = temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: provider.Meter("temporal-sdk-go"),
		// A metric the meter cannot make is not worth stopping a worker for.
		OnError:              func(error) {},
		UseMonotonicCounters: true,
	})
	return m, nil
}

// sdkTimerBoundaries are the buckets of the SDK's timers, in seconds.
// OpenTelemetry's default boundaries (0, 5, 10, 25 … 10000) are made for
// milliseconds; the SDK records seconds, so with them every request,
// schedule-to-start and execution latency of a healthy worker fell in the
// first bucket and a p95 read from it said nothing (the dashboard's
// schedule-to-start panel showed about 4.75 s whatever the truth). These
// run from a millisecond to the minute of a long poll.
var sdkTimerBoundaries = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120}

// sdkLatencyBuckets gives every histogram of the SDK's meter those
// buckets: the SDK's only histograms are its timers.
var sdkLatencyBuckets = sdkmetric.NewView(sdkmetric.Instrument{Kind: sdkmetric.InstrumentKindHistogram},
	sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: sdkTimerBoundaries}})

// SDKHandler is the Temporal client's MetricsHandler (client.Options):
// the SDK's metrics land in this registry. Nil Metrics: the SDK's default.
func (m *Metrics) SDKHandler() client.MetricsHandler {
	if m == nil {
		return nil
	}
	return m.sdk
}

// Handler serves the registry in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Registry is the underlying registry, for tests that gather directly.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }
