package metrics

import (
	"context"
	"sort"
	"sync"
	"time"

	workflowpb "go.temporal.io/api/workflow/v1"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// Visibility queries behind the workflow gauges.
const (
	runningOrdersQuery = "WorkflowType = 'Order' AND ExecutionStatus = 'Running'"
	// AttentionQuery is the attention listing's query (starter.AttentionQuery).
	AttentionQuery = starter.AttentionQuery
)

// DefaultWorkflowsMaxAge is how long one reading of the visibility store
// serves scrapes: every worker of a fleet answers for the whole namespace,
// and a scrape every few seconds must not become a visibility query storm.
const DefaultWorkflowsMaxAge = 15 * time.Second

// visibilityTimeout bounds one reading (all pages of both queries).
const visibilityTimeout = 10 * time.Second

// WorkflowLister walks every page of a visibility query; *starter.Client
// is one.
type WorkflowLister interface {
	ListAll(ctx context.Context, query string, visit func(*workflowpb.WorkflowExecutionInfo)) error
}

// WatchWorkflows makes scrapes report hrbc_orders (running orders by
// connection and stage) and hrbc_attention (workflows needing a person by
// connection and type), read through lister at most every maxAge (0:
// DefaultWorkflowsMaxAge). Every worker reports the namespace's figures,
// so aggregate them with max, not sum.
func (m *Metrics) WatchWorkflows(lister WorkflowLister, maxAge time.Duration) {
	if m == nil || lister == nil {
		return
	}
	if maxAge <= 0 {
		maxAge = DefaultWorkflowsMaxAge
	}
	m.workflows.mu.Lock()
	defer m.workflows.mu.Unlock()
	m.workflows.lister, m.workflows.maxAge = lister, maxAge
}

// workflowCollector reads the visibility store when scraped, at most every
// maxAge.
type workflowCollector struct {
	orders, oldest, attention, errors *prometheus.Desc

	mu       sync.Mutex
	lister   WorkflowLister
	maxAge   time.Duration
	read     time.Time
	counts   workflowCounts
	failures float64
}

// workflowCounts is one reading: label values to the number of workflows.
type workflowCounts struct {
	orders    map[[2]string]int // connection, stage
	attention map[[2]string]int // connection, workflow type
	// started is the start of the oldest running order per connection
	// and stage.
	started map[[2]string]time.Time
}

func newWorkflowCollector() *workflowCollector {
	return &workflowCollector{
		orders: prometheus.NewDesc(Namespace+"_orders",
			"Running Order workflows by connection and stage (HrbcStage), from Temporal's visibility store; every worker reports the same figures (use max).",
			[]string{"connection", "stage"}, nil),
		oldest: prometheus.NewDesc(Namespace+"_order_oldest_seconds",
			"Age of the oldest running order in each stage by connection, from its workflow's start (an order reaches awaiting_distribution seconds after it starts, so there this is how long it has waited); alert on it, as a count cannot say how long orders have waited.",
			[]string{"connection", "stage"}, nil),
		attention: prometheus.NewDesc(Namespace+"_attention",
			"Workflows that need a person (HrbcAttention set) by connection and workflow type; every worker reports the same figures (use max).",
			[]string{"connection", "workflow_type"}, nil),
		errors: prometheus.NewDesc(Namespace+"_visibility_read_errors_total",
			"Readings of the visibility store for hrbc_orders and hrbc_attention that failed (the previous figures are reported meanwhile).",
			nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (w *workflowCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- w.orders
	ch <- w.oldest
	ch <- w.attention
	ch <- w.errors
}

// Collect implements prometheus.Collector. A failed reading keeps the last
// good figures and counts the failure; the scrape itself never fails on it.
func (w *workflowCollector) Collect(ch chan<- prometheus.Metric) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lister == nil {
		return
	}
	if time.Since(w.read) >= w.maxAge {
		counts, err := readWorkflowCounts(w.lister)
		if err != nil {
			w.failures++
		} else {
			w.counts, w.read = counts, time.Now()
		}
	}
	emit(ch, w.orders, w.counts.orders)
	ages := make(map[[2]string]int, len(w.counts.started))
	now := time.Now()
	for k, at := range w.counts.started {
		ages[k] = int(now.Sub(at).Seconds())
	}
	emit(ch, w.oldest, ages)
	emit(ch, w.attention, w.counts.attention)
	ch <- prometheus.MustNewConstMetric(w.errors, prometheus.CounterValue, w.failures)
}

// emit sends one gauge per label pair, in a stable order.
func emit(ch chan<- prometheus.Metric, desc *prometheus.Desc, counts map[[2]string]int) {
	keys := make([][2]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	for _, k := range keys {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(counts[k]), k[0], k[1])
	}
}

// readWorkflowCounts walks both queries' pages.
func readWorkflowCounts(lister WorkflowLister) (workflowCounts, error) {
	ctx, cancel := context.WithTimeout(context.Background(), visibilityTimeout)
	defer cancel()
	counts := workflowCounts{orders: map[[2]string]int{}, attention: map[[2]string]int{}, started: map[[2]string]time.Time{}}
	err := lister.ListAll(ctx, runningOrdersQuery, func(e *workflowpb.WorkflowExecutionInfo) {
		key := [2]string{starter.Keyword(e, workflows.ConnectionAttr), starter.Keyword(e, workflows.StageAttr)}
		counts.orders[key]++
		if at := e.GetStartTime(); at != nil {
			if first, ok := counts.started[key]; !ok || at.AsTime().Before(first) {
				counts.started[key] = at.AsTime()
			}
		}
	})
	if err != nil {
		return workflowCounts{}, err
	}
	err = lister.ListAll(ctx, AttentionQuery, func(e *workflowpb.WorkflowExecutionInfo) {
		counts.attention[[2]string{starter.Keyword(e, workflows.ConnectionAttr), e.GetType().GetName()}]++
	})
	if err != nil {
		return workflowCounts{}, err
	}
	return counts, nil
}
