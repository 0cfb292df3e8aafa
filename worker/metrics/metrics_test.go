package metrics_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hrbc/hrbc/worker/metrics"
	"github.com/hrbc/hrbc/workflows"
)

func newMetrics(t *testing.T) *metrics.Metrics {
	t.Helper()
	m, err := metrics.New()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// scrape returns the endpoint's text.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape answered %d", rec.Code)
	}
	return rec.Body.String()
}

// wantLine fails unless the scrape has a sample line starting with prefix
// (the metric and its labels) and ending in value.
func wantLine(t *testing.T, text, prefix, value string) {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) && strings.HasSuffix(line, " "+value) {
			return
		}
	}
	t.Errorf("no %s ... %s in the scrape:\n%s", prefix, value, grep(text, strings.SplitN(prefix, "{", 2)[0]))
}

// sampleValue is the value of the sample line starting with prefix.
func sampleValue(t *testing.T, text, prefix string) float64 {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix+" ") {
			v, err := strconv.ParseFloat(strings.TrimPrefix(line, prefix+" "), 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	t.Fatalf("no %s in the scrape", prefix)
	return 0
}

func grep(text, name string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, name) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func TestTransportCountsEveryAnswerPerConnectionAndSide(t *testing.T) {
	m := newMetrics(t)
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
	defer srv.Close()
	hc := &http.Client{Transport: m.Transport("shop-1", metrics.SideBigCommerce, nil)}
	get := func() {
		res, err := hc.Get(srv.URL)
		if err == nil {
			res.Body.Close()
		}
	}
	get()
	get()
	status = http.StatusTooManyRequests
	get()
	srv.Close()
	get() // no answer at all

	text := scrape(t, m)
	wantLine(t, text, `hrbc_api_requests_total{code="200",connection="shop-1",side="bigcommerce"}`, "2")
	wantLine(t, text, `hrbc_api_requests_total{code="429",connection="shop-1",side="bigcommerce"}`, "1")
	wantLine(t, text, `hrbc_api_requests_total{code="error",connection="shop-1",side="bigcommerce"}`, "1")
	wantLine(t, text, `hrbc_api_request_duration_seconds_count{connection="shop-1",side="bigcommerce"}`, "3")
}

func TestQuotaIsReadAtScrapeAndReplacedByANewClient(t *testing.T) {
	m := newMetrics(t)
	left := 140.0
	m.WatchQuota("shop-1", metrics.SideBigCommerce, func() (float64, float64, bool) { return left, 150, true })
	m.WatchQuota("shop-1", metrics.SideHeartland, func() (float64, float64, bool) { return 0, 0, false })
	text := scrape(t, m)
	wantLine(t, text, `hrbc_api_quota_remaining{connection="shop-1",side="bigcommerce"}`, "140")
	wantLine(t, text, `hrbc_api_quota_limit{connection="shop-1",side="bigcommerce"}`, "150")
	if strings.Contains(text, `side="heartland"`) {
		t.Errorf("a quota not known yet is reported:\n%s", grep(text, "hrbc_api_quota"))
	}
	left = 3
	wantLine(t, scrape(t, m), `hrbc_api_quota_remaining{connection="shop-1",side="bigcommerce"}`, "3")
	// Credentials moved on: the rebuilt client's reader replaces the old.
	m.WatchQuota("shop-1", metrics.SideBigCommerce, func() (float64, float64, bool) { return 99, 150, true })
	wantLine(t, scrape(t, m), `hrbc_api_quota_remaining{connection="shop-1",side="bigcommerce"}`, "99")
}

func TestWebhookOutcomesNameOnlyAuthenticatedConnections(t *testing.T) {
	m := newMetrics(t)
	m.WebhookDelivered("bigcommerce", "shop-1", http.StatusNoContent, 30*time.Millisecond)
	m.WebhookDelivered("heartland", "shop-1", http.StatusAccepted, time.Millisecond)
	m.WebhookDelivered("bigcommerce", "shop-1", http.StatusAccepted, time.Millisecond)
	m.WebhookDelivered("bigcommerce", "shop-1", http.StatusServiceUnavailable, 10*time.Second)
	m.WebhookDelivered("bigcommerce", "shop-1", http.StatusBadRequest, time.Millisecond)
	m.WebhookDelivered("bigcommerce", "made-up-1", http.StatusUnauthorized, time.Millisecond)
	m.WebhookDelivered("bigcommerce", "made-up-2", http.StatusTooManyRequests, time.Millisecond)
	text := scrape(t, m)
	wantLine(t, text, `hrbc_webhook_deliveries_total{connection="shop-1",outcome="accepted",platform="bigcommerce"}`, "1")
	wantLine(t, text, `hrbc_webhook_deliveries_total{connection="shop-1",outcome="accepted",platform="heartland"}`, "1")
	wantLine(t, text, `hrbc_webhook_deliveries_total{connection="shop-1",outcome="failed",platform="bigcommerce"}`, "1")
	wantLine(t, text, `hrbc_webhook_deliveries_total{connection="shop-1",outcome="held",platform="bigcommerce"}`, "1")
	wantLine(t, text, `hrbc_webhook_deliveries_total{connection="shop-1",outcome="refused",platform="bigcommerce"}`, "1")
	wantLine(t, text, `hrbc_webhook_deliveries_total{connection="",outcome="refused",platform="bigcommerce"}`, "2")
	if strings.Contains(text, "made-up") {
		t.Error("a refused delivery's connection reached the registry")
	}
	// The answer times: the accepted order took 30 ms, the failed one the
	// intake's whole 10 s.
	wantLine(t, text, `hrbc_webhook_answer_seconds_bucket{outcome="accepted",platform="bigcommerce",le="0.025"}`, "0")
	wantLine(t, text, `hrbc_webhook_answer_seconds_bucket{outcome="accepted",platform="bigcommerce",le="0.05"}`, "1")
	wantLine(t, text, `hrbc_webhook_answer_seconds_bucket{outcome="failed",platform="bigcommerce",le="5"}`, "0")
	wantLine(t, text, `hrbc_webhook_answer_seconds_count{outcome="refused",platform="bigcommerce"}`, "3")
}

func TestInventoryLagNeverNegative(t *testing.T) {
	m := newMetrics(t)
	m.InventoryLag("shop-1", 1500*time.Millisecond)
	m.InventoryLag("shop-1", -time.Second) // Heartland's clock ahead of ours
	text := scrape(t, m)
	wantLine(t, text, `hrbc_inventory_lag_seconds_count{connection="shop-1"}`, "2")
	wantLine(t, text, `hrbc_inventory_lag_seconds_sum{connection="shop-1"}`, "1.5")
}

func TestFleetSizeStartsAloneAndFollowsTheCount(t *testing.T) {
	m := newMetrics(t)
	wantLine(t, scrape(t, m), `hrbc_fleet_workers`, "1")
	m.FleetSize(3)
	wantLine(t, scrape(t, m), `hrbc_fleet_workers`, "3")
}

func TestNilMetricsRecordNothingAndDoNotPanic(t *testing.T) {
	var m *metrics.Metrics
	m.WebhookDelivered("bigcommerce", "x", 204, time.Millisecond)
	m.InventoryLag("x", time.Second)
	m.FleetSize(2)
	m.WatchQuota("x", metrics.SideHeartland, func() (float64, float64, bool) { return 1, 1, true })
	m.WatchWorkflows(&fakeLister{}, 0)
	if m.SDKHandler() != nil {
		t.Error("nil metrics handed the SDK a handler")
	}
	if rt := m.Transport("x", metrics.SideHeartland, nil); rt != http.DefaultTransport {
		t.Errorf("nil metrics wrapped the transport: %T", rt)
	}
}

func TestSDKMetricsLandInTheRegistry(t *testing.T) {
	m := newMetrics(t)
	h := m.SDKHandler().WithTags(map[string]string{"namespace": "default"})
	h.Counter("temporal_request").Inc(3)
	h.Timer("temporal_request_latency").Record(250 * time.Millisecond)
	text := scrape(t, m)
	wantLine(t, text, `temporal_request_total{namespace="default"}`, "3")
	// The SDK records seconds: a quarter of a second lands below 0.5 and
	// not below 0.1, so a quantile read from the buckets means something.
	wantLine(t, text, `temporal_request_latency_seconds_bucket{namespace="default",le="0.1"}`, "0")
	wantLine(t, text, `temporal_request_latency_seconds_bucket{namespace="default",le="0.5"}`, "1")
}

// fakeLister answers visibility queries from fixed executions.
type fakeLister struct {
	byQuery map[string][]*workflowpb.WorkflowExecutionInfo
	err     error
	calls   int
}

func (f *fakeLister) ListAll(_ context.Context, query string, visit func(*workflowpb.WorkflowExecutionInfo)) error {
	f.calls++
	if f.err != nil {
		return f.err
	}
	for _, e := range f.byQuery[query] {
		visit(e)
	}
	return nil
}

func execution(t *testing.T, typ string, attrs map[string]string) *workflowpb.WorkflowExecutionInfo {
	t.Helper()
	fields := map[string]*commonpb.Payload{}
	for k, v := range attrs {
		p, err := converter.GetDefaultDataConverter().ToPayload(v)
		if err != nil {
			t.Fatal(err)
		}
		fields[k] = p
	}
	return &workflowpb.WorkflowExecutionInfo{Type: &commonpb.WorkflowType{Name: typ}, StartTime: timestamppb.Now(),
		SearchAttributes: &commonpb.SearchAttributes{IndexedFields: fields}}
}

func TestWorkflowGaugesCountByConnectionAndStageAndKeepTheLastReadingOnError(t *testing.T) {
	m := newMetrics(t)
	conn, stage, attn := workflows.ConnectionAttr.GetName(), workflows.StageAttr.GetName(), workflows.AttentionAttr.GetName()
	order := func(c, s string) *workflowpb.WorkflowExecutionInfo {
		return execution(t, "Order", map[string]string{conn: c, stage: s})
	}
	now := time.Now()
	waitingLong := order("shop-1", workflows.OrderStageAwaitingDistribution)
	waitingLong.StartTime = timestamppb.New(now.Add(-3 * time.Hour))
	waitingShort := order("shop-1", workflows.OrderStageAwaitingDistribution)
	waitingShort.StartTime = timestamppb.New(now.Add(-time.Minute))
	f := &fakeLister{byQuery: map[string][]*workflowpb.WorkflowExecutionInfo{
		"WorkflowType = 'Order' AND ExecutionStatus = 'Running'": {
			waitingShort, waitingLong,
			order("shop-1", workflows.OrderStageFulfilling), order("shop-2", workflows.OrderStageAttention),
		},
		metrics.AttentionQuery: {
			execution(t, "Order", map[string]string{conn: "shop-2", attn: "SKU-9 not in Heartland"}),
			execution(t, "InventorySync", map[string]string{conn: "shop-1", attn: "held"}),
		},
	}}
	m.WatchWorkflows(f, time.Hour)
	text := scrape(t, m)
	wantLine(t, text, `hrbc_orders{connection="shop-1",stage="awaiting_distribution"}`, "2")
	wantLine(t, text, `hrbc_orders{connection="shop-1",stage="fulfilling"}`, "1")
	wantLine(t, text, `hrbc_orders{connection="shop-2",stage="attention"}`, "1")
	if age := sampleValue(t, text, `hrbc_order_oldest_seconds{connection="shop-1",stage="awaiting_distribution"}`); age < 3*3600 || age > 3*3600+60 {
		t.Errorf("oldest order awaiting distribution is %v s old, want the 3 h one", age)
	}
	wantLine(t, text, `hrbc_attention{connection="shop-2",workflow_type="Order"}`, "1")
	wantLine(t, text, `hrbc_attention{connection="shop-1",workflow_type="InventorySync"}`, "1")

	// Within maxAge a scrape reuses the reading: no visibility query.
	calls := f.calls
	scrape(t, m)
	if f.calls != calls {
		t.Errorf("a scrape within maxAge queried visibility again (%d → %d calls)", calls, f.calls)
	}

	// A failed reading keeps the figures and is counted.
	m2 := newMetrics(t)
	f.err = errors.New("visibility unavailable")
	m2.WatchWorkflows(f, time.Nanosecond)
	text = scrape(t, m2)
	wantLine(t, text, "hrbc_visibility_read_errors_total", "1")
	if strings.Contains(text, "hrbc_orders{") {
		t.Errorf("orders reported without a reading:\n%s", grep(text, "hrbc_orders"))
	}
}
