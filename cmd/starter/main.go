// Command starter is hrbc's operator CLI: it creates and configures
// connections and, as later commands arrive, launches syncs and drives
// orders. It talks only to Temporal; by default to the embedded server that
// `go run ./cmd/worker` starts. It imports starter and workflows (and, in
// its tests, worker/workertest and the fakes), never worker or the API clients.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	err := newRootCommand(os.Stdout).Execute()
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "starter:", err)
	var usage *usageError
	if errors.As(err, &usage) {
		os.Exit(2)
	}
	os.Exit(1)
}
