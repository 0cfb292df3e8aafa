package worker_test

import (
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// sweepStatus is what the connection's order sweep reports.
func (sh *orderShop) sweepStatus(t *testing.T) workflows.SweepStatus {
	t.Helper()
	v, err := sh.Temporal.QueryWorkflow(sh.ctx(), workflows.OrderSweepWorkflowID(sh.ConnectionID), "", workflows.SweepStatusQuery)
	if err != nil {
		t.Fatal(err)
	}
	var st workflows.SweepStatus
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// sweepNow runs a round of the order sweep and waits for it.
func (sh *orderShop) sweepNow(t *testing.T) workflows.SweepStatus {
	t.Helper()
	rounds := sh.sweepStatus(t).Rounds
	if err := sh.Temporal.SignalWorkflow(sh.ctx(), workflows.OrderSweepWorkflowID(sh.ConnectionID), "", workflows.SweepNowSignal, nil); err != nil {
		t.Fatal(err)
	}
	var st workflows.SweepStatus
	waitFor(t, "a round of the sweep", func() bool {
		st = sh.sweepStatus(t)
		return st.Rounds > rounds
	})
	return st
}

// An order the webhooks brought in is read by its workflow, which keeps
// that read in its memo; the sweep, reading the memo from visibility, does
// not hand the order over again. When the merchant then changes the order
// and no webhook tells, the sweep does hand it over, and the order acts.
func TestEndToEndSweepPassesOverOrdersTheWebhooksBrought(t *testing.T) {
	// The sweep runs its rounds when told to: none lists the order before
	// its workflow has read it.
	sh := newOrderShop(t, func(s *workflows.Settings, _ *orderShop) { s.OrderSweepSeconds = 3600 })
	id := sh.order(t, bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	st := sh.waitStage(t, id, workflows.OrderStageAwaitingDistribution)

	runs := worker.OrderRuns{Client: sh.Temporal, DataConverter: codec.DataConverter(workertest.TestKeyRing())}
	waitFor(t, "the order's last read in visibility", func() bool {
		reads, err := runs.LastRead(sh.ctx(), sh.ConnectionID, []int{id, id + 1000})
		if err != nil {
			t.Fatal(err)
		}
		r, ok := reads[id]
		return ok && len(reads) == 1 && r.DateModified == st.DateModified && r.StatusID == st.BigCommerceStatus && !r.Finished
	})

	// A round of the sweep lists the order and leaves it to its workflow.
	// (A round that began before the order was read may have handed it
	// over once, rightly.)
	before := sh.sweepStatus(t).Swept
	if now := sh.sweepNow(t); now.Swept != before || now.Watermark != st.DateModified {
		t.Errorf("after a round the sweep has handed over %d orders (%d before) up to %s: want none more, its workflow had read it, and the watermark at %s",
			now.Swept, before, now.Watermark, st.DateModified)
	}

	// The merchant cancels the order; the webhook is lost.
	sh.loseWebhooks(t)
	if err := sh.BC.SetOrderStatus(id, 5); err != nil {
		t.Fatal(err)
	}
	if now := sh.sweepNow(t); now.Swept != before+1 {
		t.Errorf("the sweep has handed over %d orders after the merchant cancelled one, want %d", now.Swept, before+1)
	}
	sh.waitStage(t, id, workflows.OrderStageCancelled)
}

// loseWebhooks deletes the store's webhooks, as if BigCommerce had stopped
// delivering them: only the sweep finds what changes next.
func (sh *orderShop) loseWebhooks(t *testing.T) {
	t.Helper()
	c, err := bigcommerce.New(sh.BC.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range sh.BC.Hooks() {
		if _, err := c.DeleteHook(sh.ctx(), h.ID); err != nil {
			t.Fatal(err)
		}
	}
}
