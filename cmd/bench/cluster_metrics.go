package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// WorkerMetrics is what the cluster's workers said on their /metrics at
// the end of a run, summed over the workers (counters count since each
// worker's last start: a killed worker's are lost with it).
type WorkerMetrics struct {
	// Scraped is how many workers answered.
	Scraped int `json:"scraped"`
	// Requests are API requests by side and answer ("bigcommerce 200").
	Requests map[string]float64 `json:"api_requests"`
	// Webhooks are deliveries by platform and outcome.
	Webhooks map[string]float64 `json:"webhook_deliveries"`
	// Orders are running orders by stage (the largest any worker reports:
	// they all read the same visibility store).
	Orders map[string]float64 `json:"orders_by_stage"`
	// LagCount and LagSum are the inventory lag histogram's count and sum.
	LagCount float64 `json:"inventory_lag_count"`
	LagSum   float64 `json:"inventory_lag_sum_seconds"`
}

// scrapeWorkers reads every worker's /metrics.
func scrapeWorkers(ctx context.Context, addrs []string) (WorkerMetrics, error) {
	out := WorkerMetrics{Requests: map[string]float64{}, Webhooks: map[string]float64{}, Orders: map[string]float64{}}
	hc := &http.Client{Timeout: 20 * time.Second}
	var failures []string
	for _, addr := range addrs {
		families, err := scrapeOne(ctx, hc, "http://"+addr+"/metrics")
		if err != nil {
			failures = append(failures, err.Error())
			continue
		}
		out.Scraped++
		out.add(families)
	}
	if len(failures) > 0 {
		return out, fmt.Errorf("metrics: %s", strings.Join(failures, "; "))
	}
	return out, nil
}

func scrapeOne(ctx context.Context, hc *http.Client, url string) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	var parser expfmt.TextParser
	families, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	return families, nil
}

// add sums one worker's families into m.
func (m *WorkerMetrics) add(families map[string]*dto.MetricFamily) {
	for _, s := range families["hrbc_api_requests_total"].GetMetric() {
		m.Requests[label(s, "side")+" "+label(s, "code")] += s.GetCounter().GetValue()
	}
	for _, s := range families["hrbc_webhook_deliveries_total"].GetMetric() {
		m.Webhooks[label(s, "platform")+" "+label(s, "outcome")] += s.GetCounter().GetValue()
	}
	stages := map[string]float64{}
	for _, s := range families["hrbc_orders"].GetMetric() {
		stages[label(s, "stage")] += s.GetGauge().GetValue()
	}
	for stage, n := range stages {
		m.Orders[stage] = max(m.Orders[stage], n)
	}
	for _, s := range families["hrbc_inventory_lag_seconds"].GetMetric() {
		m.LagCount += float64(s.GetHistogram().GetSampleCount())
		m.LagSum += s.GetHistogram().GetSampleSum()
	}
}

// label is a sample's label value.
func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// String is one line per kind, keys sorted.
func (m WorkerMetrics) String() string {
	return fmt.Sprintf("workers' /metrics (%d answered): API requests %s; webhooks %s; running orders by stage %s; inventory lag observations %.0f",
		m.Scraped, sortedPairs(m.Requests), sortedPairs(m.Webhooks), sortedPairs(m.Orders), m.LagCount)
}

func sortedPairs(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %.0f", k, m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
