package main

import (
	"time"
)

// convergeWatch measures how long the store and Heartland disagree on stock
// once the faults stop: Converge is the time from "faults off" until every
// linked SKU is equal for good (the last moment they became equal), and
// LongestGap the longest stretch in which some SKU differed. Checked every
// convergeTick, so both are that precise.
type convergeWatch struct {
	off       time.Time
	equalFrom time.Time // zero while some SKU differs
	gapFrom   time.Time // zero while every SKU is equal
	longest   time.Duration
	worst     int // most SKUs differing at once
}

// convergeTick is how often the quiescence wait compares the stock.
const convergeTick = 200 * time.Millisecond

func newConvergeWatch(off time.Time) *convergeWatch { return &convergeWatch{off: off, gapFrom: off} }

// observe records one comparison made at now with differing SKUs.
func (w *convergeWatch) observe(now time.Time, differing int) {
	w.worst = max(w.worst, differing)
	if differing == 0 {
		if w.equalFrom.IsZero() {
			w.equalFrom = now
			w.longest = max(w.longest, now.Sub(w.gapFrom))
			w.gapFrom = time.Time{}
		}
		return
	}
	if w.gapFrom.IsZero() {
		w.gapFrom = now
	}
	w.equalFrom = time.Time{}
}

// result is Converge (-1 when the SKUs never became equal) and LongestGap.
func (w *convergeWatch) result(now time.Time) (converge, longest time.Duration) {
	if w.equalFrom.IsZero() {
		return -1, max(w.longest, now.Sub(w.gapFrom))
	}
	return w.equalFrom.Sub(w.off), w.longest
}

// fmtConverge prints a convergence time, "never" for -1.
func fmtConverge(d time.Duration) string {
	if d < 0 {
		return "never"
	}
	return d.Round(100 * time.Millisecond).String()
}
