package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// IdleConfig sizes the idle scenario.
type IdleConfig struct {
	// Connections are created, each with inventory and order sync on.
	Connections int
	// Warmup is waited after every first full sync, before counting.
	Warmup time.Duration
	// Minutes is how long the idle connections are watched.
	Minutes float64
	// SKUs are linked per shop (the fakes are shared by all connections).
	SKUs int
}

// IdleWorkflow is what one kind of workflow cost per idle connection.
type IdleWorkflow struct {
	Kind string `json:"kind"`
	// Events are the history events written in the window, summed over the
	// connections (and over the runs continue-as-new started).
	Events int `json:"events"`
	// Actions estimate Temporal Cloud's billable actions among them.
	Actions int `json:"actions"`
	// Heartbeats estimate the activity heartbeats that reached the server.
	Heartbeats int `json:"heartbeats_estimated"`
	// PerDay are events, actions and heartbeats per connection per day.
	EventsPerDay     float64 `json:"events_per_connection_day"`
	ActionsPerDay    float64 `json:"actions_per_connection_day"`
	HeartbeatsPerDay float64 `json:"heartbeats_per_connection_day"`
	// ByType counts the window's events by type, to tell what they were.
	ByType map[string]int `json:"events_by_type,omitempty"`
}

// IdleResult are the idle scenario's figures.
type IdleResult struct {
	Config    IdleConfig     `json:"config"`
	Window    time.Duration  `json:"window_ns"`
	Workflows []IdleWorkflow `json:"workflows"`
	// Calls are the API calls of the window, both fakes, all connections.
	Calls SideCounts `json:"calls"`
	// Routes are those calls per route.
	Routes map[string]int `json:"routes"`
}

// idleKinds are the long-lived workflows of a connection, by kind.
var idleKinds = []struct {
	kind string
	id   func(string) string
}{
	{"connection", workflows.ConnectionWorkflowID},
	{"inventory", workflows.InventoryWorkflowID},
	{"order-sweep", workflows.OrderSweepWorkflowID},
	{"heartland-sweep", workflows.HeartlandSweepWorkflowID},
	{"catalog-follow", workflows.CatalogFollowWorkflowID},
}

func idleCommand(c *common) *cobra.Command {
	cfg := IdleConfig{}
	cmd := &cobra.Command{
		Use:   "idle",
		Short: "Idle connections on the embedded stack: history events, billable actions and API calls per idle connection per day",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := commandContext(c.timeout)
			defer cancel()
			progress := func(s string) { fmt.Fprintf(cmd.ErrOrStderr(), "%s %s\n", time.Now().Format("15:04:05"), s) }
			report := NewReport(c.settings())
			res, rows, err := RunIdle(ctx, c.fakeOptions(), cfg, c.logger(), progress)
			if err != nil {
				rows = append(rows, Row{Figure: "error", Value: err.Error()})
			}
			report.Add("idle", res, rows)
			if werr := report.Write(cmd.OutOrStdout(), c.json); werr != nil {
				return werr
			}
			return err
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Connections, "connections", 1, "idle connections (inventory and order sync on)")
	f.Float64Var(&cfg.Minutes, "minutes", 10, "minutes the idle connections are watched")
	f.DurationVar(&cfg.Warmup, "warmup", 30*time.Second, "wait after the first full syncs before counting")
	f.IntVar(&cfg.SKUs, "skus", 20, "linked SKUs of the shared shop")
	return cmd
}

