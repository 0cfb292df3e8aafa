package main

import (
	"os"

	"github.com/hrbc/hrbc/starter/codec"
)

// benchPayloadKeys is the key ring the bench's clients and its cmd/worker
// children encrypt with: HRBC_PAYLOAD_KEYS when set, else a fresh key for
// this run, since the bench's server lives only as long as the run. The
// bench thus measures hrbc with encryption on, as it runs in production.
func benchPayloadKeys() (entries string, ring *codec.KeyRing, err error) {
	entries = os.Getenv(codec.KeyEnv)
	if entries == "" {
		if entries, err = codec.NewKey("bench"); err != nil {
			return "", nil, err
		}
	}
	ring, err = codec.ParseKeyRing(entries)
	return entries, ring, err
}
