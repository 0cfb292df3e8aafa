package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestParseStatReadsNameAndCPU(t *testing.T) {
	// A name with a space and a parenthesis; utime 250 and stime 50 ticks.
	line := []byte("4242 (post gres) x) S 1 4242 4242 0 -1 4194560 1200 0 0 0 250 50 0 0 20 0 1 0 100 2000000 300 18446744073709551615\n")
	comm, cpu, err := parseStat(line)
	if err != nil {
		t.Fatal(err)
	}
	if comm != "post gres) x" || cpu != 3*time.Second {
		t.Errorf("parsed %q %s, want %q 3s", comm, cpu, "post gres) x")
	}
	for _, bad := range []string{"4242 no name S 1", "4242 (short) S 1 2 3", "4242 (x) S 1 4242 4242 0 -1 4194560 1200 0 0 0 many 50 0"} {
		if _, _, err := parseStat([]byte(bad)); err == nil {
			t.Errorf("parseStat(%q) took it", bad)
		}
	}
}

// The bench's own CPU time grows as it works, and the figures divide it
// by the phase's span and orders.
func TestProcessCPUGrowsWithWork(t *testing.T) {
	// Busy until the clock of ticks moves on, or for ten seconds at most:
	// a loaded machine slows the loop, it does not stop it.
	before := ProcessCPU(os.Getpid())
	after, n := before, 0
	for deadline := time.Now().Add(10 * time.Second); after == before && time.Now().Before(deadline); n++ {
		if n%100000 == 0 {
			after = ProcessCPU(os.Getpid())
		}
	}
	if after <= before {
		t.Fatalf("CPU time %s after a busy loop of %d turns, %s before", after, n, before)
	}
	if ProcessCPU(-1) != 0 {
		t.Error("a process that does not exist used CPU")
	}
	f := CPUFigures{Used: CPUSample{Server: 6 * time.Second, Postgres: 4 * time.Second, Workers: 2 * time.Second}, Span: 10 * time.Second, Orders: 100}
	if got := f.Cores(f.Used.Server); got != 0.6 {
		t.Errorf("server kept %.2f cores busy, want 0.60", got)
	}
	if got := f.PerOrder(f.Used.Postgres); got != 40*time.Millisecond {
		t.Errorf("PostgreSQL per order %s, want 40ms", got)
	}
	if got := f.CoresFor(20); got < 2.39 || got > 2.41 {
		t.Errorf("20 orders/s would take %.2f cores, want 2.4", got)
	}
}

func TestParseProcStatCountsAllButIdle(t *testing.T) {
	// user 100, nice 10, system 50, idle 1000, iowait 40, irq 5, softirq
	// 30, steal 5 ticks: 200 busy, whatever the guest times after them.
	stat := []byte("cpu  100 10 50 1000 40 5 30 5 7 0\ncpu0 50 5 25 500 20 2 15 2 0 0\n")
	busy, err := parseProcStat(stat)
	if err != nil {
		t.Fatal(err)
	}
	if busy != 2*time.Second {
		t.Errorf("busy %s, want 2s", busy)
	}
	for _, bad := range []string{"", "intr 1 2 3", "cpu 1 2 3", "cpu 1 2 3 x 5 6 7 8"} {
		if _, err := parseProcStat([]byte(bad)); err == nil {
			t.Errorf("parseProcStat(%q) took it", bad)
		}
	}
	var report strings.Builder
	writeCPUFigures(&report, CPUFigures{Used: CPUSample{Server: time.Second, Machine: 19 * time.Second}, Span: 10 * time.Second, Orders: 10})
	if want := fmt.Sprintf("1.90 of %d cores busy", runtime.NumCPU()); !strings.Contains(report.String(), want) {
		t.Errorf("report without %q:\n%s", want, report.String())
	}
	// On Linux the machine's busy time only grows.
	if first := MachineCPU(); first > 0 {
		for deadline := time.Now().Add(10 * time.Second); MachineCPU() == first && time.Now().Before(deadline); {
		}
		if later := MachineCPU(); later <= first {
			t.Errorf("machine CPU %s, then %s", first, later)
		}
	}
}
