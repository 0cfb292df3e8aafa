package workflows

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// fakeAccounts answers checks as accounts with Heartland locations 1-3
// and a BigCommerce token without the transactions scope would.
type fakeAccounts struct {
	mu    sync.Mutex
	calls []activities.ConnectionCheckInput
}

func (f *fakeAccounts) check(_ context.Context, in activities.ConnectionCheckInput) (activities.CheckReport, error) {
	f.mu.Lock()
	f.calls = append(f.calls, in)
	f.mu.Unlock()
	rep := activities.CheckReport{ConnectionID: in.ConnectionID, SettingsOnly: in.SettingsOnly}
	for _, id := range in.Settings.LocationIDs {
		if id > 3 {
			rep.Fails++
			rep.Lines = append(rep.Lines, activities.CheckLine{Check: "locations", Status: activities.CheckFail, Field: "location_ids",
				Found: "location_ids: Heartland has no location 99; valid: 1 Main, 2 Warehouse, 3 Website"})
		}
	}
	if !in.SettingsOnly {
		rep.Fails++
		rep.Lines = append(rep.Lines, activities.CheckLine{Check: "bigcommerce token", Status: activities.CheckFail,
			Found: "the token lacks the scope store_v2_transactions"})
	}
	return rep, nil
}

func (f *fakeAccounts) fullChecks() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if !c.SettingsOnly {
			n++
		}
	}
	return n
}

func newCheckedConnectionEnv(t *testing.T, f *fakeAccounts) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	env := newTestEnv(quietSuite())
	env.RegisterWorkflow(Connection)
	for _, wf := range []any{OrderSweep, HeartlandSweep, InventorySync, CatalogFollow} {
		env.RegisterWorkflow(wf)
		env.OnWorkflow(wf, mock.Anything, mock.Anything).Return(nil)
	}
	env.RegisterActivity(&activities.Webhooks{})
	env.OnActivity(webhookActivities.EnsureWebhooks, mock.Anything, mock.Anything).Return(activities.WebhookRegistration{}, nil)
	env.RegisterActivity(&activities.ConnectionChecks{})
	env.OnActivity(checkActivities.CheckConnection, mock.Anything, mock.Anything).Return(f.check)
	return env
}

func queryStatus(t *testing.T, env *testsuite.TestWorkflowEnvironment) ConnectionStatus {
	t.Helper()
	v, err := env.QueryWorkflow(StatusQuery)
	if err != nil {
		t.Fatal(err)
	}
	var st ConnectionStatus
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestConnectionRefusesLocationsTheAccountLacks(t *testing.T) {
	f := &fakeAccounts{}
	env := newCheckedConnectionEnv(t, f)
	bad := DefaultSettings()
	bad.AllLocations, bad.LocationIDs, bad.InventorySync = false, []int64{99}, true
	var r updateResult
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "bad", r.callbacks(), ConfigureRequest{Settings: bad, ExpectedVersion: 1})
	}, time.Minute)
	var after ConnectionStatus
	env.RegisterDelayedCallback(func() { after = queryStatus(t, env); env.CancelWorkflow() }, 2*time.Minute)
	s := DefaultSettings()
	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme", Settings: &s, Version: 1})

	var appErr *temporal.ApplicationError
	if !errors.As(r.failed, &appErr) || appErr.Type() != ErrTypeInvalidSettings {
		t.Fatalf("configure with location 99: rejected=%v failed=%v", r.rejected, r.failed)
	}
	var field string
	if err := appErr.Details(&field); err != nil || field != "location_ids" || !strings.Contains(appErr.Message(), "valid: 1 Main") {
		t.Errorf("refusal = %q on field %q", appErr.Message(), field)
	}
	if after.Version != 1 || !after.Settings.AllLocations || after.Settings.InventorySync {
		t.Errorf("a refused configure changed the settings: %+v", after.Settings)
	}
	if f.fullChecks() != 0 {
		t.Errorf("a refused configure ran %d full checks", f.fullChecks())
	}
}

func TestConnectionChecksAfterEachChangeAndShowsIt(t *testing.T) {
	f := &fakeAccounts{}
	env := newCheckedConnectionEnv(t, f)
	var r updateResult
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "create", r.callbacks(), ConfigureRequest{Settings: validSettings(), CreateOnly: true})
	}, time.Minute)
	var after, signalled ConnectionStatus
	env.RegisterDelayedCallback(func() { after = queryStatus(t, env) }, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(ConnectionCheckedSignal, activities.CheckReport{ConnectionID: "acme", Warns: 1,
			Lines: []activities.CheckLine{{Check: "webhooks", Status: activities.CheckWarn}}})
	}, 3*time.Minute)
	env.RegisterDelayedCallback(func() { signalled = queryStatus(t, env); env.CancelWorkflow() }, 4*time.Minute)
	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme"})

	if r.failed != nil || r.rejected != nil {
		t.Fatalf("create: %v %v", r.rejected, r.failed)
	}
	if after.Check == nil || after.Check.Fails != 1 || f.fullChecks() != 1 {
		t.Fatalf("status after create = %+v, %d full checks", after, f.fullChecks())
	}
	if !strings.Contains(after.Attention, "connection check: 1 failed") || !strings.Contains(after.Attention, "store_v2_transactions") {
		t.Errorf("attention = %q", after.Attention)
	}
	if signalled.Check == nil || signalled.Check.Warns != 1 || signalled.Attention != "" {
		t.Errorf("after a client's check: %+v", signalled)
	}
}

func TestConnectionOldPathAppliesSettingsUnchecked(t *testing.T) {
	f := &fakeAccounts{}
	env := newCheckedConnectionEnv(t, f)
	env.OnGetVersion(connectionLiveCheckChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	s := DefaultSettings()
	s.AllLocations, s.LocationIDs = false, []int64{99}
	var r updateResult
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(ConfigureUpdate, "old", r.callbacks(), ConfigureRequest{Settings: s, CreateOnly: true})
	}, time.Minute)
	var after ConnectionStatus
	env.RegisterDelayedCallback(func() { after = queryStatus(t, env); env.CancelWorkflow() }, 2*time.Minute)
	env.ExecuteWorkflow(Connection, ConnectionInput{ConnectionID: "acme"})
	if r.failed != nil || after.Version != 1 || after.Check != nil || len(f.calls) != 0 {
		t.Errorf("old path: err %v, status %+v, %d checks", r.failed, after, len(f.calls))
	}
}

func TestConnectionCheckWorkflowReturnsAndRecords(t *testing.T) {
	f := &fakeAccounts{}
	env := newTestEnv(quietSuite())
	env.RegisterWorkflow(ConnectionCheck)
	env.RegisterActivity(&activities.ConnectionChecks{})
	env.OnActivity(checkActivities.CheckConnection, mock.Anything, mock.Anything).Return(f.check)
	var signalled bool
	env.OnSignalExternalWorkflow(mock.Anything, ConnectionWorkflowID("acme"), "", ConnectionCheckedSignal, mock.Anything).
		Return(func(_, _, _, _ string, _ any) error { signalled = true; return nil })
	env.ExecuteWorkflow(ConnectionCheck, ConnectionCheckInput{ConnectionID: "acme", Settings: validSettings(), Record: true, Fix: true})
	var rep activities.CheckReport
	if err := env.GetWorkflowResult(&rep); err != nil {
		t.Fatal(err)
	}
	if rep.Fails != 1 || !signalled || len(f.calls) != 1 || !f.calls[0].Fix || f.calls[0].Settings.SourceLocationID != 4 {
		t.Errorf("report %+v, signalled %v, calls %+v", rep, signalled, f.calls)
	}
}
