package worker

import (
	"errors"
	"fmt"

	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/sandbox"
)

// loadPayloadKeys reads the key ring payloads are encrypted with. Only the
// sandbox (embedded server, no configured connection) may make its own
// key, kept beside its state; with real connections a missing key stops
// the start, because data encrypted by a key nobody keeps is lost.
func (p *Process) loadPayloadKeys() error {
	sandboxed := p.cfg.Embedded() && len(p.cfg.Connections) == 0
	dir := ""
	if p.cfg.Embedded() {
		dir = sandbox.StateDir(p.cfg.DevDatabase)
	}
	ring, src, err := codec.LoadKeyRing(p.cfg.PayloadKeys.Reveal(), dir, sandboxed)
	switch {
	case errors.Is(err, codec.ErrNoKeys):
		return &config.ConfigError{Variable: codec.KeyEnv, Problem: "required unless the embedded sandbox runs: give it id=base64key (32 bytes), e.g. k1=$(openssl rand -base64 32)"}
	case err != nil && p.cfg.PayloadKeys != "":
		return &config.ConfigError{Variable: codec.KeyEnv, Problem: fmt.Sprint(err)}
	case err != nil:
		return err
	}
	p.keys = ring
	p.logger.Info("payloads encrypted", "keys", ring.IDs(), "encrypting", ring.EncryptingID(), "source", string(src))
	return nil
}
