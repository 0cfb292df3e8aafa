package bigcommerce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// rfc2822 is the layout v2 uses for every date: "Wed, 10 Jan 2018 21:05:30 +0000".
const rfc2822 = time.RFC1123Z

// acceptedLayouts lists every date shape seen across v2, v3 and webhooks, so a
// field that changes flavour between endpoints still decodes.
var acceptedLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02T15:04:05",
	rfc2822,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// parseTime parses any accepted date form; "" yields the zero time.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range acceptedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	if secs, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(secs, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("bigcommerce: unrecognised date %q", truncate(s, 60))
}

func decodeTime(b []byte) (time.Time, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return time.Time{}, nil
	}
	if b[0] != '"' {
		// Unix seconds (webhooks, hooks' created_at).
		secs, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("bigcommerce: date %s: %w", truncate(string(b), 40), err)
		}
		return time.Unix(secs, 0).UTC(), nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return time.Time{}, fmt.Errorf("bigcommerce: date: %w", err)
	}
	return parseTime(s)
}

// Time is a v3 timestamp (ISO-8601, "2018-08-24T14:41:00+00:00"). It decodes
// any accepted date form, and "" or null as the zero time; it encodes as
// RFC 3339, or "" when zero.
type Time struct{ time.Time }

// MarshalJSON writes RFC 3339, or "" for the zero time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	return []byte(strconv.Quote(t.Format(time.RFC3339))), nil
}

// UnmarshalJSON accepts ISO-8601, RFC-2822, unix seconds, "" and null.
func (t *Time) UnmarshalJSON(b []byte) error {
	v, err := decodeTime(b)
	t.Time = v
	return err
}

// V2Time is a v2 timestamp (RFC-2822, "Wed, 10 Jan 2018 21:05:30 +0000",
// always UTC in responses). date_shipped is "" until the order ships, which
// decodes as the zero time.
type V2Time struct{ time.Time }

// MarshalJSON writes RFC-2822 in UTC, or "" for the zero time.
func (t V2Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	return []byte(strconv.Quote(t.UTC().Format(rfc2822))), nil
}

// UnmarshalJSON accepts RFC-2822, ISO-8601, unix seconds, "" and null.
func (t *V2Time) UnmarshalJSON(b []byte) error {
	v, err := decodeTime(b)
	t.Time = v
	return err
}

// UnixTime is a timestamp sent as unix seconds (webhook objects and
// envelopes). It decodes strings too.
type UnixTime struct{ time.Time }

// MarshalJSON writes unix seconds, 0 for the zero time.
func (t UnixTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("0"), nil
	}
	return []byte(strconv.FormatInt(t.Unix(), 10)), nil
}

// UnmarshalJSON accepts unix seconds (number or string) and date strings.
func (t *UnixTime) UnmarshalJSON(b []byte) error {
	v, err := decodeTime(b)
	if err == nil && v.Unix() == 0 {
		v = time.Time{}
	}
	t.Time = v
	return err
}

// FormatRFC2822 formats t the way v2 query filters expect it (UTC).
func FormatRFC2822(t time.Time) string { return t.UTC().Format(rfc2822) }

// ParseTime parses any date form the API uses (RFC-2822, ISO-8601, unix
// seconds). Exposed for the fake and for callers parsing query values.
func ParseTime(s string) (time.Time, error) { return parseTime(s) }
