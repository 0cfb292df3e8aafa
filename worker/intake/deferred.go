package intake

import (
	"container/heap"
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Deferring a BigCommerce delivery. BigCommerce judges a webhook
// destination by its domain, for every store of the app at once: once a
// domain has taken 100 deliveries in two minutes and answered fewer than
// 90 % of them with a 2xx, BigCommerce stops delivering to it for three
// minutes and queues every store's events for retries, the first a minute
// later. An intake that answers 503 while its Temporal server is slow
// therefore holds up every store of the fleet, not just the delivery it
// could not hand over, and the redeliveries arrive when the server is
// busiest. A delivery carries no data (the order is read afresh from
// BigCommerce), and the order sweep finds any order a webhook missed, so
// the intake can take a delivery it cannot hand over now, answer 202 and
// hand it over in the background: it does so for a connection it has
// seen with order sync on (and for new products), within a bound on what
// it holds. A delivery it cannot hold still gets its 503.

// Deferral bounds; fields of deferredHandOvers so tests can set their own.
const (
	// defaultDeferredBound caps the deliveries one intake holds. At 20
	// orders a second, ten minutes of a server outage; beyond it a
	// delivery is answered 503 and BigCommerce keeps it.
	defaultDeferredBound = 10000
	// defaultDeferredMaxAge is how long a held delivery is tried before the
	// intake leaves it to the order sweep (which, at its default period,
	// finds the order within two minutes).
	defaultDeferredMaxAge = time.Hour
	// deferredRunners is how many held deliveries are handed over at once:
	// few, so that a server catching up is not met by all of them at once.
	deferredRunners = 4
	// deferredFirstRetry and deferredLastRetry bound the wait between two
	// tries of one delivery, doubling from the first to the last.
	deferredFirstRetry = time.Second
	deferredLastRetry  = 30 * time.Second
	// defaultHandOversInFlight bounds the hand-overs the intake's handlers
	// wait for at once. More waiting means the server is behind; a
	// delivery arriving then is held at once rather than adding a call.
	defaultHandOversInFlight = 32
)

// deferredJob is one delivery held for a later hand-over.
type deferredJob struct {
	key      string // what it hands over; one job per key
	hand     func(ctx context.Context) error
	since    time.Time // when the delivery arrived
	due      time.Time // when it is tried next
	attempts int
}

// jobQueue orders held jobs by when they are due (container/heap).
type jobQueue []*deferredJob

func (q jobQueue) Len() int           { return len(q) }
func (q jobQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q jobQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *jobQueue) Push(x any)        { *q = append(*q, x.(*deferredJob)) }
func (q *jobQueue) Pop() any {
	old := *q
	n := len(old)
	j := old[n-1]
	old[n-1] = nil
	*q = old[:n-1]
	return j
}

// deferredHandOvers holds deliveries the intake answered 202 and hands
// them over with deferredRunners goroutines, retrying each with a growing
// wait until it succeeds or maxAge passes.
type deferredHandOvers struct {
	// ctx bounds the runners: the intake's background context, which its
	// Shutdown cancels.
	ctx    context.Context
	logger *slog.Logger
	bound  int
	maxAge time.Duration
	now    func() time.Time

	mu     sync.Mutex
	queue  jobQueue
	held   map[string]bool // keys queued or being handed over
	wake   chan struct{}   // a value when a job was added or finished
	closed bool            // no more jobs are taken (shutdown)
	stats  DeferredStats

	start sync.Once
	wg    sync.WaitGroup
}

// DeferredStats counts what the intake did with deliveries it held.
type DeferredStats struct {
	// Held counts deliveries answered 202 and held for a later hand-over
	// (a duplicate of one still held counts here, and is held once).
	Held int
	// HandedOver counts held deliveries handed over since.
	HandedOver int
	// Refused counts deliveries the intake could not hold (bound reached):
	// they were answered 503.
	Refused int
	// LeftToSweep counts held deliveries given up after maxAge or at
	// shutdown; the order sweep finds their orders.
	LeftToSweep int
}

// newDeferredHandOvers returns an empty holder with the defaults whose
// runners stop when ctx ends.
func newDeferredHandOvers(ctx context.Context, logger *slog.Logger) *deferredHandOvers {
	return &deferredHandOvers{ctx: ctx, logger: logger, bound: defaultDeferredBound, maxAge: defaultDeferredMaxAge,
		now: time.Now, held: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// add holds hand for a later try, keyed by key; it reports false when the
// holder is full or closed. A key already held is not held twice: its
// hand-over re-reads the order, so one covers both deliveries.
func (d *deferredHandOvers) add(key string, hand func(ctx context.Context) error) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	if d.held[key] {
		d.stats.Held++
		return true
	}
	if len(d.held) >= d.bound {
		d.stats.Refused++
		return false
	}
	now := d.now()
	heap.Push(&d.queue, &deferredJob{key: key, hand: hand, since: now, due: now})
	d.held[key] = true
	d.stats.Held++
	d.start.Do(func() {
		for range deferredRunners {
			d.wg.Add(1)
			go d.run(d.ctx)
		}
	})
	d.signal()
	return true
}

// signal wakes a runner; a wake already pending is enough. Caller holds mu.
func (d *deferredHandOvers) signal() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// run hands over held jobs as they fall due until ctx ends.
func (d *deferredHandOvers) run(ctx context.Context) {
	defer d.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		job, wait := d.next()
		if job == nil {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return
			case <-d.wake:
			case <-timer.C:
			}
			continue
		}
		d.try(ctx, job)
	}
}

