package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/workflows"
)

// unsettledOrders are the created orders not yet shipped in BigCommerce
// and closed in Heartland.
func unsettledOrders(f *Fakes, created []int) []int {
	var out []int
	for _, id := range created {
		if !ordersSettled(f, []int{id}) {
			out = append(out, id)
		}
	}
	return out
}

// keepHistories writes the histories of the unsettled orders' workflows
// and of the connection's sweeps and inventory sync into dir, beside the
// worker log. The chaos run's server lives in the bench process and goes
// with it, so without them a run that failed once in many could not be
// read afterwards. Payloads stay as the worker wrote them (encrypted).
func keepHistories(ctx context.Context, c client.Client, dir, conn string, orders []int) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	ids := []string{workflows.HeartlandSweepWorkflowID(conn), workflows.OrderSweepWorkflowID(conn), workflows.InventoryWorkflowID(conn)}
	for _, id := range orders {
		ids = append(ids, workflows.OrderWorkflowID(conn, id))
	}
	var paths []string
	for _, id := range ids {
		hist, err := readHistory(ctx, c, id)
		if err != nil {
			return paths, err
		}
		b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
		if err != nil {
			return paths, fmt.Errorf("history of %s: %w", id, err)
		}
		path := filepath.Join(dir, "history-"+strings.ReplaceAll(id, "/", "_")+".json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return paths, fmt.Errorf("history of %s: %w", id, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}
