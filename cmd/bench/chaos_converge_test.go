package main

import (
	"testing"
	"time"
)

// Convergence is the last moment every SKU became equal after faults off;
// the longest gap is the longest stretch with a difference.
func TestConvergeWatch(t *testing.T) {
	off := time.Unix(1000, 0)
	at := func(s float64) time.Time { return off.Add(time.Duration(s * float64(time.Second))) }
	w := newConvergeWatch(off)
	w.observe(at(0), 15)
	w.observe(at(2), 3)
	w.observe(at(4), 0) // equal after 4 s
	w.observe(at(5), 1) // a late order moves stock
	w.observe(at(5.5), 0)
	w.observe(at(9), 0)
	c, longest := w.result(at(9))
	if c != 5500*time.Millisecond || longest != 4*time.Second || w.worst != 15 {
		t.Fatalf("converge %v longest %v worst %d", c, longest, w.worst)
	}
	never := newConvergeWatch(off)
	never.observe(at(1), 2)
	if c, longest := never.result(at(200)); c != -1 || longest != 200*time.Second {
		t.Fatalf("never: %v %v", c, longest)
	}
	r := ChaosResult{Config: ChaosConfig{MaxConverge: 10 * time.Second}, Converge: 11 * time.Second}
	if r.convergedInTime() {
		t.Error("11 s passed a 10 s limit")
	}
	r.Converge = -1
	if r.convergedInTime() {
		t.Error("never converging passed")
	}
	r.Config.MaxConverge, r.Converge = 0, -1
	if !r.convergedInTime() {
		t.Error("no limit failed")
	}
}
