package devserver

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

func TestInMemoryServerServesTheNamespace(t *testing.T) {
	srv, err := Start(Options{UIPort: -1, Namespace: "hrbc-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	c, err := client.Dial(client.Options{HostPort: srv.FrontendAddress(), Namespace: "hrbc-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.CheckHealth(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// The namespace exists: listing its workflows works.
	if _, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: "hrbc-test"}); err != nil {
		t.Fatalf("namespace hrbc-test: %v", err)
	}
	if srv.UIAddress() != "" {
		t.Errorf("UI address %q with the UI off", srv.UIAddress())
	}
}
