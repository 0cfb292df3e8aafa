package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// checkActivities is the method-value handle on the connection checks.
var checkActivities *activities.ConnectionChecks

// ConnectionCheckedSignal carries an activities.CheckReport to a
// Connection: the last check's result becomes part of its status.
const ConnectionCheckedSignal = "checked"

// ConnectionCheckWorkflowID is the ID of one ConnectionCheck run; runID
// tells runs apart (a client's random id).
func ConnectionCheckWorkflowID(connectionID, runID string) string {
	return "connection-check/" + connectionID + "/" + runID
}

// ConnectionCheckInput asks a ConnectionCheck for a check of a connection.
type ConnectionCheckInput struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Settings are the settings to check: the proposed ones before a
	// configure, the current ones otherwise.
	Settings Settings `json:"settings"`
	// SettingsOnly checks the credentials and locations only.
	SettingsOnly bool `json:"settings_only,omitempty"`
	// Fix creates what is missing and hrbc may create (the payment type).
	Fix bool `json:"fix,omitempty"`
	// Record hands the report to the connection, whose status then shows it.
	Record bool `json:"record,omitempty"`
}

// checkActivityOptions: a full check reads both catalogs; it heartbeats
// every page. Failures of the accounts are lines of the report, so a
// retry is only for a lost worker.
var checkActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 15 * time.Minute,
	HeartbeatTimeout:    2 * time.Minute,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 3},
}

// settingsCheckActivityOptions: the check of a configure is two calls and
// holds the operator's command; a Heartland that does not answer in time
// leaves the settings to the full check.
var settingsCheckActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 20 * time.Second,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 2},
}

// ConnectionCheck runs the preflight checks of a connection against both
// live accounts (an activity) and returns the report; with Record the
// connection's status takes it. Clients run it before changing settings,
// and `starter connection check` runs it on demand.
func ConnectionCheck(ctx workflow.Context, in ConnectionCheckInput) (activities.CheckReport, error) {
	opts := checkActivityOptions
	if in.SettingsOnly {
		opts = settingsCheckActivityOptions
	}
	var rep activities.CheckReport
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), checkActivities.CheckConnection,
		checkInput(in.ConnectionID, in.Settings, in.SettingsOnly, in.Fix)).Get(ctx, &rep)
	if err != nil {
		return rep, err
	}
	if in.Record && !in.SettingsOnly {
		if err := workflow.SignalExternalWorkflow(ctx, ConnectionWorkflowID(in.ConnectionID), "",
			ConnectionCheckedSignal, rep).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Info("Connection not told the check's result", "Error", err)
		}
	}
	return rep, nil
}

// checkInput is the activity's view of a check of settings s.
func checkInput(connectionID string, s Settings, settingsOnly, fix bool) activities.ConnectionCheckInput {
	return activities.ConnectionCheckInput{
		ConnectionID: connectionID,
		Settings: activities.CheckSettings{
			AllLocations: s.AllLocations, LocationIDs: slices.Clone(s.LocationIDs),
			SourceLocationID: s.SourceLocationID, AutoDistributeLocationID: s.AutoDistributeLocationID,
			FulfillmentLocationID: s.FulfillmentLocationID, OutsideFulfillment: s.OutsideFulfillment,
			OrderSync: s.OrderSync, InventorySync: s.InventorySync, Capture: s.Capture,
		},
		SettingsOnly: settingsOnly,
		Fix:          fix,
	}
}

// connectionLiveCheckChange versions the Connection that checks settings
// against the live accounts before applying them and runs the full check
// after each change. Runs begun before it apply settings unchecked.
const connectionLiveCheckChange = "connection-live-check"

// liveChecks reports whether this run checks against the live accounts.
func (c *connection) liveChecks(ctx workflow.Context) bool {
	return workflow.GetVersion(ctx, connectionLiveCheckChange, workflow.DefaultVersion, 1) >= 1
}

