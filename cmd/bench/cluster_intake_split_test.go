package main

import (
	"testing"
	"time"
)

// An order's intake is cut where its webhook was answered; orders without
// an answered webhook or never opened are left out, and a webhook answered
// a little before the bench marked the order (clocks read in two places)
// counts as zero, never negative.
func TestSplitAtWebhook(t *testing.T) {
	t0 := time.Unix(0, 0).Add(time.Hour) // any instant; only differences matter
	w := NewWatch(func(int) bool { return false })
	mark := func(key int, started, done time.Duration) {
		w.Start(key, t0.Add(started))
		if done > 0 {
			w.mu.Lock()
			w.doneAt[key] = t0.Add(done)
			w.done[key] = done - started
			w.mu.Unlock()
		}
	}
	mark(1, 0, 600*time.Millisecond)
	mark(2, time.Second, 1500*time.Millisecond)
	mark(3, 0, 5*time.Second)                     // no answered webhook: the sweep brought it in
	mark(4, 0, 0)                                 // never opened
	mark(5, 2*time.Second, 2100*time.Millisecond) // answered before it was marked
	answered := map[int]time.Time{
		1: t0.Add(100 * time.Millisecond),
		2: t0.Add(1300 * time.Millisecond),
		4: t0.Add(50 * time.Millisecond),
		5: t0.Add(1990 * time.Millisecond),
	}
	got := splitAtWebhook(w, answered, []int{1, 2, 3, 4, 5})
	if got.Webhook.Count != 3 || got.Workflow.Count != 3 {
		t.Fatalf("counts %d and %d, want 3 and 3 (orders 1, 2 and 5)", got.Webhook.Count, got.Workflow.Count)
	}
	if got.Webhook.Max != 300*time.Millisecond || got.Workflow.Max != 500*time.Millisecond {
		t.Errorf("max webhook %v workflow %v, want 300ms and 500ms", got.Webhook.Max, got.Workflow.Max)
	}
	if got.Webhook.P50 != 100*time.Millisecond {
		t.Errorf("webhook p50 %v, want 100ms (order 5 counts as 0, never negative)", got.Webhook.P50)
	}
	if none := splitAtWebhook(w, answered, nil); none.Webhook.Count != 0 || none.Workflow.Count != 0 {
		t.Errorf("no keys: %+v", none)
	}
}
