// Package testclock is the clock hrbc's tests run on. By default it is the
// real present. Setting HRBC_TEST_CLOCK moves it: either to a point in time
// (RFC 3339, "2030-06-01T12:00:00Z") or by an offset from the present
// (a Go duration, "8760h" for a year ahead, "-8760h" for a year back).
//
// CI runs the workflow and activity tests once with the clock a year ahead,
// so a test that ties a fixed calendar date to "now" fails in the same run
// that adds it, not on the day the real date passes the fixed one.
//
// It imports nothing of hrbc and is meant for tests only.
package testclock

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// Variable is the environment variable that moves the test clock.
const Variable = "HRBC_TEST_CLOCK"

var (
	once   sync.Once
	offset time.Duration
	err    error
)

// Offset is how far the test clock is from the real present. It panics on a
// malformed HRBC_TEST_CLOCK, naming the variable and its value, because a
// test run under a clock it did not ask for would prove nothing.
func Offset() time.Duration {
	once.Do(func() { offset, err = parse(os.Getenv(Variable), time.Now()) })
	if err != nil {
		panic(err)
	}
	return offset
}

// Now is the test clock's present: time.Now moved by Offset, in UTC.
func Now() time.Time { return time.Now().Add(Offset()).UTC() }

// parse turns the variable's value into an offset from now.
func parse(v string, now time.Time) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	if at, perr := time.Parse(time.RFC3339, v); perr == nil {
		return at.Sub(now), nil
	}
	d, perr := time.ParseDuration(strings.TrimPrefix(v, "+"))
	if perr != nil {
		return 0, fmt.Errorf("%s=%q: want an RFC 3339 time (2030-06-01T12:00:00Z) or an offset from now (8760h, -8760h)", Variable, v)
	}
	return d, nil
}

// Seconds is Now truncated to whole seconds, for fakes whose timestamps
// carry no fraction (BigCommerce's).
func Seconds() time.Time { return Now().Truncate(time.Second) }
