package workflows

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// longPollWatch records, on the test's clock, when long polls start and
// when they are cancelled. It replaces the environment's started listener
// (activityCounters' local count, set before it, stays).
type longPollWatch struct {
	starts, cancels []time.Duration
	// rounds are the regular rounds' starts.
	rounds []time.Duration
}

func watchLongPolls(env *testsuite.TestWorkflowEnvironment) *longPollWatch {
	w := &longPollWatch{}
	start := env.Now()
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		switch info.ActivityType.Name {
		case "WaitInventoryChanges":
			w.starts = append(w.starts, env.Now().Sub(start))
		case "SyncInventoryChanges":
			w.rounds = append(w.rounds, env.Now().Sub(start))
		}
	})
	env.SetOnActivityCanceledListener(func(info *activity.Info) {
		if info.ActivityType.Name == "WaitInventoryChanges" {
			w.cancels = append(w.cancels, env.Now().Sub(start))
		}
	})
	return w
}

// startedBetween counts the long polls started in [from, to).
func (w *longPollWatch) startedBetween(from, to time.Duration) int {
	return countBetween(w.starts, from, to)
}

// cancelledBefore counts the long polls cancelled before the turn-off.
func (w *longPollWatch) cancelledBefore(off time.Duration) int {
	return countBetween(w.cancels, 0, off)
}

func countBetween(at []time.Duration, from, to time.Duration) int {
	n := 0
	for _, s := range at {
		if s >= from && s < to {
			n++
		}
	}
	return n
}

// toldAt is when the tests' signals come: halfway through a long poll.
const toldAt = 10*time.Minute + 30*time.Second

// tellAt sends the changed signal c at d on the test's clock.
func tellAt(env *testsuite.TestWorkflowEnvironment, d time.Duration, c InventoryChanged) {
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(InventoryChangedSignal, c) }, d)
}

// runInventorySync runs the inventory sync of the tests' connection to its
// end (a turnOff), failing the test on its error.
func runInventorySync(t *testing.T, env *testsuite.TestWorkflowEnvironment) {
	t.Helper()
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
}

// namedRounds are the regular rounds that named items.
func (f *fakeInventory) namedRounds() [][]int64 {
	var out [][]int64
	for _, c := range f.changeCalls() {
		if len(c.ItemIDs) > 0 {
			out = append(out, c.ItemIDs)
		}
	}
	return out
}

// Items an order (or a catalog page) names reach the website in the
// workflow task that received the signal, by a local activity, and the
// long poll goes on: no cancellation, no new long poll, no regular round.
func TestInventoryToldItemsAreWrittenAlongsideTheLongPoll(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	_, local := activityCounters(env)
	polls := watchLongPolls(env)
	var signalledAt time.Time
	tellAt(env, toldAt, InventoryChanged{ItemIDs: []int64{7}, Source: "order opened"})
	env.RegisterDelayedCallback(func() {
		signalledAt = env.Now()
		env.SignalWorkflow(InventoryChangedSignal, InventoryChanged{ItemIDs: []int64{8, 7}, Source: "order opened"})
	}, 10*time.Minute+40*time.Second)
	turnOff(env, 20*time.Minute)
	runInventorySync(t, env)
	rounds := fake.itemsRounds()
	if len(rounds) != 2 || !slices.Equal(rounds[0].ItemIDs, []int64{7}) || !slices.Equal(rounds[1].ItemIDs, []int64{8, 7}) ||
		!rounds[0].Since.IsZero() || rounds[0].ConnectionID != "shop" {
		t.Fatalf("items rounds = %+v, want [7] then [8 7], without a watermark", rounds)
	}
	if local["SyncInventoryItems"] != 2 {
		t.Errorf("local activities %v, want the two items rounds", local)
	}
	if polls.cancelledBefore(20*time.Minute) != 0 || polls.startedBetween(10*time.Minute+time.Second, 11*time.Minute) != 0 {
		t.Errorf("long polls cancelled %d, started at %v: the signals cut the long poll short", polls.cancels, polls.starts)
	}
	if named := fake.namedRounds(); len(named) != 0 {
		t.Errorf("regular rounds naming items %v, want none", named)
	}
	p := queryProgress(t, env)
	if p.IncrementalWrites != 3 || p.LastWriteAt.Sub(signalledAt) > time.Second {
		t.Errorf("writes %d at %v, last signal at %v", p.IncrementalWrites, p.LastWriteAt, signalledAt)
	}
}

