package heartland

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Heartland prints boolean attributes with a trailing question mark
// ("active?", "track_inventory?") in responses and webhook payloads, but
// expects bare names ("active") in write bodies and filters. The read types of
// this package therefore decode through decodeWire, which folds "name?" onto
// "name", and encode with bare names, so callers never see the quirk.

// decodeWire decodes one Heartland object into v (a pointer to a plain struct
// type without its own UnmarshalJSON, to avoid recursion) after renaming every
// top-level "name?" key to "name". A bare key wins if both are present.
func decodeWire(data []byte, v any) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	folded := make(map[string]json.RawMessage, len(m))
	for k, val := range m {
		if bare, ok := strings.CutSuffix(k, "?"); ok {
			if _, dup := m[bare]; dup {
				continue
			}
			folded[bare] = val
			continue
		}
		folded[k] = val
	}
	b, err := json.Marshal(folded)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// Bool returns a pointer to b, for the optional boolean fields of write bodies.
func Bool(b bool) *bool { return &b }

// String returns a pointer to s, for the optional string fields of write bodies.
func String(s string) *string { return &s }

// ID returns a pointer to id, for the optional id fields of write bodies.
func ID(id int64) *int64 { return &id }
