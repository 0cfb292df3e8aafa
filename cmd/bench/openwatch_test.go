package main

import (
	"math"
	"testing"
	"time"
)

// Orders arriving once a second and each opened half a second later are
// handled at one a second; the count over Span reads more (5 in 4.5 s).
func TestDoneRateReadsTheRateKeptUpWith(t *testing.T) {
	w := NewWatch(nil)
	t0 := time.Unix(1000, 0)
	var keys []int
	for i := range 5 {
		at := t0.Add(time.Duration(i) * time.Second)
		w.Start(i, at)
		w.done[i], w.doneAt[i] = 500*time.Millisecond, at.Add(500*time.Millisecond)
		keys = append(keys, i)
	}
	w.Start(99, t0) // never opened: not counted
	keys = append(keys, 99)
	if got := w.DoneRate(keys); math.Abs(got-1) > 1e-9 {
		t.Errorf("DoneRate = %v, want 1", got)
	}
	if got := float64(len(w.Samples(keys))) / w.Span(keys).Seconds(); math.Abs(got-1) < 0.05 {
		t.Errorf("count over Span = %v: the test no longer tells the two apart", got)
	}
	if got := w.DoneRate(keys[:1]); got != 0 {
		t.Errorf("DoneRate of one completion = %v, want 0", got)
	}
}

func TestKeptUpNeedsTheTargetOfferedAndOpened(t *testing.T) {
	for _, tc := range []struct {
		opened, offered float64
		want            bool
	}{
		{20.0, 20.0, true}, {19.9, 20.0, true}, {19.7, 20.0, false}, {14.0, 14.0, false}, {21, 21, true},
	} {
		if got := keptUp(tc.opened, tc.offered, 20); got != tc.want {
			t.Errorf("keptUp(%v of %v) = %v, want %v", tc.opened, tc.offered, got, tc.want)
		}
	}
}
