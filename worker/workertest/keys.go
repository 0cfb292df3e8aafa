package workertest

import (
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker/sandbox"
)

// SandboxClientOptions returns o encrypting with the key ring the embedded
// sandbox keeps beside devDatabase, as the CLI reads it, so a test talks
// to a RunProcess the way an operator does.
func SandboxClientOptions(t *testing.T, devDatabase string, o client.Options) client.Options {
	t.Helper()
	ring, _, err := codec.LoadKeyRing("", sandbox.StateDir(devDatabase), false)
	if err != nil {
		t.Fatal(err)
	}
	return codec.ClientOptions(ring, o)
}
