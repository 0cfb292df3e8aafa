package workflows

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// memoTimeline records, in the order they happen, each memo upsert (its
// keys, joined by "+") and each import scheduled as an activity.
func memoTimeline(env *testsuite.TestWorkflowEnvironment) *[]string {
	var log []string
	env.OnUpsertMemo(mock.Anything).Run(func(args mock.Arguments) {
		keys := slices.Sorted(maps.Keys(args.Get(0).(map[string]any)))
		log = append(log, strings.Join(keys, "+"))
	}).Return(nil)
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == "ImportSalesOrder" {
			log = append(log, "import activity")
		}
	})
	return &log
}

// A new order imported in place writes what it read of the BigCommerce
// order and its Heartland order's stamp in one upsert: one history event
// and one visibility update. When the import must wait as an activity,
// the read is written before it, so the order sweep knows it meanwhile.
// Runs under earlier versions write the two one after the other.
func TestOrderWritesItsReadAndItsStampInOneUpsert(t *testing.T) {
	both := OrderReadMemo + "+" + OrderHeartlandMemo
	for _, c := range []struct {
		name         string
		version      workflow.Version
		busy, outage int
		missing      bool
		want         []string
	}{
		{name: "in place", version: orderQuietLatest, want: []string{both}},
		{name: "busy", version: orderQuietLatest, busy: 1, want: []string{OrderReadMemo, "import activity", OrderHeartlandMemo}},
		{name: "failed in place", version: orderQuietLatest, outage: 1, want: []string{OrderReadMemo, "import activity", OrderHeartlandMemo}},
		{name: "unknown SKU", version: orderQuietLatest, missing: true, want: []string{OrderReadMemo}},
		{name: "before the change", version: orderInPlaceVersion, want: []string{OrderReadMemo, OrderHeartlandMemo}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newOrderWorld(false)
			w.importBusy, w.importOutage = c.busy, c.outage
			if c.missing {
				w.missing = []string{"MUG"}
			}
			env := newOrderEnv(t, w)
			env.OnGetVersion(orderQuietChange, workflow.DefaultVersion, orderQuietLatest).Return(c.version)
			log := memoTimeline(env)
			st := stateAfterAMinute(t, env)
			if !slices.Equal(*log, c.want) {
				t.Errorf("memo upserts and imports %q, want %q", *log, c.want)
			}
			want := OrderStageAwaitingDistribution
			if c.missing {
				want = OrderStageAttention
			}
			if st.Stage != want {
				t.Errorf("stage after the import %q, want %q (%+v)", st.Stage, want, st)
			}
		})
	}
}
