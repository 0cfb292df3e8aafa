package starter

import (
	"strings"
	"testing"
	"time"
)

func TestWaitingDistributionQueryAndReason(t *testing.T) {
	q := waitingDistributionQuery(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	for _, want := range []string{"WorkflowType = 'Order'", "ExecutionStatus = 'Running'", "HrbcStage = 'awaiting_distribution'", "StartTime < '2026-12-01T08:00:00Z'"} {
		if !strings.Contains(q, want) {
			t.Errorf("query %q lacks %q", q, want)
		}
	}
	if got := waitingReason(50 * time.Hour); !strings.Contains(got, "2d2h") {
		t.Errorf("reason %q, want the age 2d2h", got)
	}
}