// next takes the job due first if it is due; otherwise it says how long
// to wait for one.
func (d *deferredHandOvers) next() (*deferredJob, time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.queue) == 0 {
		return nil, time.Hour
	}
	if wait := d.queue[0].due.Sub(d.now()); wait > 0 {
		return nil, wait
	}
	j := heap.Pop(&d.queue).(*deferredJob)
	if len(d.queue) > 0 {
		// Another runner may take the next one meanwhile.
		d.signal()
	}
	return j, 0
}

// try hands job over once and requeues it with a longer wait on failure.
func (d *deferredHandOvers) try(ctx context.Context, job *deferredJob) {
	cctx, cancel := context.WithTimeout(ctx, signalTimeout)
	err := job.hand(cctx)
	cancel()
	d.mu.Lock()
	defer d.mu.Unlock()
	defer d.signal()
	job.attempts++
	switch {
	case err == nil:
		delete(d.held, job.key)
		d.stats.HandedOver++
		d.logger.Debug("held webhook delivery handed over", "delivery", job.key, "attempts", job.attempts)
	case ctx.Err() != nil || d.now().Sub(job.since) >= d.maxAge:
		delete(d.held, job.key)
		d.stats.LeftToSweep++
		d.logger.Error("held webhook delivery given up; the order sweep finds its order", "delivery", job.key,
			"attempts", job.attempts, "error", err)
	default:
		job.due = d.now().Add(retryWait(job.attempts))
		heap.Push(&d.queue, job)
		d.logger.Debug("held webhook delivery not handed over yet", "delivery", job.key, "attempts", job.attempts, "error", err)
	}
}

// retryWait is the wait after a job's nth failed try: doubling from
// deferredFirstRetry to deferredLastRetry, less up to a fifth at random so
// that jobs held together are not retried together.
func retryWait(n int) time.Duration {
	w := deferredLastRetry
	if n < 6 {
		w = min(deferredFirstRetry<<(n-1), deferredLastRetry)
	}
	return w - time.Duration(rand.Int64N(int64(w/5)+1))
}

// close stops taking jobs: add refuses from now on.
func (d *deferredHandOvers) close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
}

// waitIdle returns once nothing is held or ctx ends.
func (d *deferredHandOvers) waitIdle(ctx context.Context) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !d.idle() {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// stopped waits for the runners once d.ctx has ended and logs what was
// still held: the order sweep finds those orders.
func (d *deferredHandOvers) stopped() {
	d.wg.Wait()
	d.mu.Lock()
	defer d.mu.Unlock()
	if left := len(d.queue); left > 0 {
		d.stats.LeftToSweep += left
		d.logger.Warn("intake stopped holding webhook deliveries; the order sweep finds their orders", "deliveries", left)
		d.queue, d.held = nil, map[string]bool{}
	}
}

// idle reports that nothing is held.
func (d *deferredHandOvers) idle() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.held) == 0
}

// snapshot returns the counts so far.
func (d *deferredHandOvers) snapshot() DeferredStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}
