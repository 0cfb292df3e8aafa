package workflows

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// updateResult collects what an update callback reports.
type updateResult struct {
	rejected error
	failed   error
	status   ConnectionStatus
	done     bool
}

func (r *updateResult) callbacks() *testsuite.TestUpdateCallback {
	return &testsuite.TestUpdateCallback{
		OnReject: func(err error) { r.rejected = err; r.done = true },
		OnAccept: func() {},
		OnComplete: func(v any, err error) {
			r.done = true
			r.failed = err
			if s, ok := v.(ConnectionStatus); ok {
				r.status = s
			}
		},
	}
}

func newConnectionEnv(t *testing.T) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(Connection)
	env.RegisterWorkflow(OrderSweep)
	// Followers are mocked: these tests are about the connection itself.
	env.OnWorkflow(OrderSweep, mock.Anything, mock.Anything).Return(nil)
	env.RegisterWorkflow(HeartlandSweep)
	env.OnWorkflow(HeartlandSweep, mock.Anything, mock.Anything).Return(nil)
	env.RegisterWorkflow(InventorySync)
	env.OnWorkflow(InventorySync, mock.Anything, mock.Anything).Return(nil)
	env.RegisterWorkflow(CatalogFollow)
	env.OnWorkflow(CatalogFollow, mock.Anything, mock.Anything).Return(nil)
	env.RegisterActivity(&activities.Webhooks{})
	env.OnActivity(webhookActivities.EnsureWebhooks, mock.Anything, mock.Anything).Return(activities.WebhookRegistration{}, nil)
	env.RegisterActivity(&activities.ConnectionChecks{})
	env.OnActivity(checkActivities.CheckConnection, mock.Anything, mock.Anything).Return(okCheck, nil).Maybe()
	return env
}

// okCheck is a check that finds nothing wrong.
func okCheck(_ context.Context, in activities.ConnectionCheckInput) (activities.CheckReport, error) {
	return activities.CheckReport{ConnectionID: in.ConnectionID, SettingsOnly: in.SettingsOnly,
		Lines: []activities.CheckLine{{Check: "locations", Status: activities.CheckOK}}}, nil
}

func validSettings() Settings {
	s := DefaultSettings()
	s.OrderSync = true
	s.SourceLocationID = 4
	return s
}

func TestConnectionConfigureAndQuery(t *testing.T) {
	env := newConnectionEnv(t)
	var first, second updateResult
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "u1", first.callbacks(), ConfigureRequest{Settings: validSettings(), CreateOnly: true})
	}, time.Minute)
	want := validSettings()
	want.CatalogMode = CatalogPull
	want.AllLocations = false
	want.LocationIDs = []int64{2, 3}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "u2", second.callbacks(), ConfigureRequest{Settings: want, ExpectedVersion: 1})
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(SettingsQuery)
		if err != nil {
			t.Fatalf("settings query: %v", err)
		}
		var got *Settings
		if err := v.Get(&got); err != nil {
			t.Fatal(err)
		}
		if got == nil || got.CatalogMode != CatalogPull || len(got.LocationIDs) != 2 || got.LocationIDs[1] != 3 {
			t.Errorf("settings after configure = %+v, want %+v", got, want)
		}
		env.CancelWorkflow()
	}, 3*time.Minute)

	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme"})

	for name, r := range map[string]updateResult{"first": first, "second": second} {
		if !r.done || r.rejected != nil || r.failed != nil {
			t.Fatalf("%s configure: done=%v rejected=%v failed=%v", name, r.done, r.rejected, r.failed)
		}
	}
	if second.status.Version != 2 || second.status.Stage != StageConfigured {
		t.Errorf("status after second configure = %+v", second.status)
	}
	if second.status.ConfiguredAt.IsZero() {
		t.Error("ConfiguredAt not set")
	}
}

