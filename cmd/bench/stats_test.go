package main

import (
	"testing"
	"time"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentileNearestRank(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 100; i++ {
		s = append(s, ms(i))
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, ms(50)}, {95, ms(95)}, {99, ms(99)}, {100, ms(100)}, {0.1, ms(1)}} {
		if got := Percentile(s, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Percentile(nil, 50); got != 0 {
		t.Errorf("empty = %v", got)
	}
	// Five samples: p95 and p99 are the largest, p50 the third.
	l := Summarise([]time.Duration{ms(5), ms(1), ms(4), ms(2), ms(3)})
	if l.P50 != ms(3) || l.P95 != ms(5) || l.P99 != ms(5) || l.Max != ms(5) || l.Count != 5 {
		t.Errorf("summary = %+v", l)
	}
}

func TestMinInventoryCalls(t *testing.T) {
	m := MinInventoryCalls(2000, 3, 2000)
	// Heartland pages of 5000: 1 item page + 2 value pages (6000 rows);
	// 8 catalog pages + 2 store pages, 1 write.
	if m.HeartlandReads != 3 || m.BigCommerceReads != 10 || m.Writes != 1 || m.Total() != 14 {
		t.Errorf("2000×3 = %+v", m)
	}
	m = MinInventoryCalls(2001, 1, 4001)
	if m.HeartlandReads != 2 || m.BigCommerceReads != 12 || m.Writes != 3 {
		t.Errorf("2001×1 = %+v", m)
	}
	if m := MinInventoryCalls(10, 2, 0); m.Writes != 0 || m.Total() != 4 {
		t.Errorf("nothing changed = %+v", m)
	}
}

func TestMinCatalogCallsAndQuota(t *testing.T) {
	m := MinCatalogCalls(500, 3)
	if m.BigCommerceReads != 2 || m.HeartlandWrites != 1500 || m.Total() != 1502 {
		t.Errorf("500×3 = %+v", m)
	}
	if m := MinCatalogCalls(1, 0); m.Total() != 2 {
		t.Errorf("simple product = %+v", m)
	}
	for _, c := range []struct {
		calls int
		want  time.Duration
	}{{0, 0}, {150, 0}, {151, 30 * time.Second}, {300, 30 * time.Second}, {301, time.Minute}} {
		if got := QuotaForcedTime(c.calls, 150, 30*time.Second); got != c.want {
			t.Errorf("QuotaForcedTime(%d) = %v, want %v", c.calls, got, c.want)
		}
	}
}

func TestPacingForcedTime(t *testing.T) {
	if got := PacingForcedTime(211, 0, 1); got != 42*time.Second {
		t.Errorf("211 calls at 5/s, burst 1 = %v, want 42s", got)
	}
	if got := PacingForcedTime(211, 0, 0); got != 40200*time.Millisecond {
		t.Errorf("211 calls at 5/s, default burst 10 = %v, want 40.2s", got)
	}
	if got := PacingForcedTime(4, 0, 0); got != 0 {
		t.Errorf("4 calls within the burst = %v, want 0", got)
	}
	if got := PacingForcedTime(211, -1, 0); got != 0 {
		t.Errorf("unpaced = %v", got)
	}
}

func TestPacingAllowance(t *testing.T) {
	for _, c := range []struct {
		rps            float64
		burst, workers int
		want           int
	}{{0, 0, 1, 60}, {5, 1, 1, 51}, {2.5, 4, 1, 29}, {-1, 0, 3, -1}, {0, 0, 3, 80}, {5, 1, 3, 53}, {5, 10, 0, 60}} {
		if got := PacingAllowance(10*time.Second, c.rps, c.burst, c.workers); got != c.want {
			t.Errorf("PacingAllowance(10s, %g, %d, %d workers) = %d, want %d", c.rps, c.burst, c.workers, got, c.want)
		}
	}
}
