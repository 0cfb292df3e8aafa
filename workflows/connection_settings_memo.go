package workflows

import "go.temporal.io/sdk/workflow"

// connectionSettingsMemoChange versions the Connection workflow keeping its
// settings in its memo (ConnectionSettingsMemo). Runs begun before it write
// none, and readers ask them by query as before.
const connectionSettingsMemoChange = "connection-settings-memo"

// ConnectionSettingsMemo is the memo key under which a Connection workflow
// keeps its current settings, as a ConnectionSettingsRecord.
//
// The webhook intake asks every order delivery's connection whether order
// sync is on. A query needs a workflow task on the worker that caches the
// Connection workflow: with a fleet's stores each sending an order every
// few seconds, that was one round trip through the server's matching and a
// worker per order, and a worker that had just died held the answer until
// the server gave up on its sticky queue. The memo is read by describing
// the workflow, which the server answers alone. It is written by the
// handler that changes the settings (configure, uninstall), in the
// workflow task that answers it — not by the main loop, which may be busy
// with a check for minutes — so a caller who saw its configure accepted
// finds the new settings there.
const ConnectionSettingsMemo = "hrbc_settings"

// ConnectionSettingsRecord is the memo value: a struct rather than the bare
// settings so that an unconfigured connection is a record with nil
// Settings, and a missing key always means a run that writes no memo.
type ConnectionSettingsRecord struct {
	Settings *Settings `json:"settings"`
}

// publishSettings writes the current settings to the memo in runs under
// connectionSettingsMemoChange. A failure is logged, not returned: readers
// of a stale or missing memo fall back to what they did before, and the
// settings themselves are unharmed.
func (c *connection) publishSettings(ctx workflow.Context) {
	if !c.settingsMemo {
		return
	}
	if err := workflow.UpsertMemo(ctx, map[string]any{ConnectionSettingsMemo: ConnectionSettingsRecord{Settings: c.Settings}}); err != nil {
		workflow.GetLogger(ctx).Warn("Could not record the connection's settings in its memo", "ConnectionID", c.ConnectionID, "Error", err)
	}
}