func TestConnectionRejectsMalformedSettings(t *testing.T) {
	noLocations := validSettings()
	noLocations.AllLocations = false
	badMode := validSettings()
	badMode.CatalogMode = "mirror"
	hugeSweep := validSettings()
	hugeSweep.OrderSweepSeconds = 1 << 40
	cases := []struct {
		name      string
		req       ConfigureRequest
		errType   string
		wantField string
	}{
		{"unknown catalog mode", ConfigureRequest{Settings: badMode}, ErrTypeInvalidSettings, "catalog_mode"},
		{"empty location list with all off", ConfigureRequest{Settings: noLocations}, ErrTypeInvalidSettings, "location_ids"},
		{"order sweep that would overflow", ConfigureRequest{Settings: hugeSweep}, ErrTypeInvalidSettings, "order_sweep_seconds"},
		{"create over an existing connection", ConfigureRequest{Settings: validSettings(), CreateOnly: true}, ErrTypeConnectionExists, ""},
		{"stale expected version", ConfigureRequest{Settings: validSettings(), ExpectedVersion: 7}, ErrTypeVersionConflict, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newConnectionEnv(t)
			var r updateResult
			env.RegisterDelayedCallback(func() {
				env.UpdateWorkflow(ConfigureUpdate, "bad", r.callbacks(), tc.req)
			}, time.Minute)
			env.RegisterDelayedCallback(func() {
				v, err := env.QueryWorkflow(StatusQuery)
				if err != nil {
					t.Fatal(err)
				}
				var st ConnectionStatus
				if err := v.Get(&st); err != nil {
					t.Fatal(err)
				}
				if st.Version != 1 || st.Settings.CatalogMode != CatalogManual {
					t.Errorf("rejected update changed state: %+v", st)
				}
				env.CancelWorkflow()
			}, 2*time.Minute)
			s := validSettings()
			env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme", Settings: &s, Version: 1})

			var appErr *temporal.ApplicationError
			if !errors.As(r.rejected, &appErr) {
				t.Fatalf("update not rejected: rejected=%v failed=%v", r.rejected, r.failed)
			}
			if appErr.Type() != tc.errType {
				t.Errorf("error type = %q, want %q (%v)", appErr.Type(), tc.errType, appErr)
			}
			if tc.wantField != "" {
				var field string
				if err := appErr.Details(&field); err != nil || field != tc.wantField {
					t.Errorf("error names field %q (%v), want %q", field, err, tc.wantField)
				}
			}
		})
	}
}

func TestConnectionContinueAsNewKeepsState(t *testing.T) {
	env := newConnectionEnv(t)
	var r updateResult
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "u1", r.callbacks(), ConfigureRequest{Settings: validSettings()})
	}, time.Minute)
	env.RegisterDelayedCallback(func() { env.SetContinueAsNewSuggested(true) }, 2*time.Minute)
	// A timer after the suggestion wakes the workflow so it re-checks it.
	env.RegisterDelayedCallback(func() {}, 3*time.Minute)

	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme", Generation: 4})

	if r.failed != nil || r.rejected != nil {
		t.Fatalf("configure: %v %v", r.rejected, r.failed)
	}
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("workflow ended with %v, want continue-as-new", err)
	}
	var next ConnectionInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.ConnectionID != "acme" || next.Version != 1 || next.Generation != 5 ||
		next.Settings == nil || next.Settings.SourceLocationID != 4 || next.ConfiguredAt.IsZero() {
		t.Errorf("continue-as-new input lost state: %+v", next)
	}
}

func TestConnectionRejectsInvalidStartInput(t *testing.T) {
	env := newConnectionEnv(t)
	bad := validSettings()
	bad.CatalogMode = ""
	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme", Settings: &bad})
	var appErr *temporal.ApplicationError
	if err := env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != ErrTypeInvalidSettings {
		t.Fatalf("workflow error = %v, want %s", err, ErrTypeInvalidSettings)
	}
}

