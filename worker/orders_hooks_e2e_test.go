package worker_test

import (
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/workflows"
)

// Hooks the store deactivates (as BigCommerce does after failed
// deliveries) are noticed by the next sweep round, turned back on and
// reported where an operator looks.
func TestEndToEndDeactivatedHooksAreReenabledAndReported(t *testing.T) {
	sh := newOrderShop(t, func(s *workflows.Settings, _ *orderShop) { s.OrderSweepSeconds = 1 })
	c, err := bigcommerce.New(sh.BC.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	off := false
	for _, h := range sh.BC.Hooks() {
		if _, err := c.UpdateHook(sh.ctx(), h.ID, bigcommerce.HookUpdate{IsActive: &off}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "every hook active again", func() bool {
		for _, h := range sh.BC.Hooks() {
			if !h.IsActive {
				return false
			}
		}
		return true
	})
	waitFor(t, "the re-enable reported by `starter errors`", func() bool {
		items, err := sh.Starter.NeedsAttention(sh.ctx())
		if err != nil {
			return false
		}
		for _, it := range items {
			if strings.Contains(it.WorkflowID, "order-sweep") && strings.Contains(it.Reason, "turned them back on") {
				return true
			}
		}
		return false
	})
}