// RunIdle creates idle connections, lets them settle, and counts what
// their workflows write to the server in the window.
func RunIdle(ctx context.Context, opts FakeOptions, cfg IdleConfig, logger *slog.Logger, progress func(string)) (IdleResult, []Row, error) {
	cfg.Connections = max(cfg.Connections, 1)
	res := IdleResult{Config: cfg}
	srv, err := StartServer(logger)
	if err != nil {
		return res, nil, err
	}
	defer srv.Close()
	fakes, err := StartFakes(opts)
	if err != nil {
		return res, nil, err
	}
	defer fakes.Close()
	ids := make([]string, cfg.Connections)
	confs := make([]config.ConnectionConfig, cfg.Connections)
	for i := range ids {
		ids[i] = fmt.Sprintf("idle%03d", i+1)
		confs[i] = fakes.Connection(ids[i])
	}
	conns, err := worker.NewConnections(confs, logger)
	if err != nil {
		return res, nil, fmt.Errorf("connection clients: %w", err)
	}
	w, err := workertest.StartWorker(workertest.WorkerOptions{Client: srv.Client, TaskQueue: benchTaskQueue, Connections: conns, Logger: logger, KeyRing: srv.Ring})
	if err != nil {
		return res, nil, err
	}
	defer w.Close()
	shop := SeedShop(fakes, ShopSpec{SKUs: cfg.SKUs, HeartlandStock: 10, StoreStock: 1})

	settings := workflows.DefaultSettings()
	settings.InventorySync, settings.OrderSync = true, true
	settings.SourceLocationID = shop.Website.ID
	progress(fmt.Sprintf("idle: creating %d connections", cfg.Connections))
	for _, id := range ids {
		if _, err := srv.Starter.CreateConnection(ctx, id, settings); err != nil {
			return res, nil, fmt.Errorf("create connection %s: %w", id, err)
		}
	}
	for _, id := range ids {
		err := waitUntil(ctx, 200*time.Millisecond, "first full sync of "+id, func() bool {
			p, err := srv.Starter.InventoryProgress(ctx, id)
			return err == nil && p.FullSyncs >= 1 && !p.FullSync.Running
		})
		if err != nil {
			return res, nil, err
		}
	}
	progress(fmt.Sprintf("idle: warming up for %s", cfg.Warmup))
	if !sleepCtx(ctx, cfg.Warmup) {
		return res, nil, ctx.Err()
	}
	marks := map[string]historyMark{}
	for _, id := range ids {
		for _, k := range idleKinds {
			m, err := markHistory(ctx, srv.Client, k.id(id))
			if err != nil {
				return res, nil, err
			}
			marks[k.id(id)] = m
		}
	}
	window := time.Duration(cfg.Minutes * float64(time.Minute))
	before, beforeRoutes := fakes.Counts(), fakes.Routes()
	start := time.Now()
	progress(fmt.Sprintf("idle: watching for %s", window))
	if !sleepCtx(ctx, window) {
		return res, nil, ctx.Err()
	}
	res.Window = time.Since(start)
	res.Calls = fakes.Counts().Sub(before)
	res.Routes = RouteDelta(fakes.Routes(), beforeRoutes)
	end := time.Now()
	days := res.Window.Hours() / 24 * float64(cfg.Connections)
	total := IdleWorkflow{Kind: "all"}
	for _, k := range idleKinds {
		wf := IdleWorkflow{Kind: k.kind}
		for _, id := range ids {
			m := marks[k.id(id)]
			if m.runID == "" {
				continue
			}
			evs, first, err := eventsSince(ctx, srv.Client, k.id(id), m)
			if err != nil {
				return res, nil, err
			}
			c := costOf(evs, first, start, end)
			for _, ev := range evs[first:] {
				if wf.ByType == nil {
					wf.ByType = map[string]int{}
				}
				wf.ByType[ev.GetEventType().String()]++
			}
			wf.Events += c.Events
			wf.Actions += c.Actions
			wf.Heartbeats += c.Heartbeats
		}
		wf.EventsPerDay, wf.ActionsPerDay, wf.HeartbeatsPerDay = float64(wf.Events)/days, float64(wf.Actions+wf.Heartbeats)/days, float64(wf.Heartbeats)/days
		total.Events += wf.Events
		total.Actions += wf.Actions
		total.Heartbeats += wf.Heartbeats
		res.Workflows = append(res.Workflows, wf)
	}
	total.EventsPerDay, total.ActionsPerDay, total.HeartbeatsPerDay = float64(total.Events)/days, float64(total.Actions+total.Heartbeats)/days, float64(total.Heartbeats)/days
	res.Workflows = append(res.Workflows, total)
	return res, idleRows(res), nil
}

// idleRows renders the idle figures.
func idleRows(res IdleResult) []Row {
	rows := []Row{{Figure: "window", Value: fmt.Sprintf("%s × %d connection(s)", fmtDur(res.Window), res.Config.Connections)}}
	for _, wf := range res.Workflows {
		row := Row{Figure: "events / idle connection-day: " + wf.Kind, Value: fmt.Sprintf("%.0f", wf.EventsPerDay)}
		if wf.Kind == "all" {
			row.Target, row.Met = "≤ 1000", met(wf.EventsPerDay <= 1000)
		}
		rows = append(rows, row)
	}
	for _, wf := range res.Workflows {
		rows = append(rows, Row{Figure: "billable actions / idle connection-day: " + wf.Kind,
			Value: fmt.Sprintf("%.0f (heartbeats %.0f)", wf.ActionsPerDay, wf.HeartbeatsPerDay)})
	}
	minutes := res.Window.Minutes() * float64(res.Config.Connections)
	rows = append(rows,
		Row{Figure: "BigCommerce calls / idle connection-minute", Value: fmt.Sprintf("%.1f", float64(res.Calls.BigCommerce.Calls)/minutes)},
		Row{Figure: "Heartland calls / idle connection-minute", Value: fmt.Sprintf("%.1f", float64(res.Calls.Heartland.Calls)/minutes)})
	keys := make([]string, 0, len(res.Routes))
	for k := range res.Routes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rows = append(rows, Row{Figure: "calls / idle connection-minute: " + k, Value: fmt.Sprintf("%.2f", float64(res.Routes[k])/minutes)})
	}
	return rows
}

// historyMark is where a workflow's history stood when the window opened.
type historyMark struct {
	runID  string
	events int
}

// markHistory records the current run of a workflow and its length; a
// workflow that does not exist gives an empty mark.
func markHistory(ctx context.Context, c client.Client, workflowID string) (historyMark, error) {
	d, err := c.DescribeWorkflowExecution(ctx, workflowID, "")
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return historyMark{}, nil
	}
	if err != nil {
		return historyMark{}, fmt.Errorf("describe %s: %w", workflowID, err)
	}
	info := d.GetWorkflowExecutionInfo()
	return historyMark{runID: info.GetExecution().GetRunId(), events: int(info.GetHistoryLength())}, nil
}