func TestConnectionStartsFollowersWhenSyncsTurnOn(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(Connection)
	env.RegisterWorkflow(OrderSweep)
	env.RegisterWorkflow(InventorySync)
	var inventory []InventorySyncInput
	env.OnWorkflow(InventorySync, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in InventorySyncInput) error {
		inventory = append(inventory, in)
		return nil
	})
	env.RegisterWorkflow(CatalogFollow)
	var follows []CatalogFollowInput
	env.OnWorkflow(CatalogFollow, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in CatalogFollowInput) error {
		follows = append(follows, in)
		return nil
	})
	env.RegisterActivity(&activities.Webhooks{})
	env.OnActivity(webhookActivities.EnsureWebhooks, mock.Anything, mock.Anything).Return(activities.WebhookRegistration{}, nil)
	var started []OrderSweepInput
	env.OnWorkflow(OrderSweep, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in OrderSweepInput) error {
		started = append(started, in)
		return nil
	})
	env.RegisterWorkflow(HeartlandSweep)
	var heartlandSweeps []HeartlandSweepInput
	env.OnWorkflow(HeartlandSweep, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in HeartlandSweepInput) error {
		heartlandSweeps = append(heartlandSweeps, in)
		return nil
	})
	off := DefaultSettings()
	var r updateResult
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "u1", r.callbacks(), ConfigureRequest{Settings: off})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		if len(started) != 0 || len(heartlandSweeps) != 0 || len(inventory) != 0 || len(follows) != 0 {
			t.Errorf("followers started with syncs off: %+v %+v %+v", started, inventory, follows)
		}
		on := validSettings()
		on.InventorySync = true
		on.CatalogMode = CatalogPull
		env.UpdateWorkflow(ConfigureUpdate, "u2", r.callbacks(), ConfigureRequest{Settings: on})
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, 3*time.Minute)
	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme"})
	if len(started) != 1 || started[0].ConnectionID != "acme" || !started[0].Settings.OrderSync {
		t.Fatalf("sweeps started: %+v, want one for acme with order sync", started)
	}
	if len(heartlandSweeps) != 1 || heartlandSweeps[0].ConnectionID != "acme" || !heartlandSweeps[0].Settings.OrderSync {
		t.Fatalf("Heartland sweeps started: %+v, want one for acme with order sync", heartlandSweeps)
	}
	if heartlandSweeps[0].Ticks != firstHeartlandTick("acme") {
		t.Errorf("Heartland sweep started at tick %d, want acme's own %d", heartlandSweeps[0].Ticks, firstHeartlandTick("acme"))
	}
	if len(inventory) != 1 || inventory[0].ConnectionID != "acme" || !inventory[0].Settings.InventorySync {
		t.Fatalf("inventory syncs started: %+v, want one for acme", inventory)
	}
	if len(follows) != 1 || follows[0].ConnectionID != "acme" {
		t.Fatalf("catalog follows started: %+v, want one for acme in pull mode", follows)
	}
}

// TestConnectionRefusesConfigureUnderBadID: a Connection started under an ID
// the rules refuse (by a client that skipped starter's check) takes no
// settings; the update validator names connection_id.
func TestConnectionRefusesConfigureUnderBadID(t *testing.T) {
	env := newConnectionEnv(t)
	var r updateResult
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "bad-id", r.callbacks(), ConfigureRequest{Settings: validSettings(), CreateOnly: true})
	}, time.Minute)
	env.RegisterDelayedCallback(env.CancelWorkflow, 2*time.Minute)
	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "../evil"})
	var appErr *temporal.ApplicationError
	if !errors.As(r.rejected, &appErr) || appErr.Type() != ErrTypeInvalidSettings || !strings.Contains(appErr.Error(), `"../evil" is not a connection ID`) {
		t.Fatalf("update under ../evil: rejected=%v failed=%v", r.rejected, r.failed)
	}
}
