// Command bench measures hrbc end to end on this machine: it runs the
// embedded Temporal server, both fake APIs (with a per-request latency and
// BigCommerce's rate limit) and the real worker, drives scenarios through
// the public entry points and prints the figures as a table or JSON.
//
//	go run ./cmd/bench all [--json]
//	go run ./cmd/bench orders|inventory|catalog [flags]
//	go run ./cmd/bench chaos [--orders 200 --kills 10 --seed 1]
//
// Figures are printed, never asserted; only chaos exits non-zero, when a
// consistency check fails. It assembles the stack with worker/workertest
// and worker/devserver and reads the fakes directly; it may import
// anything but another command.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
