package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat (USER_HZ), which
// Linux fixes at 100 for user space on every architecture.
const userHZ = 100

// ProcessCPU is the CPU time, user and system, that process pid has used
// so far; 0 when it cannot be read (the process is gone, or this is not
// Linux).
func ProcessCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	_, cpu, err := readStat(strconv.Itoa(pid))
	if err != nil {
		return 0
	}
	return cpu
}

// CommandCPU sums the CPU time of every live process whose command name is
// comm. PostgreSQL runs as one process per connection, all named
// "postgres"; a connection closed meanwhile takes its time with it, so
// the sum of two samples may undercount (the server's pool keeps its
// connections open).
func CommandCPU(comm string) time.Duration {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var total time.Duration
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		if name, cpu, err := readStat(e.Name()); err == nil && name == comm {
			total += cpu
		}
	}
	return total
}

// readStat reads /proc/<pid>/stat: the command name and the CPU time used.
func readStat(pid string) (comm string, cpu time.Duration, err error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return "", 0, err
	}
	return parseStat(b)
}

// parseStat reads the command name and the user and system CPU time out
// of a /proc/<pid>/stat line. The name is in parentheses and may hold
// spaces and parentheses itself, so the fields are counted from the last
// ')': state is field 3, utime field 14, stime field 15.
func parseStat(b []byte) (comm string, cpu time.Duration, err error) {
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return "", 0, fmt.Errorf("stat line %q: no command name", b)
	}
	fields := strings.Fields(string(b[end+1:]))
	if len(fields) < 13 {
		return "", 0, fmt.Errorf("stat line %q: %d fields after the name, want at least 13", b, len(fields))
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return "", 0, fmt.Errorf("stat line %q: CPU time %q: %w", b, f, err)
		}
		ticks += n
	}
	return string(b[open+1 : end]), time.Duration(ticks) * time.Second / userHZ, nil
}

// MachineCPU is the CPU time all of this machine's CPUs have spent busy so
// far: every process and the kernel (interrupts and softirqs, where the
// loopback traffic between the processes of a run goes, and which no
// process's own times count). 0 when it cannot be read.
func MachineCPU() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	busy, err := parseProcStat(b)
	if err != nil {
		return 0
	}
	return busy
}

// parseProcStat reads the busy time out of /proc/stat's first line, "cpu"
// and the time of all CPUs in each state: user, nice, system, idle,
// iowait, irq, softirq, steal (then guest times, already in user). Busy is
// all but idle and iowait.
func parseProcStat(b []byte) (time.Duration, error) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	fields := strings.Fields(string(line))
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat first line %q: want cpu and at least 8 times", line)
	}
	var ticks int64
	for i, f := range fields[1:9] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/stat first line %q: time %q: %w", line, f, err)
		}
		if i != 3 && i != 4 { // idle, iowait
			ticks += n
		}
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// CPUSample is the CPU time each part of a cluster run has used so far,
// and the machine as a whole.
type CPUSample struct {
	Server, Postgres, Workers, Bench time.Duration
	// Machine is MachineCPU: every process and the kernel.
	Machine time.Duration
}

// Sub is the CPU time used between an earlier sample and s.
func (s CPUSample) Sub(earlier CPUSample) CPUSample {
	return CPUSample{Server: s.Server - earlier.Server, Postgres: s.Postgres - earlier.Postgres,
		Workers: s.Workers - earlier.Workers, Bench: s.Bench - earlier.Bench, Machine: s.Machine - earlier.Machine}
}

// SampleCPU reads what the server process, PostgreSQL (every process on
// this machine named postgres), the worker processes and this bench
// process (the driver and every fake) have used so far. A process
// restarted between two samples makes their difference meaningless; the
// stores scenario restarts none.
func (c *Cluster) SampleCPU() CPUSample {
	s := CPUSample{Server: c.Server.CPU(), Postgres: CommandCPU("postgres"), Bench: ProcessCPU(os.Getpid()), Machine: MachineCPU()}
	for _, w := range c.Workers {
		s.Workers += ProcessCPU(w.PID())
	}
	return s
}

// CPUFigures is what a phase cost in CPU, for sizing a cluster: the
// time each part used over Span while Orders orders opened.
type CPUFigures struct {
	Used   CPUSample     `json:"cpu_ns"`
	Span   time.Duration `json:"span_ns"`
	Orders int           `json:"orders_opened"`
}

// Cores is how many cores a part kept busy on average.
func (f CPUFigures) Cores(d time.Duration) float64 {
	if f.Span <= 0 {
		return 0
	}
	return d.Seconds() / f.Span.Seconds()
}

// PerOrder is a part's CPU time per order opened.
func (f CPUFigures) PerOrder(d time.Duration) time.Duration {
	if f.Orders == 0 {
		return 0
	}
	return d / time.Duration(f.Orders)
}

// CoresFor is how many cores the cluster (server, PostgreSQL and workers,
// not the bench's fakes) would keep busy at rate orders/s, at this phase's
// cost per order. The connections' idle work is in that cost, spread over
// the orders: a fair basis only at a rate near the one measured.
func (f CPUFigures) CoresFor(rate float64) float64 {
	if f.Orders == 0 {
		return 0
	}
	per := f.PerOrder(f.Used.Server + f.Used.Postgres + f.Used.Workers)
	return per.Seconds() * rate
}

// openedBetween counts the keys whose change was seen between from and to.
func openedBetween(w *Watch, keys []int, from, to time.Time) int {
	n := 0
	for _, k := range keys {
		if _, done, ok := w.Times(k); ok && !done.Before(from) && !done.After(to) {
			n++
		}
	}
	return n
}

// writeCPUFigures prints what the steady phase cost in CPU: cores kept
// busy, CPU per order opened, and the cores 20 orders/s would take at
// that cost.
func writeCPUFigures(w io.Writer, f CPUFigures) {
	u := f.Used
	fmt.Fprintf(w, "%-58s server %.2f, PostgreSQL %.2f, workers %.2f, bench and fakes %.2f\n", "CPU, steady phase (cores busy)",
		f.Cores(u.Server), f.Cores(u.Postgres), f.Cores(u.Workers), f.Cores(u.Bench))
	fmt.Fprintf(w, "%-58s server %s, PostgreSQL %s, workers %s (%d orders opened in the phase)\n", "CPU per order opened, steady phase",
		fmtMillis(f.PerOrder(u.Server)), fmtMillis(f.PerOrder(u.Postgres)), fmtMillis(f.PerOrder(u.Workers)), f.Orders)
	fmt.Fprintf(w, "%-58s %.1f (server, PostgreSQL and workers)\n", "cores 20 orders/s would keep busy at that cost", f.CoresFor(20))
	writeMachineCPU(w, "machine, steady phase (every process and the kernel)", f)
}

// writeMachineCPU prints how many of the machine's cores a phase kept
// busy in all: the processes above undercount a machine that is full,
// since the kernel's work for their traffic is nobody's.
func writeMachineCPU(w io.Writer, label string, f CPUFigures) {
	fmt.Fprintf(w, "%-58s %.2f of %d cores busy\n", label, f.Cores(f.Used.Machine), runtime.NumCPU())
}

// fmtMillis prints a CPU time in milliseconds.
func fmtMillis(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}