// A long poll whose last round wrote an item told meanwhile may have read
// it before the write it was told of: that item is written again at once.
// Items it did not write are not.
func TestInventoryToldItemsTheLongPollOverwroteAreWrittenAgain(t *testing.T) {
	for _, tc := range []struct {
		name      string
		waitWrote []int64
		want      [][]int64
	}{
		{"same item", []int64{7}, [][]int64{{7}}},
		{"other item", []int64{9}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeInventory{items: 3}
			env := newInventoryEnv(t, fake)
			env.RegisterDelayedCallback(func() {
				fake.mu.Lock()
				fake.waitWrote = tc.waitWrote
				fake.mu.Unlock()
				env.SignalWorkflow(InventoryChangedSignal, InventoryChanged{ItemIDs: []int64{7}})
			}, toldAt)
			turnOff(env, 15*time.Minute)
			runInventorySync(t, env)
			if got := fake.namedRounds(); !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Errorf("regular rounds naming items %v, want %v", got, tc.want)
			}
			if n := len(fake.itemsRounds()); n != 1 {
				t.Errorf("%d items rounds, want 1", n)
			}
		})
	}
}

// An items round that fails (an API throttling or down) is not retried
// in the workflow task: the long poll is cut short and a regular round,
// with its retries, writes the items at once.
func TestInventoryToldItemsFallBackToARoundWhenTheLocalWriteFails(t *testing.T) {
	fake := &fakeInventory{items: 3, failItems: errors.New("429 Too Many Requests")}
	env := newInventoryEnv(t, fake)
	polls := watchLongPolls(env)
	var signalledAt time.Time
	env.RegisterDelayedCallback(func() {
		signalledAt = env.Now()
		env.SignalWorkflow(InventoryChangedSignal, InventoryChanged{ItemIDs: []int64{7}})
	}, toldAt)
	turnOff(env, 15*time.Minute)
	runInventorySync(t, env)
	if named := fake.namedRounds(); len(named) != 1 || !slices.Equal(named[0], []int64{7}) {
		t.Fatalf("regular rounds naming items %v, want one naming 7", named)
	}
	if n := polls.cancelledBefore(15 * time.Minute); n != 1 {
		t.Errorf("%d long polls cancelled, want the one the failed write cut short", n)
	}
	p := queryProgress(t, env)
	if p.IncrementalWrites != 1 || p.LastWriteAt.Sub(signalledAt) > time.Second || p.LastError != "" {
		t.Errorf("writes %d at %v (signalled at %v), last error %q", p.IncrementalWrites, p.LastWriteAt, signalledAt, p.LastError)
	}
}

// A changed signal that names no items asks for a poll of the feed now,
// and a register sale's webhook names a movement the feed logs: both
// still cut the long poll short, and the round that follows reads the feed.
func TestInventoryPollNowAndSalesStillCutTheLongPoll(t *testing.T) {
	for _, c := range []InventoryChanged{{Source: "cli"}, {Source: InventorySourceSale, ItemIDs: []int64{7}}} {
		t.Run(c.Source, func(t *testing.T) {
			fake := &fakeInventory{items: 3}
			env := newInventoryEnv(t, fake)
			polls := watchLongPolls(env)
			tellAt(env, toldAt, c)
			turnOff(env, 12*time.Minute)
			runInventorySync(t, env)
			if polls.cancelledBefore(12*time.Minute) != 1 || polls.startedBetween(toldAt, toldAt+time.Second) != 1 {
				t.Errorf("long polls cancelled at %v, started at %v: want one cut at 10m30s and the next started then", polls.cancels, polls.starts)
			}
			if n := len(fake.itemsRounds()); n != 0 {
				t.Errorf("%d items rounds, want the feed's round instead", n)
			}
			var feed []activities.InventoryChangesInput
			for _, r := range fake.changeCalls() {
				if !r.Since.IsZero() && len(r.ItemIDs) > 0 && slices.Equal(r.ItemIDs, c.ItemIDs) {
					feed = append(feed, r)
				}
			}
			if len(c.ItemIDs) > 0 && len(feed) != 1 {
				t.Errorf("%d rounds of the feed naming %v, want the one the signal asked for", len(feed), c.ItemIDs)
			}
		})
	}
}