// recheckSettings checks proposed settings against the live accounts
// before configure applies them: a location that does not exist refuses
// the whole change, naming the valid ones. An account that cannot be
// asked (no credentials, Heartland down) leaves the settings to the full
// check, which reports it.
func (c *connection) recheckSettings(ctx workflow.Context, s Settings) error {
	var rep activities.CheckReport
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, settingsCheckActivityOptions),
		checkActivities.CheckConnection, checkInput(c.ConnectionID, s, true, false)).Get(ctx, &rep)
	if err != nil {
		workflow.GetLogger(ctx).Warn("Settings not checked against the accounts", "Error", err)
		return nil
	}
	for _, l := range rep.Lines {
		if l.Status == activities.CheckFail && l.Field != "" {
			return temporal.NewApplicationError(fmt.Sprintf("invalid setting %s", l.Found), ErrTypeInvalidSettings, l.Field)
		}
	}
	return nil
}

// runCheck runs the full check after a change of settings and keeps its
// report as part of the status.
func (c *connection) runCheck(ctx workflow.Context) {
	var rep activities.CheckReport
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, checkActivityOptions),
		checkActivities.CheckConnection, checkInput(c.ConnectionID, *c.Settings, false, false)).Get(ctx, &rep)
	if err != nil {
		workflow.GetLogger(ctx).Warn("Connection check did not run", "Error", err)
		rep = activities.CheckReport{ConnectionID: c.ConnectionID, CheckedAt: workflow.Now(ctx), Fails: 1,
			Lines: []activities.CheckLine{{Check: "check", Status: activities.CheckFail,
				Found: "the check did not run: " + failureReason(err), Fix: "starter connection check " + c.ConnectionID}}}
	}
	c.takeCheck(ctx, rep)
}

// takeCheck keeps a check's report and shows its failures as attention.
func (c *connection) takeCheck(ctx workflow.Context, rep activities.CheckReport) {
	c.Check = &rep
	if rep.Fails > 0 || rep.Warns > 0 {
		workflow.GetLogger(ctx).Warn("Connection check found problems", "Fails", rep.Fails, "Warns", rep.Warns)
	}
	c.publishAttention(ctx)
}

// checkAttention is the check's part of the attention text.
func (c *connection) checkAttention() string {
	if c.Check == nil {
		return ""
	}
	l, ok := c.Check.FirstFail()
	if !ok {
		return ""
	}
	return fmt.Sprintf("connection check: %d failed, first %s: %s", c.Check.Fails, l.Check, l.Found)
}

// attention joins the webhook and check reasons a person should look.
func (c *connection) attention() string {
	a, b := c.Attention, c.checkAttention()
	switch {
	case a == "":
		return truncateAttention(b)
	case b == "":
		return a
	}
	return truncateAttention(a + "; " + b)
}

// publishAttention upserts HrbcAttention when it changed.
func (c *connection) publishAttention(ctx workflow.Context) {
	if a := c.attention(); a != c.publishedAttention {
		c.publishedAttention = a
		_ = workflow.UpsertTypedSearchAttributes(ctx, AttentionAttr.ValueSet(a))
	}
}

// listenChecks takes the reports of checks run by clients.
func (c *connection) listenChecks(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, ConnectionCheckedSignal)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var rep activities.CheckReport
			if !ch.Receive(ctx, &rep) {
				return
			}
			c.takeCheck(ctx, rep)
		}
	})
}

// CheckReport is a connection check's report, for clients that import
// only this package.
type CheckReport = activities.CheckReport

// CheckLine is one line of a CheckReport.
type CheckLine = activities.CheckLine

// InventoryBlast is what a full sync would do to the store's stock.
type InventoryBlast = activities.InventoryBlast

// Outcomes of a CheckLine.
const (
	CheckOK   = activities.CheckOK
	CheckWarn = activities.CheckWarn
	CheckFail = activities.CheckFail
)
