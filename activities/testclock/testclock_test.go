package testclock

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Now()
	year := 8760 * time.Hour
	for in, want := range map[string]time.Duration{"": 0, "  ": 0, "8760h": year, "+8760h": year, "-8760h": -year,
		now.Add(year).Format(time.RFC3339Nano): year} {
		got, err := parse(in, now)
		if err != nil || got.Round(time.Second) != want {
			t.Errorf("parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"next year", "2030-13-01", "1y"} {
		if _, err := parse(in, now); err == nil || !strings.Contains(err.Error(), Variable) {
			t.Errorf("parse(%q) err = %v, want an error naming %s", in, err, Variable)
		}
	}
}

func TestNowFollowsTheOffset(t *testing.T) {
	got := Now().Sub(time.Now().Add(Offset()))
	if got < -time.Second || got > time.Second {
		t.Fatalf("Now is %v away from the real present moved by Offset", got)
	}
}
