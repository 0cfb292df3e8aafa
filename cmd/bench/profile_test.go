package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --cpuprofile writes a profile even when the command fails (here at once,
// on a database URL that does not parse), and a profile that cannot be
// created stops the command before it starts, naming the flag.
func TestCPUProfileFlag(t *testing.T) {
	t.Setenv(PostgresURLEnv, "mysql://nobody@127.0.0.1:1/")
	run := func(args ...string) error {
		root := newRoot()
		root.SetArgs(args)
		root.SetOut(new(strings.Builder))
		root.SetErr(new(strings.Builder))
		return root.Execute()
	}

	path := filepath.Join(t.TempDir(), "cpu.pprof")
	err := run("cluster", "--cpuprofile", path)
	if err == nil || strings.Contains(err.Error(), "--cpuprofile") {
		t.Fatalf("cluster on a bad database URL: %v, want the URL's error", err)
	}
	if info, serr := os.Stat(path); serr != nil || info.Size() == 0 {
		t.Fatalf("profile after a failed run: %v, size %v", serr, info)
	}

	bad := filepath.Join(t.TempDir(), "missing", "cpu.pprof")
	if err := run("cluster", "--cpuprofile", bad); err == nil || !strings.Contains(err.Error(), "--cpuprofile") {
		t.Fatalf("profile in a missing folder: %v, want an error naming --cpuprofile", err)
	}
}