// Runs begun before the change cut the long poll for named items too.
func TestInventoryTellAlongsideOldRunsCut(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	env.OnGetVersion(inventoryTellAlongsideChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	polls := watchLongPolls(env)
	tellAt(env, toldAt, InventoryChanged{ItemIDs: []int64{7}})
	turnOff(env, 12*time.Minute)
	runInventorySync(t, env)
	if polls.cancelledBefore(12*time.Minute) != 1 || len(fake.itemsRounds()) != 0 {
		t.Errorf("old run: long polls cancelled at %v, items rounds %+v; want the cut and a regular round", polls.cancels, fake.itemsRounds())
	}
	if named := fake.namedRounds(); len(named) != 1 {
		t.Errorf("regular rounds naming items %v, want one", named)
	}
}

// Items rounds count toward the rounds of a run: a busy store's tells
// during one long poll end it when the run has had its rounds, and the
// run continues as new, rather than grow its history for the whole hour.
func TestInventoryToldItemsCountTowardContinueAsNew(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	began := env.Now()
	for i := range 30 {
		tellAt(env, toldAt+time.Duration(i)*time.Second, InventoryChanged{ItemIDs: []int64{int64(100 + i)}, Source: "order opened"})
	}
	env.ExecuteWorkflow(InventorySync, InventorySyncInput{ConnectionID: "shop", Settings: inventorySettings(),
		Options: InventoryOptions{RunRounds: 20}})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("err = %v, want continue-as-new", err)
	}
	rounds := fake.itemsRounds()
	if len(rounds) == 0 || len(rounds) >= 30 {
		t.Fatalf("%d items rounds before the hand-over, want some and not all 30", len(rounds))
	}
	var next InventorySyncInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	// Every told item is written before the hand-over or carried over.
	handled := map[int64]bool{}
	for _, r := range rounds {
		for _, id := range r.ItemIDs {
			handled[id] = true
		}
	}
	for _, r := range fake.namedRounds() {
		for _, id := range r {
			handled[id] = true
		}
	}
	for _, id := range next.State.PendingItemIDs {
		handled[id] = true
	}
	ended := env.Now()
	for i := range 30 {
		id, at := int64(100+i), toldAt+time.Duration(i)*time.Second
		if began.Add(at).Before(ended) && !handled[id] {
			t.Errorf("item %d, told %v in, before the hand-over, is neither written nor carried over", id, at)
		}
	}
}

// A long poll that fails is followed by one regular round of the feed at
// once, and the sync goes back to long polling; the items written beside
// it are not written again, since the failed long poll wrote nothing.
func TestInventoryLongPollFailureAfterToldItemsPollsOnce(t *testing.T) {
	fake := &fakeInventory{items: 3}
	env := newInventoryEnv(t, fake)
	polls := watchLongPolls(env)
	env.RegisterDelayedCallback(func() {
		fake.mu.Lock()
		fake.failWaits = 1
		fake.mu.Unlock()
	}, 10*time.Minute+15*time.Second)
	tellAt(env, toldAt, InventoryChanged{ItemIDs: []int64{7}, Source: "order opened"})
	turnOff(env, 13*time.Minute)
	runInventorySync(t, env)
	if n := len(fake.itemsRounds()); n != 1 {
		t.Fatalf("%d items rounds, want the one told", n)
	}
	// The long poll begun at 10m fails when it returns at 11m.
	if n := countBetween(polls.rounds, 11*time.Minute, 11*time.Minute+time.Second); n != 1 {
		t.Errorf("regular rounds started at %v, want one at 11m, right after the failed long poll", polls.rounds)
	}
	if polls.startedBetween(11*time.Minute, 11*time.Minute+time.Second) != 1 {
		t.Errorf("long polls started at %v, want the next one at 11m", polls.starts)
	}
	if named := fake.namedRounds(); len(named) != 0 {
		t.Errorf("regular rounds naming items %v, want none", named)
	}
	if p := queryProgress(t, env); p.LastError != "" {
		t.Errorf("last error %q after the round that followed", p.LastError)
	}
}
