package config

import "log/slog"

// Secret is a credential read from configuration. It prints as a fixed mask
// through fmt, slog and JSON, so a logged config never leaks it.
type Secret string

const mask = "[redacted]"

// String masks the secret for fmt's %v and %s.
func (s Secret) String() string { return mask }

// GoString masks the secret for fmt's %#v.
func (s Secret) GoString() string { return mask }

// LogValue masks the secret in slog records.
func (s Secret) LogValue() slog.Value { return slog.StringValue(mask) }

// MarshalText masks the secret in JSON and other text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(mask), nil }

// Reveal returns the secret itself, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }
