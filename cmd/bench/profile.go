package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// profileCPU makes --cpuprofile write the bench process's own CPU profile:
// the driver and the fakes, which share the machine with what is measured
// (the server has PPROF_PORT, see deployments/temporal/config.yaml).
// Read it with `go tool pprof`.
func profileCPU(root *cobra.Command, path *string) {
	var out *os.File
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if *path == "" {
			return nil
		}
		f, err := os.Create(*path)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		out = f
		return nil
	}
	// Stopped after the command whether it failed or not: a failed run's
	// profile is often the interesting one.
	cobra.OnFinalize(func() {
		if out != nil {
			pprof.StopCPUProfile()
			out.Close()
			out = nil
		}
	})
}
