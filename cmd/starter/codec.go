package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hrbc/hrbc/starter/codec"
)

// defaultDevDatabase is cmd/worker's HRBC_DEV_DB default; the sandbox
// keeps its payload keys in the same folder.
const defaultDevDatabase = ".hrbc/temporal.db"

// loadPayloadKeys returns the key ring the worker encrypts with, so the
// CLI reads and writes what the worker does: HRBC_PAYLOAD_KEYS, or else
// the key file the embedded sandbox made beside its state (the folder of
// HRBC_DEV_DB, .hrbc by default). The CLI never makes a key: one the
// worker does not hold would write payloads nobody can read.
func loadPayloadKeys() (*codec.KeyRing, error) {
	dir := filepath.Dir(envOr("HRBC_DEV_DB", defaultDevDatabase))
	keys, _, err := codec.LoadKeyRing(os.Getenv(codec.KeyEnv), dir, false)
	if errors.Is(err, codec.ErrNoKeys) {
		return nil, &usageError{fmt.Errorf("no payload keys: set %s as the worker has it, or run from the folder holding the sandbox's %s",
			codec.KeyEnv, filepath.Join(dir, codec.KeyFileName))}
	}
	return keys, err
}
