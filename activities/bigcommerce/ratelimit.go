package bigcommerce

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rate-limit headers BigCommerce sends on every response (any case).
const (
	hdrWindowMs   = "X-Rate-Limit-Time-Window-Ms"
	hdrResetMs    = "X-Rate-Limit-Time-Reset-Ms"
	hdrQuota      = "X-Rate-Limit-Requests-Quota"
	hdrLeft       = "X-Rate-Limit-Requests-Left"
	hdrRetryAfter = "X-Retry-After"
)

// RateLimitState is the client's view of the store's quota.
type RateLimitState struct {
	Known   bool          // false until a response carried the headers
	Quota   int           // requests per window
	Left    int           // estimated requests left (in-flight ones subtracted)
	Window  time.Duration // window size
	ResetAt time.Time     // when the current window ends (local clock)
}

// pacer spaces requests so a steady workload stays under the quota. The
// quota is per store and shared by every app on it, so the server's headers
// are the only truth: each response refreshes the estimate, each send
// consumes one unit of it locally, and when little is left the remaining
// requests are spread evenly over the time until the window resets instead
// of being fired at once and meeting a 429.
type pacer struct {
	mu           sync.Mutex
	frac         float64
	reserve      int // requests per window left for other clients of the store
	st           RateLimitState
	nextEarliest time.Time
	blockedUntil time.Time
	inflight     int
}

func newPacer(frac float64, reserve int) *pacer {
	return &pacer{frac: frac, reserve: max(reserve, 0)}
}

func (p *pacer) state() RateLimitState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

// resetMargin absorbs clock granularity between our estimate of the reset
// and the server's.
const resetMargin = 5 * time.Millisecond

// roll assumes a fresh window once its reset time has passed. The next
// response corrects the assumption if other clients used part of it.
func (p *pacer) roll(at time.Time) {
	if !p.st.Known || at.Before(p.st.ResetAt) {
		return
	}
	if p.st.Window <= 0 {
		p.st.Known = false
		return
	}
	for !at.Before(p.st.ResetAt) {
		p.st.ResetAt = p.st.ResetAt.Add(p.st.Window)
	}
	p.st.Left = p.st.Quota
}

// errPaceTooLong reports that the next slot is further away than the
// caller is willing to sleep; delay says how far.
type errPaceTooLong struct{ delay time.Duration }

func (e errPaceTooLong) Error() string { return "pacing wait " + e.delay.String() }

// wait reserves the next send slot and sleeps until it. With maxWait > 0 a
// slot further away than maxWait is not reserved and errPaceTooLong is
// returned instead, so an activity can hand the wait to its retry policy.
func (p *pacer) wait(ctx context.Context, maxWait time.Duration) error {
	p.mu.Lock()
	prevNext, prevLeft := p.nextEarliest, p.st.Left
	now := time.Now()
	at := now
	if p.blockedUntil.After(at) {
		at = p.blockedUntil
	}
	if p.nextEarliest.After(at) {
		at = p.nextEarliest
	}
	if p.frac < 0 {
		// Pacing disabled: only 429 back-offs (blockedUntil) apply.
	} else if p.st.Known {
		p.roll(at)
	}
	if p.frac >= 0 && p.st.Known {
		usable := p.st.Left - min(p.reserve, p.st.Quota-1)
		if usable <= 0 {
			at = p.st.ResetAt.Add(resetMargin)
			p.roll(at)
		} else if float64(p.st.Left) < p.frac*float64(p.st.Quota) {
			spacing := p.st.ResetAt.Sub(at) / time.Duration(usable)
			p.nextEarliest = at.Add(spacing)
		}
		p.st.Left--
	}
	d := at.Sub(now)
	if maxWait > 0 && d > maxWait {
		p.nextEarliest = prevNext
		if p.st.Known {
			p.st.Left = prevLeft
		}
		p.mu.Unlock()
		return errPaceTooLong{d}
	}
	p.mu.Unlock()
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (p *pacer) sent() {
	p.mu.Lock()
	p.inflight++
	p.mu.Unlock()
}

// observe folds a response's headers (nil after a transport error) into the estimate.
func (p *pacer) observe(h http.Header) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight--
	if h == nil {
		return
	}
	left, okLeft := headerInt(h, hdrLeft)
	reset, okReset := headerMillis(h, hdrResetMs)
	if !okLeft || !okReset {
		return
	}
	quota, _ := headerInt(h, hdrQuota)
	window, _ := headerMillis(h, hdrWindowMs)
	now := time.Now()
	newReset := now.Add(reset)
	// Requests still in flight may already be counted by the server or
	// not; assume not, which errs on the safe side.
	est := left - p.inflight
	tol := window / 2
	if tol <= 0 {
		tol = time.Second
	}
	switch {
	case p.st.Known && absDur(newReset.Sub(p.st.ResetAt)) < tol:
		// Same window: keep the lower estimate (responses can arrive out
		// of order) and the later reset (the server's window may have
		// started later than we assumed when we rolled it ourselves).
		p.st.Left = min(p.st.Left, est)
		if newReset.After(p.st.ResetAt) {
			p.st.ResetAt = newReset
		}
	case p.st.Known && newReset.Before(p.st.ResetAt):
		// A late answer from an older window: ignore.
	default:
		p.st.Left = est
		p.st.ResetAt = newReset
	}
	p.st.Known = true
	if quota > 0 {
		p.st.Quota = quota
	}
	if window > 0 {
		p.st.Window = window
	}
}

// block stops every caller until d from now (after a 429).
func (p *pacer) block(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := time.Now().Add(d); until.After(p.blockedUntil) {
		p.blockedUntil = until
	}
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func headerInt(h http.Header, name string) (int, bool) {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > math.MaxInt32 || f < math.MinInt32 {
			return 0, false
		}
		n = int(f)
	}
	return n, true
}

func headerMillis(h http.Header, name string) (time.Duration, bool) {
	n, ok := headerInt(h, name)
	if !ok || n < 0 {
		return 0, false
	}
	return time.Duration(n) * time.Millisecond, true
}

func headerSeconds(h http.Header, name string) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > 86400 {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}
