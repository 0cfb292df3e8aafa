package workflows

import (
	"testing"

	"go.temporal.io/sdk/workflow"
)

// The import runs in place when it can; refused (busy) or failed there, it
// runs as an activity and the order is imported all the same. A run under
// an earlier version of orderQuietChange schedules it as an activity at
// once, as it always did.
func TestOrderImportInPlace(t *testing.T) {
	for _, c := range []struct {
		name              string
		version           workflow.Version
		busy, outage      int
		inPlace, activity int
	}{
		{name: "in place", version: orderQuietLatest, inPlace: 1},
		{name: "busy", version: orderQuietLatest, busy: 1, inPlace: 1, activity: 1},
		{name: "failed in place", version: orderQuietLatest, outage: 1, inPlace: 1, activity: 1},
		{name: "before the change", version: orderStampsVersion, activity: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newOrderWorld(false)
			w.importBusy, w.importOutage = c.busy, c.outage
			env := newOrderEnv(t, w)
			env.OnGetVersion(orderQuietChange, workflow.DefaultVersion, orderQuietLatest).Return(c.version)
			all, local := activityCounters(env)
			st := stateAfterAMinute(t, env)
			if got := local["ImportSalesOrder"]; got != c.inPlace {
				t.Errorf("imports in place %d, want %d", got, c.inPlace)
			}
			if got := all["ImportSalesOrder"] - local["ImportSalesOrder"]; got != c.activity {
				t.Errorf("imports as activities %d, want %d", got, c.activity)
			}
			if st.Stage != OrderStageAwaitingDistribution || st.HeartlandOrderID != 900 || len(st.Lines) != 2 || st.Lines[1].LineID != 71 {
				t.Errorf("state after the import: %+v", st)
			}
		})
	}
}
