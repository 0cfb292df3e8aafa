package worker

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/server/temporaltest"

	"github.com/hrbc/hrbc/workflows"
)

// A fresh cluster gets hrbc's attributes with their types, and they are
// usable the moment EnsureSearchAttributes returns: a visibility query
// naming them all answers at once, on a server that does not reread them
// on every use.
func TestEnsureSearchAttributesReturnsWhenTheyAreUsable(t *testing.T) {
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	c, ns := ts.GetDefaultClient(), ts.GetDefaultNamespace()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	if err := EnsureSearchAttributes(ctx, c, ns); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: ns, Query: searchAttributesQuery()}); err != nil {
		t.Fatalf("query right after EnsureSearchAttributes: %v", err)
	}
	have, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range workflows.SearchAttributes() {
		if got := have.GetCustomAttributes()[name]; got != typ {
			t.Errorf("attribute %s registered as %v, want %v", name, got, typ)
		}
	}
	// A second run finds them all and changes nothing.
	if err := EnsureSearchAttributes(ctx, c, ns); err != nil {
		t.Fatalf("second run: %v", err)
	}
}

// The wait is a real check: on a namespace without the attributes it
// gives up at its deadline with an error that names the query, and it
// returns as soon as they are there.
func TestWaitForSearchAttributesWaitsUntilAQueryOnThemAnswers(t *testing.T) {
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	c, ns := ts.GetDefaultClient(), ts.GetDefaultNamespace()

	short, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := waitForSearchAttributes(short, c, ns)
	if err == nil || !strings.Contains(err.Error(), "not usable") || !strings.Contains(err.Error(), searchAttributesQuery()) {
		t.Fatalf("wait on a namespace without the attributes: %v, want an error naming the query", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: ns, SearchAttributes: workflows.SearchAttributes()}); err != nil {
		t.Fatal(err)
	}
	if err := waitForSearchAttributes(ctx, c, ns); err != nil {
		t.Fatalf("wait once they are added: %v", err)
	}
}

func TestSearchAttributesQueryNamesEveryAttribute(t *testing.T) {
	q := searchAttributesQuery()
	for name := range workflows.SearchAttributes() {
		if !strings.Contains(q, name+` = ""`) {
			t.Errorf("query %q does not name keyword %s", q, name)
		}
	}
	if q != searchAttributesQuery() {
		t.Error("query changes between calls")
	}
}
