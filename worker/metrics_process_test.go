package worker_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/sandbox"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// TestMetricsEndpointFollowsAnOrder runs cmd/worker's embedded default
// with HRBC_METRICS_ADDR, takes a web order from the store through
// distribution and a sale at the register, and reads /metrics as
// Prometheus would: the API calls of both sides, their quotas, the
// store's webhook, the order's stage, the inventory lag and the Temporal
// SDK's own figures all move.
func TestMetricsEndpointFollowsAnOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded server")
	}
	metricsPort := workertest.FreePort(t)
	sp := newSandboxProcess(t, "HRBC_METRICS_ADDR=127.0.0.1:"+strconv.Itoa(metricsPort))
	stop, banner := runProcess(t, sp.environ)
	defer stop()
	endpoint := fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort)
	if !strings.Contains(banner.String(), endpoint) {
		t.Errorf("the banner does not show the metrics endpoint %s:\n%s", endpoint, banner)
	}
	// Profiles are served only with HRBC_PPROF.
	if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/", metricsPort)); err != nil {
		t.Fatal(err)
	} else if resp.Body.Close(); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ without HRBC_PPROF: %d, want 404", resp.StatusCode)
	}
	bcURL, hlURL := sp.bcURL, sp.hlURL
	st, closeClient := sp.dial(t)
	defer closeClient()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	const (
		bcOK        = `hrbc_api_requests_total{code="200",connection="demo",side="bigcommerce"}`
		hlOK        = `hrbc_api_requests_total{code="200",connection="demo",side="heartland"}`
		hookOK      = `hrbc_webhook_deliveries_total{connection="demo",outcome="accepted",platform="bigcommerce"}`
		hookAnswer  = `hrbc_webhook_answer_seconds_count{outcome="accepted",platform="bigcommerce"}`
		awaiting    = `hrbc_orders{connection="demo",stage="awaiting_distribution"}`
		fulfilling  = `hrbc_orders{connection="demo",stage="fulfilling"}`
		lagCount    = `hrbc_inventory_lag_seconds_count{connection="demo"}`
		bcQuota     = `hrbc_api_quota_limit{connection="demo",side="bigcommerce"}`
		hlQuota     = `hrbc_api_quota_limit{connection="demo",side="heartland"}`
		sdkRequests = `temporal_request_total`
	)
	before := scrapeMetrics(t, endpoint)
	var placed struct{ ID int }
	workertest.FakeControl(t, "POST", bcURL+"/__fake/orders", `{"customer_email":"shopper@example.com","lines":[{"sku":"HR-MUG-01","quantity":2}]}`, &placed)
	var state workflows.OrderState
	waitLong(t, "the order awaiting distribution", func() bool {
		var err error
		state, err = st.OrderStatus(ctx, sandbox.DemoConnectionID, placed.ID)
		return err == nil && state.Stage == workflows.OrderStageAwaitingDistribution
	})
	// The sandbox seeds orders of its own (100 and 101, which the order
	// sweep brings in): the gauge must match what the CLI lists, our order
	// among them, once they are past their import. One still importing
	// when the count is taken would join it later, and the count after
	// the distribution below would never be one less.
	waitLong(t, "the seed's orders past their import", func() bool {
		for _, id := range []int{100, 101} {
			s, err := st.OrderStatus(ctx, sandbox.DemoConnectionID, id)
			if err != nil || s.Stage == workflows.OrderStageImporting {
				return false
			}
		}
		return true
	})
	running := func(stage string) float64 {
		list, err := st.ListOrders(ctx, starter.OrderFilter{ConnectionID: sandbox.DemoConnectionID, Stage: stage})
		if err != nil {
			t.Fatal(err)
		}
		n := 0.0
		for _, o := range list {
			if o.Running {
				n++
			}
		}
		return n
	}
	var waiting float64
	waitLong(t, "hrbc_orders to count the order awaiting distribution", func() bool {
		waiting = running(workflows.OrderStageAwaitingDistribution)
		got := sampleOf(scrapeMetrics(t, endpoint), awaiting)
		return got == waiting
	})
	after := scrapeMetrics(t, endpoint)
	for _, series := range []string{bcOK, hlOK, hookOK, hookAnswer, sdkRequests} {
		if sampleOf(after, series) <= sampleOf(before, series) {
			t.Errorf("%s did not move with the order: %v → %v", series, sampleOf(before, series), sampleOf(after, series))
		}
	}
	if q := sampleOf(after, bcQuota); q <= 0 {
		t.Errorf("%s = %v, want the store's quota", bcQuota, q)
	}
	if q := sampleOf(after, hlQuota); q <= 0 {
		t.Errorf("%s = %v, want the Heartland pacing burst", hlQuota, q)
	}

	// Staff distribute it; the gauge follows the stage.
	var mainStreet int64
	for _, l := range state.Locations {
		if l.Name == "Main Street" {
			mainStreet = l.ID
		}
	}
	if _, err := st.DistributeOrder(ctx, sandbox.DemoConnectionID, placed.ID, workflows.DistributeOrderRequest{LocationID: mainStreet}); err != nil {
		t.Fatal(err)
	}
	waitLong(t, "hrbc_orders to move the order to fulfilling", func() bool {
		text := scrapeMetrics(t, endpoint)
		return sampleOf(text, fulfilling) >= 1 && sampleOf(text, awaiting) == waiting-1
	})

	// A sale at the register reaches the store: the lag is measured.
	workertest.FakeControl(t, "POST", hlURL+"/__fake/sale", `{"sku":"HR-CAP-01","qty":1,"location":"Main Street"}`, nil)
	waitLong(t, "an inventory lag observation", func() bool {
		return sampleOf(scrapeMetrics(t, endpoint), lagCount) >= 1
	})
	text := scrapeMetrics(t, endpoint)
	if sum, n := sampleOf(text, `hrbc_inventory_lag_seconds_sum{connection="demo"}`), sampleOf(text, lagCount); sum/n > 60 {
		t.Errorf("inventory lag averages %.1f s over %v writes; the sale was seconds ago", sum/n, n)
	}
	// Alone on its task queue, the worker counts itself once: the identity
	// it polls under is the one it looks for.
	if n := sampleOf(text, `hrbc_fleet_workers`); n != 1 {
		t.Errorf("hrbc_fleet_workers = %v for a worker alone, want 1", n)
	}
}

// waitLong is waitFor with room for the visibility store and the
// metrics' own 15 s reading interval.
func waitLong(t *testing.T, what string, cond func() bool) {
	t.Helper()
	workertest.WaitWithin(t, 90*time.Second, what, cond)
}

// scrapeMetrics reads the endpoint as Prometheus does.
func scrapeMetrics(t *testing.T, endpoint string) string {
	t.Helper()
	res, err := http.Get(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", endpoint, res.StatusCode, err)
	}
	return string(body)
}

// sampleOf sums the samples whose name and labels start with series (a
// bare name sums every label set); absent is 0.
func sampleOf(text, series string) float64 {
	total := 0.0
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "#") || !strings.HasPrefix(line, series) {
			continue
		}
		rest := line[len(series):]
		if !strings.HasPrefix(rest, " ") && !strings.HasPrefix(rest, "{") {
			continue // another metric whose name starts the same
		}
		fields := strings.Fields(line)
		if v, err := strconv.ParseFloat(fields[len(fields)-1], 64); err == nil {
			total += v
		}
	}
	return total
}
