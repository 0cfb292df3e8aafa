package codec

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// KeyEnv is the environment variable holding the key ring:
// "id=base64key,id2=base64key", the first key encrypting.
const KeyEnv = "HRBC_PAYLOAD_KEYS"

// keySize is AES-256's key length.
const keySize = 32

// keyIDPattern keeps key ids short and free of the ring's separators; the
// id travels in every payload's metadata in clear.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// KeyRing is an ordered set of AES-256 keys by id. Its String and Format
// never show key material.
type KeyRing struct {
	ids  []string
	keys map[string][]byte
}

// ParseKeyRing reads "id=base64key[,id=base64key...]" (newlines separate
// entries too, for key files). Errors name the entry, never its key.
func ParseKeyRing(s string) (*KeyRing, error) {
	r := &KeyRing{keys: map[string][]byte{}}
	var fields []string
	for line := range strings.Lines(s) {
		// A key file may carry comments; they may hold commas too.
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			fields = append(fields, strings.Split(line, ",")...)
		}
	}
	for i, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		id, b64, ok := strings.Cut(f, "=")
		id = strings.TrimSpace(id)
		if !ok || !keyIDPattern.MatchString(id) {
			return nil, fmt.Errorf("entry %d: want id=base64key with an id of letters, digits, '.', '_' or '-'", i+1)
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil || len(key) != keySize {
			return nil, fmt.Errorf("key %q: must be %d bytes in standard base64", id, keySize)
		}
		if _, dup := r.keys[id]; dup {
			return nil, fmt.Errorf("key %q appears twice", id)
		}
		r.ids = append(r.ids, id)
		r.keys[id] = key
	}
	if len(r.ids) == 0 {
		return nil, errors.New("no key: want id=base64key[,id=base64key...]")
	}
	return r, nil
}

// NewKey returns an entry "id=base64key" with a fresh random key.
func NewKey(id string) (string, error) {
	if !keyIDPattern.MatchString(id) {
		return "", fmt.Errorf("key id %q: letters, digits, '.', '_' or '-'", id)
	}
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	return id + "=" + base64.StdEncoding.EncodeToString(key), nil
}

// EncryptingID is the id of the key new payloads are encrypted with.
func (r *KeyRing) EncryptingID() string { return r.ids[0] }

// IDs lists the ring's key ids, the encrypting one first.
func (r *KeyRing) IDs() []string { return append([]string(nil), r.ids...) }

// key returns the key with id, if the ring holds it.
func (r *KeyRing) key(id string) ([]byte, bool) {
	k, ok := r.keys[id]
	return k, ok
}

// String names the keys, never their material, so a ring that reaches a
// log line leaks nothing.
func (r *KeyRing) String() string { return "KeyRing" + fmt.Sprint(r.ids) }

// GoString is String, for %#v.
func (r *KeyRing) GoString() string { return r.String() }
