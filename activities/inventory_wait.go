package activities

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/activity"
)

// InventoryWaitInput asks for a long poll: incremental rounds every
// Interval inside one activity, until one finds work or MaxWait passes.
type InventoryWaitInput struct {
	// Changes is the first round's input (watermark, scope); ItemIDs are
	// ignored: named items go to SyncInventoryChanges.
	Changes InventoryChangesInput `json:"changes"`
	// Interval is the pause before each round (the poll interval).
	Interval time.Duration `json:"interval"`
	// MaxWait is how long the activity polls without finding anything
	// before it returns.
	MaxWait time.Duration `json:"max_wait"`
}

// InventoryWaitResult is the round that found work (or the last idle
// one) and how many rounds the activity ran.
type InventoryWaitResult struct {
	InventoryChangesResult
	// Rounds counts the rounds run, the one returned included.
	Rounds int `json:"rounds"`
}

// inventoryWaitCursor is what the long poll heartbeats: a retried attempt
// resumes from it rather than from the input's watermark.
type inventoryWaitCursor struct {
	Since   time.Time `json:"since,omitzero"`
	SeenIDs []int64   `json:"seen_ids,omitempty"`
	AfterID int64     `json:"after_id,omitempty"`
	Rounds  int       `json:"rounds"`
}

// WaitInventoryChanges polls Heartland's movement feed every Interval and
// returns as soon as a round read a movement (having written the touched
// levels, exactly as SyncInventoryChanges does), or after MaxWait of idle
// rounds. The workflow's history then records one activity per change (or
// per MaxWait) instead of a timer and an activity per poll interval. The
// cursor travels in the heartbeat; the workflow cancels the activity when
// a signal names items, and a newer round of the same connection on this
// worker ends it too, so two long polls never run side by side here.
func (a *Inventory) WaitInventoryChanges(ctx context.Context, in InventoryWaitInput) (InventoryWaitResult, error) {
	return withClients(a.Connections, in.Changes.ConnectionID, func(cl Clients) (InventoryWaitResult, error) {
		cur := inventoryWaitCursor{Since: in.Changes.Since, SeenIDs: in.Changes.SeenIDs, AfterID: in.Changes.AfterID}
		if activity.HasHeartbeatDetails(ctx) {
			var hb inventoryWaitCursor
			if err := activity.GetHeartbeatDetails(ctx, &hb); err == nil && !hb.Since.IsZero() {
				cur = hb
			}
		}
		ctx, superseded, done := a.registerWait(ctx, in.Changes.ConnectionID)
		defer done()
		alive := startKeepAlive(ctx, cur)
		defer alive.stop()
		deadline := time.Now().Add(in.MaxWait)
		// ended is the answer of a long poll a newer round superseded (or
		// whose worker stops): the cursor as it stands, nothing found.
		// Ended by Temporal (the workflow cancelled it), it fails with the
		// context's error.
		ended := func(err error) (InventoryWaitResult, error) {
			if superseded.Load() {
				return InventoryWaitResult{InventoryChangesResult: InventoryChangesResult{Since: cur.Since, SeenIDs: cur.SeenIDs, AfterID: cur.AfterID}, Rounds: cur.Rounds}, nil
			}
			return InventoryWaitResult{}, err
		}
		for {
			switch pause(ctx, in.Interval) {
			case pauseCancelled:
				return ended(ctx.Err())
			case pauseWorkerStops:
				superseded.Store(true)
				return ended(nil)
			}
			round := in.Changes
			round.ItemIDs = nil
			round.Since, round.SeenIDs, round.AfterID = cur.Since, cur.SeenIDs, cur.AfterID
			res, err := a.syncChanges(ctx, cl, round, func() { alive.beat(cur) })
			if err != nil {
				return ended(err)
			}
			cur.Rounds++
			if res.Movements > 0 || res.Touched > 0 || res.More || len(res.Rejected) > 0 || res.FullSnapshot || !time.Now().Before(deadline) {
				return InventoryWaitResult{InventoryChangesResult: res, Rounds: cur.Rounds}, nil
			}
			cur.Since, cur.SeenIDs, cur.AfterID = res.Since, res.SeenIDs, res.AfterID
			alive.beat(cur)
		}
	})
}

// longPolls holds, per owner (an activities value and what it polls) and
// connection, the long poll running in this worker.
var longPolls sync.Map

type longPollKey struct {
	owner any
	id    string
}

type longPoll struct {
	cancel     context.CancelFunc
	superseded *atomic.Bool
}

// registerLongPoll makes ctx the current long poll of owner for a
// connection here, ending the one before (a workflow that moved on left it
// running until its next heartbeat would have told it). superseded is set
// when a newer one ends this one; done unregisters it.
func registerLongPoll(ctx context.Context, owner any, connectionID string) (_ context.Context, superseded *atomic.Bool, done func()) {
	supersedeLongPoll(owner, connectionID)
	ctx, cancel := context.WithCancel(ctx)
	w := &longPoll{cancel: cancel, superseded: &atomic.Bool{}}
	key := longPollKey{owner, connectionID}
	longPolls.Store(key, w)
	return ctx, w.superseded, func() {
		longPolls.CompareAndDelete(key, w)
		cancel()
	}
}

// supersedeLongPoll ends owner's long poll of a connection running in
// this worker, if any.
func supersedeLongPoll(owner any, connectionID string) {
	v, ok := longPolls.LoadAndDelete(longPollKey{owner, connectionID})
	if !ok {
		return
	}
	w := v.(*longPoll)
	w.superseded.Store(true)
	w.cancel()
}

// registerWait registers an inventory long poll (registerLongPoll).
func (a *Inventory) registerWait(ctx context.Context, connectionID string) (context.Context, *atomic.Bool, func()) {
	return registerLongPoll(ctx, a, connectionID)
}

// supersedeWait ends the connection's inventory long poll running here, if any.
func (a *Inventory) supersedeWait(connectionID string) { supersedeLongPoll(a, connectionID) }

// pause outcomes of a long poll's wait between rounds.
const (
	pauseOver = iota
	pauseCancelled
	pauseWorkerStops
)

// pause waits d between a long poll's rounds. It ends early when ctx ends
// (pauseCancelled) or the worker stops (pauseWorkerStops): a long poll
// then returns where it stands, so that a deploy does not wait out the
// shutdown timeout and the workflow's next long poll goes to a live worker.
func pause(ctx context.Context, d time.Duration) int {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return pauseCancelled
	case <-activity.GetWorkerStopChannel(ctx):
		return pauseWorkerStops
	case <-t.C:
		return pauseOver
	}
}
