package main

import (
	"bufio"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Machine describes where the figures were measured.
type Machine struct {
	OS        string `json:"os"`
	CPUs      int    `json:"cpus"`
	GoVersion string `json:"go_version"`
	Time      string `json:"time"`
}

// DescribeMachine reads this machine's description.
func DescribeMachine() Machine {
	return Machine{OS: runtime.GOOS + "/" + runtime.GOARCH, CPUs: runtime.NumCPU(), GoVersion: runtime.Version(),
		Time: time.Now().UTC().Format(time.RFC3339)}
}

// PeakRSS reads VmHWM (peak resident set size, bytes) of a process from
// /proc; pid 0 means this process. It returns 0 when unavailable.
func PeakRSS(pid int) int64 {
	path := "/proc/self/status"
	if pid > 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/status"
	}
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return 0
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}

// mib prints bytes as MiB.
func mib(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 0, 64) + " MiB" }

// sortStrings sorts in place.
func sortStrings(s []string) { slices.Sort(s) }
