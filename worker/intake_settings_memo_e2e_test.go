package worker_test

import (
	"context"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/workflows"
)

// The intake learns whether a connection takes orders from its Connection
// workflow's memo, which the server answers alone: with every worker
// stopped, a new order's webhook is still answered at once and its
// workflow started, waiting for a worker. A query would have waited for a
// worker until the intake's timeout and answered 503. And a configure is
// in the memo by the time the caller hears it was accepted.
func TestEndToEndIntakeReadsConnectionSettingsWithoutAWorker(t *testing.T) {
	sh := newOrderShop(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	off := workflows.DefaultSettings()
	off.SourceLocationID = sh.website.ID
	status, err := sh.Starter.ConfigureConnection(ctx, sh.ConnectionID, off, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := sh.Starter.ConnectionSettings(ctx, sh.ConnectionID); err != nil || got == nil || got.OrderSync {
		t.Fatalf("settings right after turning order sync off: %+v (%v)", got, err)
	}
	on := off
	on.OrderSync = true
	if _, err := sh.Starter.ConfigureConnection(ctx, sh.ConnectionID, on, status.Version); err != nil {
		t.Fatal(err)
	}

	sh.keepHistory("connection-configured", workflows.ConnectionWorkflowID(sh.ConnectionID))
	sh.Worker.Worker.Stop()
	read, readCancel := context.WithTimeout(ctx, 2*time.Second)
	got, err := sh.Starter.ConnectionSettings(read, sh.ConnectionID)
	readCancel()
	if err != nil || got == nil || !got.OrderSync || got.SourceLocationID != sh.website.ID {
		t.Fatalf("settings with no worker: %+v (%v), want order sync on at the website", got, err)
	}

	before, placed := len(sh.BC.Deliveries()), time.Now()
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	if err := sh.BC.WaitDeliveries(ctx, func(d []bigcommercetest.Delivery) bool { return len(d) > before }); err != nil {
		t.Fatal(err)
	}
	d := sh.BC.Deliveries()[before]
	if !d.OK() || d.At.Sub(placed) > 5*time.Second {
		t.Errorf("the order's webhook answered %d (%s) %v after the order, want 2xx at once", d.Status, d.Err, d.At.Sub(placed))
	}
	desc, err := sh.Temporal.DescribeWorkflowExecution(ctx, workflows.OrderWorkflowID(sh.ConnectionID, id), "")
	if err != nil || desc.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Fatalf("order workflow after the webhook: %v (%v), want running and waiting for a worker", desc.GetWorkflowExecutionInfo().GetStatus(), err)
	}
}
