// Package secret holds Secret, the credential type shared by the API
// clients and the worker's configuration. It imports nothing but the
// standard library, so a client can use it without depending on the
// process that reads the credentials.
package secret

import (
	"encoding/json"
	"log/slog"
)

// Mask is what a Secret prints, logs and marshals as.
const Mask = "[redacted]"

// Secret is a credential. It prints as Mask through fmt (%v, %s, %+v,
// %#v), slog, JSON and other text encodings, so a logged config never
// leaks it; Reveal returns the value for the one place that sends it.
type Secret string

// String masks the secret for fmt's %v and %s.
func (s Secret) String() string { return Mask }

// GoString masks the secret for fmt's %#v.
func (s Secret) GoString() string { return Mask }

// LogValue masks the secret in slog records.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Mask) }

// MarshalText masks the secret in JSON and other text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Mask), nil }

// MarshalJSON masks the secret in JSON; MarshalText alone would do for
// encoding/json, but the clients' Secret types had it and callers call it.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(Mask) }

// Reveal returns the secret itself, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }
