package bigcommercetest

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter is a fixed-window request counter per store, which is how
// BigCommerce describes its quota: N requests per window, refreshed when
// the window resets.
type limiter struct {
	mu       sync.Mutex
	quota    int
	window   time.Duration
	disabled bool
	start    time.Time
	used     int
	// busiest is the most requests one window allowed.
	busiest int
}

func newLimiter(quota int, window time.Duration, disabled bool) *limiter {
	if quota <= 0 {
		quota = DefaultQuota
	}
	if window <= 0 {
		window = DefaultWindow
	}
	return &limiter{quota: quota, window: window, disabled: disabled}
}

// take counts one request. It reports whether it is allowed, how many are
// left in the window and the time until the window resets.
func (l *limiter) take(now time.Time) (bool, int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.start.IsZero() || now.Sub(l.start) >= l.window {
		l.start = now
		l.used = 0
	}
	reset := l.window - now.Sub(l.start)
	if l.disabled {
		return true, disabledQuota, reset
	}
	if l.used >= l.quota {
		return false, 0, reset
	}
	l.used++
	l.busiest = max(l.busiest, l.used)
	return true, l.quota - l.used, reset
}

// settings returns quota and window under the lock (SetRateLimit may run concurrently).
func (l *limiter) settings() (int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.disabled {
		return disabledQuota, l.window
	}
	return l.quota, l.window
}

// BusiestWindow is the most requests the store allowed in one window of
// its quota, since it started or since the last SetRateLimit. It is the
// count the quota bounds: any 30 s that straddle two windows may see more
// (up to twice the quota) without a single 429, as on BigCommerce.
func (s *Server) BusiestWindow() int {
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	return s.lim.busiest
}

// disabledQuota is what the headers announce when the limiter is off, so a
// pacing client never waits.
const disabledQuota = 1000000

// SetRateLimit changes quota and window at run time and starts a new window.
func (s *Server) SetRateLimit(quota int, window time.Duration) {
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	s.lim.quota, s.lim.window, s.lim.disabled = quota, window, false
	s.lim.start, s.lim.used, s.lim.busiest = time.Time{}, 0, 0
}

// DisableRateLimit turns the limiter off.
func (s *Server) DisableRateLimit() {
	s.lim.mu.Lock()
	s.lim.disabled = true
	s.lim.mu.Unlock()
}

func setLimitHeaders(h http.Header, quota int, window time.Duration, left int, reset time.Duration) {
	h.Set("X-Rate-Limit-Time-Window-Ms", strconv.FormatInt(window.Milliseconds(), 10))
	h.Set("X-Rate-Limit-Time-Reset-Ms", strconv.FormatInt(max(reset.Milliseconds(), 1), 10))
	h.Set("X-Rate-Limit-Requests-Quota", strconv.Itoa(quota))
	h.Set("X-Rate-Limit-Requests-Left", strconv.Itoa(left))
}
