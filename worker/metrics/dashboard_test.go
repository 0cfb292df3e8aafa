package metrics_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	workflowpb "go.temporal.io/api/workflow/v1"

	"github.com/hrbc/hrbc/worker/metrics"
	"github.com/hrbc/hrbc/workflows"
)

// dashboardPath is the Grafana dashboard compose.yaml provisions.
const dashboardPath = "../../deployments/grafana/hrbc-dashboard.json"

// temporalScraped are the temporal_* names the dashboard may use, copied
// from a real scrape of the sandbox worker (the SDK's metrics come through
// the OpenTelemetry exporter, which adds _seconds to timers and _total to
// counters). They cannot be gathered from metrics.New(): the SDK exports a
// metric only once a running worker records it.
var temporalScraped = []string{
	"temporal_activity_execution_latency_seconds_bucket",
	"temporal_sticky_cache_hit_total",
	"temporal_sticky_cache_size",
	"temporal_worker_task_slots_available",
	"temporal_worker_task_slots_used",
	"temporal_workflow_task_schedule_to_start_latency_seconds_bucket",
}

// temporalOnFailure are SDK counters a healthy worker never records, so
// the scrape above lacks them: the names of go.temporal.io/sdk v1.50.0
// internal/common/metrics/constants.go (TemporalRequestFailure,
// TemporalLongRequestFailure, StickyCacheMiss). The test records them
// through the SDK handler to check the exporter's name for each.
var temporalOnFailure = map[string]string{
	"temporal_request_failure":      "temporal_request_failure_total",
	"temporal_long_request_failure": "temporal_long_request_failure_total",
	"temporal_sticky_cache_miss":    "temporal_sticky_cache_miss_total",
}

// dashboard is the part of Grafana's JSON model the test reads.
type dashboard struct {
	Panels []panel `json:"panels"`
}

