package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Row is one line of the figures table.
type Row struct {
	Scenario string `json:"scenario"`
	Figure   string `json:"figure"`
	Value    string `json:"value"`
	// Target is the published goal, empty when the figure has none.
	Target string `json:"target,omitempty"`
	// Met is "yes", "no" or empty (no target).
	Met string `json:"met,omitempty"`
}

// Report collects the rows and the detailed results of the scenarios run.
type Report struct {
	Machine  Machine        `json:"machine"`
	Settings map[string]any `json:"settings"`
	Results  map[string]any `json:"results"`
	Rows     []Row          `json:"rows"`
}

// NewReport starts an empty report.
func NewReport(settings map[string]any) *Report {
	return &Report{Machine: DescribeMachine(), Settings: settings, Results: map[string]any{}}
}

// Add records a scenario's detailed result and its rows.
func (r *Report) Add(scenario string, result any, rows []Row) {
	r.Results[scenario] = result
	for _, row := range rows {
		row.Scenario = scenario
		r.Rows = append(r.Rows, row)
	}
}

// WriteTable prints the rows as an aligned table.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "hrbc bench — %s, %d CPUs, Go %s, %s\n", r.Machine.OS, r.Machine.CPUs, r.Machine.GoVersion, r.Machine.Time)
	keys := make([]string, 0, len(r.Settings))
	for k, v := range r.Settings {
		keys = append(keys, fmt.Sprintf("%s=%v", k, v))
	}
	sortStrings(keys)
	fmt.Fprintf(w, "settings: %s\n\n", strings.Join(keys, " "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tFIGURE\tVALUE\tTARGET\tMET")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", row.Scenario, row.Figure, row.Value, row.Target, row.Met)
	}
	return tw.Flush()
}

// WriteJSON prints the whole report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	return nil
}

// Write prints the report as JSON (--json) or as the table.
func (r *Report) Write(w io.Writer, asJSON bool) error {
	if asJSON {
		return r.WriteJSON(w)
	}
	return r.WriteTable(w)
}

// met renders whether a target was met.
func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// fmtDur prints a duration rounded for a table.
func fmtDur(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	default:
		return d.Round(time.Millisecond).String()
	}
}

// latencyRows renders p50/p95/p99 of a measurement, the p95 against a target.
func latencyRows(what string, l Latencies, p95Target time.Duration) []Row {
	return []Row{
		{Figure: what + " p50", Value: fmtDur(l.P50)},
		{Figure: what + " p95", Value: fmtDur(l.P95), Target: "≤ " + p95Target.String(), Met: met(l.Count > 0 && l.P95 <= p95Target)},
		{Figure: what + " p99", Value: fmtDur(l.P99)},
		{Figure: what + " samples / max", Value: fmt.Sprintf("%d / %s", l.Count, fmtDur(l.Max))},
	}
}
