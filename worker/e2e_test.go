package worker_test

import (
	"context"
	"errors"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// startTestStack runs the real worker, with no connection, against a
// Temporal test server and returns the starter client that drives it.
func startTestStack(t *testing.T) (*starter.Client, client.Client, string) {
	t.Helper()
	s := workertest.Start(t, workertest.Options{NoFakes: true, TaskQueue: "e2e"})
	// A second registration finds them all present and changes nothing.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := worker.EnsureSearchAttributes(ctx, s.Temporal, s.Namespace); err != nil {
		t.Fatal(err)
	}
	return s.Starter, s.Temporal, s.Namespace
}

func TestEndToEndConnectionLifecycle(t *testing.T) {
	st, c, _ := startTestStack(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	settings := workflows.DefaultSettings()
	settings.OrderSync = true
	settings.SourceLocationID = 7
	created, err := st.CreateConnection(ctx, "acme", settings)
	if err != nil {
		t.Fatal(err)
	}
	if created.Version != 1 || created.Stage != workflows.StageConfigured || created.Settings.SourceLocationID != 7 {
		t.Fatalf("created = %+v", created)
	}

	if _, err := st.CreateConnection(ctx, "acme", workflows.DefaultSettings()); !errors.Is(err, starter.ErrConnectionExists) {
		t.Fatalf("second create: %v, want ErrConnectionExists", err)
	}

	bad := settings
	bad.CatalogMode = "mirror"
	_, err = st.ConfigureConnection(ctx, "acme", bad, 0)
	var rejected *starter.RejectedError
	if !errors.As(err, &rejected) || !errors.Is(err, starter.ErrInvalidSettings) || rejected.Field != "catalog_mode" {
		t.Fatalf("invalid configure: %v, want a rejection naming catalog_mode", err)
	}
	empty := settings
	empty.AllLocations = false
	if _, err := st.ConfigureConnection(ctx, "acme", empty, 0); !errors.As(err, &rejected) || rejected.Field != "location_ids" {
		t.Fatalf("empty locations: %v, want a rejection naming location_ids", err)
	}

	pull := settings
	pull.CatalogMode = workflows.CatalogPull
	if _, err := st.ConfigureConnection(ctx, "acme", pull, 5); !errors.Is(err, starter.ErrVersionConflict) {
		t.Fatalf("stale version: %v, want ErrVersionConflict", err)
	}
	updated, err := st.ConfigureConnection(ctx, "acme", pull, 1)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 {
		t.Errorf("version after configure = %d, want 2", updated.Version)
	}

	status, err := st.ConnectionStatus(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if status.Settings == nil || status.Settings.CatalogMode != workflows.CatalogPull || status.Version != 2 {
		t.Errorf("status = %+v", status)
	}
	if _, err := st.ConnectionStatus(ctx, "nobody"); !errors.Is(err, starter.ErrConnectionNotFound) {
		t.Errorf("status of unknown connection: %v, want ErrConnectionNotFound", err)
	}

	// Rejected updates leave no trace: the history holds exactly the two
	// accepted configures.
	accepted, rejectedEvents := 0, 0
	iter := c.GetWorkflowHistory(ctx, workflows.ConnectionWorkflowID("acme"), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			accepted++
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_REJECTED:
			rejectedEvents++
		}
	}
	if accepted != 2 || rejectedEvents != 0 {
		t.Errorf("history has %d accepted and %d rejected updates, want 2 and 0", accepted, rejectedEvents)
	}

	// The Temporal UI finds the connection by its search attribute.
	waitFor(t, "connection visible by HrbcConnection", func() bool {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: "HrbcConnection = 'acme' AND HrbcStage = 'configured'",
		})
		return err == nil && len(resp.GetExecutions()) == 1
	})
	waitFor(t, "connection listed", func() bool {
		ids, err := st.ListConnections(ctx)
		return err == nil && len(ids) == 1 && ids[0] == "acme"
	})
}