type panel struct {
	Type    string `json:"type"`
	Title   string `json:"title"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // a collapsed row's
}

var (
	// What in a PromQL expression is not a metric name: string literals,
	// label matchers, range and subquery brackets, the label lists of by,
	// without, on, ignoring and group_*, and numbers and durations.
	promStrings  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	promMatchers = regexp.MustCompile(`\{[^}]*\}|\[[^\]]*\]`)
	promLabels   = regexp.MustCompile(`(?i)\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promNumbers  = regexp.MustCompile(`\b[0-9][0-9a-zA-Z_.]*`) // 0.95, 5m, 1e3
	// An identifier not followed by "(" (a function) is a metric name,
	// unless it is one of PromQL's keywords.
	promIdent    = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`)
	promKeywords = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true,
		"inf": true, "nan": true, "by": true, "without": true, "on": true, "ignoring": true,
		"group_left": true, "group_right": true}
)

// metricNames returns the metric names expr selects.
func metricNames(expr string) []string {
	expr = promStrings.ReplaceAllString(expr, `""`)
	expr = promMatchers.ReplaceAllString(expr, " ")
	expr = promLabels.ReplaceAllString(expr, " ")
	expr = promNumbers.ReplaceAllString(expr, " ")
	var names []string
	for _, m := range promIdent.FindAllStringSubmatch(expr, -1) {
		if m[1] != "" || promKeywords[strings.ToLower(m[0])] {
			continue
		}
		names = append(names, m[0])
	}
	return names
}

// readDashboard parses the dashboard and flattens its panels (rows'
// nested ones included).
func readDashboard(t *testing.T) []panel {
	t.Helper()
	raw, err := os.ReadFile(dashboardPath)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("%s does not parse: %v", dashboardPath, err)
	}
	var all []panel
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			all = append(all, p)
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	if len(all) == 0 {
		t.Fatalf("%s has no panels", dashboardPath)
	}
	return all
}

// exportedNames records through every hrbc collector and the SDK handler
// once, so each family exists, and returns the sample names a scrape can
// hold: histograms' and summaries' with their _bucket, _sum and _count.
func exportedNames(t *testing.T) map[string]bool {
	t.Helper()
	m := newMetrics(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	res, err := (&http.Client{Transport: m.Transport("shop-1", metrics.SideBigCommerce, nil)}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	m.WatchQuota("shop-1", metrics.SideBigCommerce, func() (float64, float64, bool) { return 1, 150, true })
	m.WebhookDelivered("bigcommerce", "shop-1", http.StatusNoContent, time.Millisecond)
	m.InventoryLag("shop-1", time.Second)
	conn, stage, attn := workflows.ConnectionAttr.GetName(), workflows.StageAttr.GetName(), workflows.AttentionAttr.GetName()
	m.WatchWorkflows(&fakeLister{byQuery: map[string][]*workflowpb.WorkflowExecutionInfo{
		"WorkflowType = 'Order' AND ExecutionStatus = 'Running'": {
			execution(t, "Order", map[string]string{conn: "shop-1", stage: workflows.OrderStageAwaitingDistribution})},
		metrics.AttentionQuery: {execution(t, "Order", map[string]string{conn: "shop-1", attn: "why"})},
	}}, time.Hour)
	for base := range temporalOnFailure {
		m.SDKHandler().Counter(base).Inc(1)
	}

	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
		switch f.GetType() {
		case dto.MetricType_HISTOGRAM, dto.MetricType_SUMMARY:
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				names[f.GetName()+suffix] = true
			}
		}
	}
	return names
}

func TestDashboardUsesOnlyExportedMetrics(t *testing.T) {
	panels := readDashboard(t)
	exported := exportedNames(t)
	for base, name := range temporalOnFailure {
		if !exported[name] {
			t.Errorf("the SDK's %s is not exported as %s", base, name)
		}
	}
	allowed := map[string]bool{}
	for _, name := range temporalScraped {
		allowed[name] = true
	}
	for _, name := range temporalOnFailure {
		allowed[name] = true
	}

	used := map[string]bool{}
	exprs := 0
	for i, p := range panels {
		if strings.TrimSpace(p.Title) == "" {
			t.Errorf("panel %d (%s) has no title", i, p.Type)
		}
		for _, target := range p.Targets {
			if target.Expr == "" {
				continue
			}
			exprs++
			names := metricNames(target.Expr)
			if len(names) == 0 {
				t.Errorf("panel %q: no metric in %s", p.Title, target.Expr)
			}
			for _, name := range names {
				used[name] = true
				var ok bool
				switch {
				case strings.HasPrefix(name, "temporal_"):
					ok = allowed[name]
				case strings.HasPrefix(name, metrics.Namespace+"_"),
					strings.HasPrefix(name, "go_"), strings.HasPrefix(name, "process_"):
					ok = exported[name]
				}
				if !ok {
					t.Errorf("panel %q uses %s, which the worker does not export (expr: %s)", p.Title, name, target.Expr)
				}
			}
		}
	}
	if exprs == 0 {
		t.Fatal("no panel has a query")
	}
	// The allow-lists name what the dashboard uses, nothing more, so an
	// entry cannot outlive the panel that needed it.
	for _, name := range slices.Concat(temporalScraped, mapValues(temporalOnFailure)) {
		if !used[name] {
			t.Errorf("allow-listed %s is used by no panel: remove it", name)
		}
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

func TestMetricNamesOfAnExpression(t *testing.T) {
	got := metricNames(`sum by (connection, le) (rate(hrbc_inventory_lag_seconds_bucket{job=~"$job", connection=~"a|b"}[$__rate_interval]))` +
		` / on(instance) group_left(x) go_goroutines offset 5m and bool process_open_fds{a="hrbc_fake"} or vector(0)`)
	want := []string{"hrbc_inventory_lag_seconds_bucket", "go_goroutines", "process_open_fds"}
	if !slices.Equal(got, want) {
		t.Errorf("metricNames = %v, want %v", got, want)
	}
}
