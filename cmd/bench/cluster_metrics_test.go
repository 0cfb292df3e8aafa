package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestScrapeWorkersSumsCountersAndTakesTheLargestGauge reads two workers'
// expositions: counters add up, the namespace-wide order gauge does not.
func TestScrapeWorkersSumsCountersAndTakesTheLargestGauge(t *testing.T) {
	worker := func(text string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; version=0.0.4")
			_, _ = w.Write([]byte(text))
		}))
	}
	a := worker(`# TYPE hrbc_api_requests_total counter
hrbc_api_requests_total{code="200",connection="s1",side="bigcommerce"} 10
hrbc_api_requests_total{code="429",connection="s1",side="bigcommerce"} 2
# TYPE hrbc_orders gauge
hrbc_orders{connection="s1",stage="fulfilling"} 3
hrbc_orders{connection="s2",stage="fulfilling"} 1
# TYPE hrbc_webhook_deliveries_total counter
hrbc_webhook_deliveries_total{connection="s1",outcome="accepted",platform="bigcommerce"} 5
`)
	defer a.Close()
	b := worker(`# TYPE hrbc_api_requests_total counter
hrbc_api_requests_total{code="200",connection="s2",side="bigcommerce"} 4
# TYPE hrbc_orders gauge
hrbc_orders{connection="s1",stage="fulfilling"} 3
hrbc_orders{connection="s2",stage="fulfilling"} 1
# TYPE hrbc_inventory_lag_seconds histogram
hrbc_inventory_lag_seconds_bucket{connection="s1",le="+Inf"} 2
hrbc_inventory_lag_seconds_sum{connection="s1"} 1.5
hrbc_inventory_lag_seconds_count{connection="s1"} 2
`)
	defer b.Close()
	m, err := scrapeWorkers(context.Background(), []string{strings.TrimPrefix(a.URL, "http://"), strings.TrimPrefix(b.URL, "http://")})
	if err != nil {
		t.Fatal(err)
	}
	if m.Scraped != 2 || m.Requests["bigcommerce 200"] != 14 || m.Requests["bigcommerce 429"] != 2 {
		t.Errorf("requests %v from %d workers", m.Requests, m.Scraped)
	}
	if m.Orders["fulfilling"] != 4 {
		t.Errorf("orders by stage %v: want 4 fulfilling (both workers report the same 4)", m.Orders)
	}
	if m.Webhooks["bigcommerce accepted"] != 5 || m.LagCount != 2 || m.LagSum != 1.5 {
		t.Errorf("webhooks %v, lag %v/%v", m.Webhooks, m.LagCount, m.LagSum)
	}
	b.Close()
	if _, err := scrapeWorkers(context.Background(), []string{strings.TrimPrefix(b.URL, "http://")}); err == nil {
		t.Error("a worker that does not answer is not reported")
	}
}
