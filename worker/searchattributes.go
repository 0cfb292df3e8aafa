package worker

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/workflows"
)

// searchAttributesWait bounds how long EnsureSearchAttributes waits for
// attributes it added to be usable when its context has no deadline.
const searchAttributesWait = 30 * time.Second

// EnsureSearchAttributes registers hrbc's custom search attributes on a
// namespace, leaving those already there alone. The embedded server has them
// from the start; a real cluster gets them on the worker's first run.
//
// Attributes it adds are usable only once the server's namespace cache has
// read them back (every 2 s by default, on each service), so it returns when
// a visibility query naming all of them answers: a workflow started right
// after it can carry them, and the server needs no setting that rereads
// them on every use (system.forceSearchAttributesCacheRefreshOnRead takes a
// process-wide lock and a database read each time, and is not for
// production).
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	op := c.OperatorService()
	have, err := op.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("list search attributes of namespace %q: %w", namespace, err)
	}
	missing := workflows.SearchAttributes()
	for name := range have.GetCustomAttributes() {
		delete(missing, name)
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = op.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace:        namespace,
		SearchAttributes: missing,
	})
	var exists *serviceerror.AlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("add search attributes to namespace %q: %w", namespace, err)
	}
	return waitForSearchAttributes(ctx, c, namespace)
}

// waitForSearchAttributes returns once the namespace's visibility answers a
// query naming every hrbc search attribute.
func waitForSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, searchAttributesWait)
		defer cancel()
	}
	query := searchAttributesQuery()
	for {
		_, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: namespace, Query: query})
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("search attributes added to namespace %q are not usable yet (query %s): %w", namespace, query, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// searchAttributesQuery is a visibility query that names every hrbc search
// attribute, each compared with a value of its type, in a stable order.
func searchAttributesQuery() string {
	attrs := workflows.SearchAttributes()
	names := slices.Sorted(maps.Keys(attrs))
	terms := make([]string, len(names))
	for i, name := range names {
		terms[i] = name + " = " + zeroValue(attrs[name])
	}
	return strings.Join(terms, " AND ")
}

// zeroValue is a literal a visibility query accepts for an attribute of
// type t.
func zeroValue(t enumspb.IndexedValueType) string {
	switch t {
	case enumspb.INDEXED_VALUE_TYPE_INT, enumspb.INDEXED_VALUE_TYPE_DOUBLE:
		return "0"
	case enumspb.INDEXED_VALUE_TYPE_BOOL:
		return "false"
	case enumspb.INDEXED_VALUE_TYPE_DATETIME:
		return `"1970-01-01T00:00:00Z"`
	default:
		return `""`
	}
}
