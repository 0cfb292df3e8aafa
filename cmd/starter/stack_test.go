package main

import (
	"bytes"
	"testing"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// startCLIStack runs a Temporal server, the worker and both fakes, seeds the
// fakes with seed, creates the connection "shop" with settings, and points
// the CLI's environment at the server, so a test drives the CLI exactly as
// an operator would.
func startCLIStack(t *testing.T, settings workflows.Settings, seed func(*bigcommercetest.Server, *heartlandtest.Server)) (*bigcommercetest.Server, *heartlandtest.Server) {
	t.Helper()
	s := workertest.Start(t, workertest.Options{TaskQueue: "cli", Seed: seed, Settings: &settings})
	t.Setenv("TEMPORAL_ADDRESS", s.FrontendAddress)
	t.Setenv("TEMPORAL_NAMESPACE", s.Namespace)
	t.Setenv("HRBC_TASK_QUEUE", s.Config.TaskQueue)
	return s.BC, s.HL
}

// runCLI runs the starter CLI in-process and returns stdout and stderr.
func runCLI(args ...string) (string, string, error) {
	var out, errOut bytes.Buffer
	cmd := newRootCommand(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

// startBareCLI runs a Temporal server and the worker without fakes on the
// CLI's default task queue and returns a runner of CLI commands against it.
func startBareCLI(t *testing.T) func(args ...string) (string, error) {
	t.Helper()
	s := workertest.Start(t, workertest.Options{NoFakes: true, TaskQueue: "hrbc"})
	global := []string{"--address", s.FrontendAddress, "--namespace", s.Namespace}
	return func(args ...string) (string, error) {
		out, _, err := runCLI(append(append([]string{}, global...), args...)...)
		return out, err
	}
}
