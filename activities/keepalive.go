package activities

import (
	"context"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
)

// keepAliveEvery is how often a long activity tells Temporal it is alive
// (the SDK sends at most one heartbeat per 80 % of the heartbeat timeout).
const keepAliveEvery = 2 * time.Second

// keepAlive heartbeats an activity from a ticker, re-sending the details
// last given to beat, so that its heartbeat timeout can be short: a worker
// killed mid-activity is noticed within that timeout, not after the longest
// silent call the activity might make. Details are kept by value, so the
// caller may change its own copy at once.
type keepAlive struct {
	ctx     context.Context
	mu      sync.Mutex
	details []any
	done    chan struct{}
}

// startKeepAlive starts the ticker; stop it when the activity returns.
func startKeepAlive(ctx context.Context, details ...any) *keepAlive {
	k := &keepAlive{ctx: ctx, details: details, done: make(chan struct{})}
	go func() {
		t := time.NewTicker(keepAliveEvery)
		defer t.Stop()
		for {
			select {
			case <-k.done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				k.mu.Lock()
				d := k.details
				k.mu.Unlock()
				activity.RecordHeartbeat(ctx, d...)
			}
		}
	}()
	return k
}

// beat records details now and keeps re-sending them.
func (k *keepAlive) beat(details ...any) {
	k.mu.Lock()
	k.details = details
	k.mu.Unlock()
	activity.RecordHeartbeat(k.ctx, details...)
}

// stop ends the ticker.
func (k *keepAlive) stop() { close(k.done) }