// eventsSince returns the history from the mark's run on, following
// continue-as-new into the runs it started, and the index of the first
// event written after the mark.
func eventsSince(ctx context.Context, c client.Client, workflowID string, m historyMark) ([]*historypb.HistoryEvent, int, error) {
	var out []*historypb.HistoryEvent
	runID := m.runID
	for runID != "" {
		it := c.GetWorkflowHistory(ctx, workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		var last *historypb.HistoryEvent
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				return out, 0, fmt.Errorf("history of %s: %w", workflowID, err)
			}
			last = ev
			out = append(out, ev)
		}
		runID = ""
		if a := last.GetWorkflowExecutionContinuedAsNewEventAttributes(); a != nil {
			runID = a.GetNewExecutionRunId()
		}
	}
	return out, min(m.events, len(out)), nil
}

// historyCost is what a stretch of history cost.
type historyCost struct {
	Events, Actions, Heartbeats int
}

// maxHeartbeatThrottle is the worker's cap on the interval between the
// heartbeats it sends (its SDK option MaxHeartbeatThrottleInterval).
const maxHeartbeatThrottle = worker.MaxHeartbeatThrottleInterval

// localActivityMarker is the name of the marker a local activity's outcome
// is recorded in.
const localActivityMarker = "LocalActivity"

// onlyChangeVersion reports whether an upsert of search attributes is the
// SDK's own of TemporalChangeVersion, which Temporal Cloud does not bill.
func onlyChangeVersion[V any](fields map[string]V) bool {
	_, ok := fields["TemporalChangeVersion"]
	return ok && len(fields) == 1
}

// costOf counts the events from index first on, the billable actions among
// them (Temporal Cloud's: workflow started or continued, timer, activity
// attempt, child started, signal sent or received, update, search
// attributes upserted but for the SDK's TemporalChangeVersion, and one for
// all the local activities of a workflow task; version markers are free)
// and estimates the heartbeats sent between from and to:
// the SDK sends one at once and then at most one per 80 % of the heartbeat
// timeout (capped at maxHeartbeatThrottle), so an activity that beats throughout sends
// about its running time over that interval. The events before first are
// read for the activities still running when the window opened.
func costOf(evs []*historypb.HistoryEvent, first int, from, to time.Time) historyCost {
	c := historyCost{Events: len(evs) - first}
	type running struct {
		throttle time.Duration
		since    time.Time
	}
	open := map[int64]running{}
	closeActivity := func(id int64, at time.Time) {
		r, ok := open[id]
		if !ok {
			return
		}
		delete(open, id)
		since := r.since
		if since.Before(from) {
			since = from
		}
		if r.throttle > 0 && at.After(since) {
			c.Heartbeats += int(at.Sub(since) / r.throttle)
			if !r.since.Before(from) {
				c.Heartbeats++ // the first beat goes at once
			}
		}
	}
	// Workflow tasks (by their completed event) whose local activities
	// were counted.
	localTasks := map[int64]bool{}
	for i, ev := range evs {
		at := ev.GetEventTime().AsTime()
		counted := i >= first
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, enumspb.EVENT_TYPE_TIMER_STARTED,
			enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
			enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			if counted {
				c.Actions++
			}
		case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
			if counted && !onlyChangeVersion(ev.GetUpsertWorkflowSearchAttributesEventAttributes().GetSearchAttributes().GetIndexedFields()) {
				c.Actions++
			}
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			a := ev.GetMarkerRecordedEventAttributes()
			if counted && a.GetMarkerName() == localActivityMarker && !localTasks[a.GetWorkflowTaskCompletedEventId()] {
				localTasks[a.GetWorkflowTaskCompletedEventId()] = true
				c.Actions++
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			var throttle time.Duration
			if h := ev.GetActivityTaskScheduledEventAttributes().GetHeartbeatTimeout().AsDuration(); h > 0 {
				throttle = min(h*8/10, maxHeartbeatThrottle)
			}
			// Until its started event (written when it ends), an activity
			// counts as running from its scheduling.
			open[ev.GetEventId()] = running{throttle: throttle, since: at}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			a := ev.GetActivityTaskStartedEventAttributes()
			if counted {
				c.Actions += max(int(a.GetAttempt()), 1)
			}
			if r, ok := open[a.GetScheduledEventId()]; ok {
				r.since = at
				open[a.GetScheduledEventId()] = r
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			closeActivity(ev.GetActivityTaskCompletedEventAttributes().GetScheduledEventId(), at)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_FAILED:
			closeActivity(ev.GetActivityTaskFailedEventAttributes().GetScheduledEventId(), at)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
			closeActivity(ev.GetActivityTaskTimedOutEventAttributes().GetScheduledEventId(), at)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
			closeActivity(ev.GetActivityTaskCanceledEventAttributes().GetScheduledEventId(), at)
		}
	}
	for id := range open {
		closeActivity(id, to)
	}
	return c
}
