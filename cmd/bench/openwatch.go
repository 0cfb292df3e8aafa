package main

import (
	"context"
	"sync"
	"time"
)

// Watch measures, for many keys, the time from a start mark to the first
// poll at which a condition holds. One goroutine polls every pending key,
// so the resolution is the poll interval.
type Watch struct {
	mu      sync.Mutex
	started map[int]time.Time
	done    map[int]time.Duration
	doneAt  map[int]time.Time
	cond    func(key int) bool
}

// NewWatch watches cond for the keys that Start marks.
func NewWatch(cond func(key int) bool) *Watch {
	return &Watch{started: map[int]time.Time{}, done: map[int]time.Duration{}, doneAt: map[int]time.Time{}, cond: cond}
}

// Start marks key's start time.
func (w *Watch) Start(key int, at time.Time) {
	w.mu.Lock()
	w.started[key] = at
	w.mu.Unlock()
}

// Run polls until ctx ends.
func (w *Watch) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w.mu.Lock()
		var pending []int
		for k := range w.started {
			if _, ok := w.done[k]; !ok {
				pending = append(pending, k)
			}
		}
		w.mu.Unlock()
		for _, k := range pending {
			if w.cond(k) {
				now := time.Now()
				w.mu.Lock()
				w.done[k] = now.Sub(w.started[k])
				w.doneAt[k] = now
				w.mu.Unlock()
			}
		}
	}
}

// Wait blocks until every started key is done or ctx ends.
func (w *Watch) Wait(ctx context.Context) error {
	return waitUntil(ctx, 50*time.Millisecond, "every measured change", func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return len(w.done) == len(w.started)
	})
}

// Times returns when key was marked and when its condition was first seen
// to hold; ok is false unless both happened.
func (w *Watch) Times(key int) (started, done time.Time, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	started, begun := w.started[key]
	done, finished := w.doneAt[key]
	return started, done, begun && finished
}

// Samples returns the measured durations of keys (all keys when nil).
func (w *Watch) Samples(keys []int) []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []time.Duration
	if keys == nil {
		for _, d := range w.done {
			out = append(out, d)
		}
		return out
	}
	for _, k := range keys {
		if d, ok := w.done[k]; ok {
			out = append(out, d)
		}
	}
	return out
}

// Span is the time from the earliest start to the latest completion among keys.
func (w *Watch) Span(keys []int) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	var first, last time.Time
	for _, k := range keys {
		if s, ok := w.started[k]; ok && (first.IsZero() || s.Before(first)) {
			first = s
		}
		if d, ok := w.doneAt[k]; ok && d.After(last) {
			last = d
		}
	}
	if first.IsZero() || last.IsZero() {
		return 0
	}
	return last.Sub(first)
}

// DoneRate is the keys' completions per second between the first and the
// last of them: n completions span n-1 intervals. Unlike the keys' count
// over Span, it does not count the last key's latency as time the keys
// took, so a system that keeps up with an arrival rate reads that rate.
// It is 0 with fewer than two completions.
func (w *Watch) DoneRate(keys []int) float64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	var first, last time.Time
	n := 0
	for _, k := range keys {
		d, ok := w.doneAt[k]
		if !ok {
			continue
		}
		n++
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	if n < 2 || !last.After(first) {
		return 0
	}
	return float64(n-1) / last.Sub(first).Seconds()
}
