package codec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// KeyFileName is the key file the embedded sandbox keeps beside its state
// (the folder of HRBC_DEV_DB, .hrbc by default), mode 0600.
const KeyFileName = "payload-keys"

// ErrNoKeys reports that neither HRBC_PAYLOAD_KEYS nor a key file gave a
// key ring.
var ErrNoKeys = errors.New(KeyEnv + " is not set: give it id=base64key (e.g. `k1=$(openssl rand -base64 32)`)")

// Source says where a key ring came from, for the log: never the keys.
type Source string

// LoadKeyRing returns the ring of envValue (HRBC_PAYLOAD_KEYS) when set,
// else the one in dir's key file. With create, a missing file is made
// with one fresh key (the sandbox's case); without, it is ErrNoKeys. An
// empty dir with create gives a key that lives in memory only.
func LoadKeyRing(envValue, dir string, create bool) (*KeyRing, Source, error) {
	if envValue != "" {
		r, err := ParseKeyRing(envValue)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", KeyEnv, err)
		}
		return r, Source(KeyEnv), nil
	}
	if dir == "" {
		if !create {
			return nil, "", ErrNoKeys
		}
		entry, err := NewKey(newKeyID())
		if err != nil {
			return nil, "", err
		}
		r, err := ParseKeyRing(entry)
		return r, "generated, in memory", err
	}
	path := filepath.Join(dir, KeyFileName)
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && create:
		if b, err = createKeyFile(path); err != nil {
			return nil, "", err
		}
	case errors.Is(err, fs.ErrNotExist):
		return nil, "", ErrNoKeys
	case err != nil:
		return nil, "", fmt.Errorf("payload key file: %w", err)
	}
	r, err := ParseKeyRing(string(b))
	if err != nil {
		return nil, "", fmt.Errorf("payload key file %s: %w", path, err)
	}
	return r, Source(path), nil
}

// createKeyFile writes a fresh key to path, 0600 in a 0700 folder. O_EXCL
// keeps two processes starting at once from each writing its own key.
func createKeyFile(path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("payload key file: %w", err)
	}
	entry, err := NewKey(newKeyID())
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("payload key file: %w", err)
	}
	content := []byte("# hrbc payload keys: the first encrypts, all decrypt. Keep it secret.\n" + entry + "\n")
	if _, err := f.Write(content); err != nil {
		f.Close()
		return nil, fmt.Errorf("payload key file: %w", err)
	}
	return content, f.Close()
}

// newKeyID names a generated key after its creation time, so a ring that
// gains keys over the years reads in order.
func newKeyID() string { return "k" + strconv.FormatInt(time.Now().Unix(), 10) }
