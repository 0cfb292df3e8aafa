package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/workflows"
)

// The bench's stack encrypts payloads with its own keys; its worker must
// read the order workflows' memos with the same ones, or the Heartland
// sweep cannot see that an order knows its own import and tells it anyway
// (one signal, workflow task and Heartland read per order, counted in the
// bench's figures as if hrbc spent them in production).
func TestStackSweepLeavesAnOrdersOwnImportAlone(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := StartStack(FakeOptions{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	shop := SeedShop(st.Fakes, ShopSpec{SKUs: 2, HeartlandStock: 100, StoreStock: 10})
	settings := workflows.DefaultSettings()
	settings.OrderSync = true
	settings.SourceLocationID = shop.Website.ID
	// No Heartland round while the order imports: one then would tell it,
	// rightly, as its memo is not there yet.
	settings.HeartlandSweepSeconds = 3600
	if err := st.CreateConnection(ctx, settings); err != nil {
		t.Fatal(err)
	}
	o, err := st.Fakes.BC.AddOrder(shop.orderSeed(0))
	if err != nil {
		t.Fatal(err)
	}
	runs := worker.OrderRuns{Client: st.Client, DataConverter: codec.DataConverter(st.Ring)}
	wait(t, ctx, "the import's stamp in visibility", func() bool {
		reads, err := runs.LastRead(ctx, benchConnection, []int{o.ID})
		if err != nil {
			t.Fatal(err)
		}
		return reads[o.ID].Heartland != nil
	})

	cs, err := st.Starter.ConnectionStatus(ctx, benchConnection)
	if err != nil || cs.Settings == nil {
		t.Fatalf("connection status %+v, %v", cs, err)
	}
	quick := *cs.Settings
	quick.HeartlandSweepSeconds = 1
	if _, err := st.Starter.ConfigureConnection(ctx, benchConnection, quick, cs.Version); err != nil {
		t.Fatal(err)
	}
	listings := func() int { return st.Fakes.Routes()["HL GET /api/sales/orders"] }
	before := listings()
	wait(t, ctx, "the Heartland sweep to list the sales orders twice", func() bool { return listings() >= before+2 })
	hist, err := readHistory(ctx, st.Client, workflows.OrderWorkflowID(benchConnection, o.ID))
	if err != nil {
		t.Fatal(err)
	}
	told := 0
	for _, ev := range hist.Events {
		if ev.GetWorkflowExecutionSignaledEventAttributes().GetSignalName() == workflows.OrderHeartlandChangedSignal {
			told++
		}
	}
	if told != 0 {
		t.Errorf("the Heartland sweep told the order %d times of its own import", told)
	}
}

// wait polls cond until it holds, failing the test when ctx ends first.
func wait(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	if err := waitUntil(ctx, 100*time.Millisecond, what, cond); err != nil {
		t.Fatal(err)
	}
}
