package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/workflow"
)

// memoWrites records the settings each upsert of ConnectionSettingsMemo
// carried, with the time it happened on the test's clock.
type memoWrites struct {
	at       []time.Duration
	settings []*Settings
}

func TestConnectionKeepsItsSettingsInItsMemo(t *testing.T) {
	env := newConnectionEnv(t)
	var writes memoWrites
	start := env.Now()
	env.OnUpsertMemo(mock.Anything).Return(nil).Run(func(args mock.Arguments) {
		memo := args.Get(0).(map[string]any)
		rec, ok := memo[ConnectionSettingsMemo].(ConnectionSettingsRecord)
		if !ok {
			t.Errorf("memo %v has no %s record", memo, ConnectionSettingsMemo)
			return
		}
		writes.at = append(writes.at, env.Now().Sub(start))
		writes.settings = append(writes.settings, rec.Settings)
	})
	var first, second updateResult
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "u1", first.callbacks(), ConfigureRequest{Settings: validSettings(), CreateOnly: true})
	}, time.Minute)
	off := validSettings()
	off.OrderSync = false
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "u2", second.callbacks(), ConfigureRequest{Settings: off, ExpectedVersion: 1})
	}, 2*time.Minute)
	env.RegisterDelayedCallback(env.CancelWorkflow, 3*time.Minute)

	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme"})

	if !first.done || !second.done || first.failed != nil || second.failed != nil {
		t.Fatalf("configures: %+v %+v", first, second)
	}
	// The run's start (unconfigured), then each configure at the moment it
	// was answered.
	if len(writes.settings) != 3 {
		t.Fatalf("memo written %d times (%v), want 3", len(writes.settings), writes.at)
	}
	if writes.settings[0] != nil || writes.at[0] != 0 {
		t.Errorf("first memo %+v at %v, want unconfigured at the start", writes.settings[0], writes.at[0])
	}
	if s := writes.settings[1]; s == nil || !s.OrderSync || writes.at[1] != time.Minute {
		t.Errorf("memo after the first configure %+v at %v, want order sync on at 1m", s, writes.at[1])
	}
	if s := writes.settings[2]; s == nil || s.OrderSync || writes.at[2] != 2*time.Minute {
		t.Errorf("memo after the second configure %+v at %v, want order sync off at 2m", s, writes.at[2])
	}
}

func TestConnectionSettingsMemoOldRunsWriteNone(t *testing.T) {
	env := newConnectionEnv(t)
	env.OnGetVersion(connectionSettingsMemoChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	writes := 0
	env.OnUpsertMemo(mock.Anything).Return(nil).Run(func(mock.Arguments) { writes++ }).Maybe()
	var res updateResult
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "u1", res.callbacks(), ConfigureRequest{Settings: validSettings()})
	}, time.Minute)
	env.RegisterDelayedCallback(env.CancelWorkflow, 2*time.Minute)
	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme"})
	if !res.done || res.failed != nil || writes != 0 {
		t.Errorf("configure %+v, memo writes %d; want done and none", res, writes)
	}
}
