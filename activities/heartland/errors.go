package heartland

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hrbc/hrbc/activities/apierror"
)

// Sentinels for errors.Is; every *APIError matches exactly the sentinel of its Kind.
var (
	// ErrNotFound matches apierror.KindNotFound.
	ErrNotFound = errors.New("heartland: not found")
	// ErrValidation matches apierror.KindValidation.
	ErrValidation = errors.New("heartland: validation failed")
	// ErrConflict matches apierror.KindConflict.
	ErrConflict = errors.New("heartland: conflict")
	// ErrUnauthorized matches apierror.KindUnauthorized.
	ErrUnauthorized = errors.New("heartland: unauthorized")
	// ErrRateLimited matches apierror.KindRateLimited.
	ErrRateLimited = errors.New("heartland: rate limited")
	// ErrServer matches apierror.KindServer.
	ErrServer = errors.New("heartland: server error")
	// ErrTransport matches apierror.KindTransport.
	ErrTransport = errors.New("heartland: transport error")
	// ErrProtocol matches apierror.KindProtocol.
	ErrProtocol = errors.New("heartland: unexpected response")
)

// sentinel is the errors.Is target of a kind.
func sentinel(k apierror.Kind) error {
	switch k {
	case apierror.KindNotFound:
		return ErrNotFound
	case apierror.KindValidation:
		return ErrValidation
	case apierror.KindConflict:
		return ErrConflict
	case apierror.KindUnauthorized:
		return ErrUnauthorized
	case apierror.KindRateLimited:
		return ErrRateLimited
	case apierror.KindServer:
		return ErrServer
	case apierror.KindTransport:
		return ErrTransport
	case apierror.KindProtocol:
		return ErrProtocol
	}
	return nil
}

// APIError is every failure returned by Client methods. Use errors.As to
// read its fields or errors.Is with the Err* sentinels to branch on its Kind.
type APIError struct {
	Kind   apierror.Kind
	Method string // HTTP method of the failed call
	Path   string // path relative to the API base, without query string
	Status int    // HTTP status, 0 for transport errors
	// Code is the machine code of the error body ("validation_error").
	Code string
	// Message is the human text of the error body, or a description of the failure.
	Message string
	// Details maps a field name ("qty", "public_id", "custom@color") to its problems.
	Details map[string][]string
	// RetryAfter is the server's requested delay for apierror.KindRateLimited.
	RetryAfter time.Duration
	// Err is the underlying cause for transport and protocol errors.
	Err error

	callerDone bool // the caller's context ended: transport error is final
}

// Error names method, path, status, code, message and field details; the
// token never appears because it only ever travels in a header.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "heartland: %s %s: %s", e.Method, e.Path, e.Kind)
	if e.Status != 0 || e.Code != "" {
		b.WriteString(" (")
		if e.Status != 0 {
			fmt.Fprintf(&b, "HTTP %d", e.Status)
		}
		if e.Code != "" {
			if e.Status != 0 {
				b.WriteString(" ")
			}
			b.WriteString(e.Code)
		}
		b.WriteString(")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Details) > 0 {
		keys := make([]string, 0, len(e.Details))
		for k := range e.Details {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+": "+strings.Join(e.Details[k], ", "))
		}
		b.WriteString(" [" + strings.Join(parts, "; ") + "]")
	}
	if e.Kind == apierror.KindRateLimited && e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Err != nil && (e.Kind == apierror.KindTransport || e.Kind == apierror.KindProtocol) {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes the underlying cause (e.g. context.Canceled).
func (e *APIError) Unwrap() error { return e.Err }

// Is matches the sentinel of the error's Kind.
func (e *APIError) Is(target error) bool {
	s := sentinel(e.Kind)
	return s != nil && target == s
}

// APIKind is the error's Kind (apierror.Error).
func (e *APIError) APIKind() apierror.Kind { return e.Kind }

// Retryable reports whether repeating the same call later may succeed:
// throttling, 5xx and transport failures are; everything else (validation,
// not found, auth) needs a change first. A cancelled caller context is not.
func (e *APIError) Retryable() bool {
	if errors.Is(e, context.Canceled) {
		return false
	}
	switch e.Kind {
	case apierror.KindRateLimited, apierror.KindServer:
		return true
	case apierror.KindTransport:
		// An http.Client timeout is worth retrying; the caller's own context
		// ending is not, since the caller has given up.
		return !e.callerDone
	}
	return false
}

// RetryDelay returns the delay the server asked for on a 429 or 503
// (Retry-After, or the configured default when the header is missing). The boolean is
// false for every other error, leaving the delay to the caller's backoff.
func (e *APIError) RetryDelay() (time.Duration, bool) {
	if e.Kind == apierror.KindRateLimited {
		return e.RetryAfter, true
	}
	return 0, false
}

// IsRetryable reports whether err is a Heartland error that repeating the
// same call later may fix (see APIError.Retryable).
func IsRetryable(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Retryable()
}

// RetryDelay returns the delay a Heartland 429 asked for (see
// APIError.RetryDelay).
func RetryDelay(err error) (time.Duration, bool) {
	var e *APIError
	if errors.As(err, &e) {
		return e.RetryDelay()
	}
	return 0, false
}

// errorBody is Heartland's error representation.
type errorBody struct {
	Error   json.RawMessage            `json:"error"`
	Message string                     `json:"message"`
	Details map[string]json.RawMessage `json:"details"`
}

// parseErrorBody extracts code, message and details from a failed response.
// Unknown shapes degrade to a truncated copy of the body as the message.
func parseErrorBody(body []byte) (code, msg string, details map[string][]string) {
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		return "", truncate(strings.TrimSpace(string(body)), 200), nil
	}
	if len(eb.Error) > 0 {
		var s string
		if json.Unmarshal(eb.Error, &s) == nil {
			code = s
		} else {
			code = truncate(string(eb.Error), 80)
		}
	}
	msg = eb.Message
	if len(eb.Details) > 0 {
		details = make(map[string][]string, len(eb.Details))
		for k, raw := range eb.Details {
			details[k] = detailStrings(raw)
		}
	}
	return code, msg, details
}

func detailStrings(raw json.RawMessage) []string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}
	}
	var list []any
	if json.Unmarshal(raw, &list) == nil {
		out := make([]string, 0, len(list))
		for _, v := range list {
			out = append(out, fmt.Sprint(v))
		}
		return out
	}
	return []string{truncate(string(raw), 200)}
}

// conflictWords are the phrases that turn a validation failure into a
// duplicate-key conflict; Rails-style servers say "has already been taken".
var conflictWords = []string{"already been taken", "already exists", "duplicate", "must be unique", "not unique"}

func looksLikeConflict(code, msg string, details map[string][]string) bool {
	texts := []string{strings.ToLower(code), strings.ToLower(msg)}
	for _, d := range details {
		for _, s := range d {
			texts = append(texts, strings.ToLower(s))
		}
	}
	for _, t := range texts {
		for _, w := range conflictWords {
			if strings.Contains(t, w) {
				return true
			}
		}
	}
	return false
}

// classify maps an HTTP failure to a Kind.
func classify(status int, code, msg string, details map[string][]string) apierror.Kind {
	switch {
	case status == http.StatusNotFound:
		return apierror.KindNotFound
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return apierror.KindUnauthorized
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		// Heartland publishes neither its throttle's status nor its headers:
		// 429 and 503 both mean "slow down" (UNCONFIRMED which one it sends).
		return apierror.KindRateLimited
	case status == http.StatusConflict:
		return apierror.KindConflict
	case status >= 500:
		return apierror.KindServer
	case status >= 400:
		if looksLikeConflict(code, msg, details) {
			return apierror.KindConflict
		}
		return apierror.KindValidation
	}
	return apierror.KindProtocol
}

// parseRetryAfter reads a Retry-After header in seconds or HTTP-date form.
func parseRetryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(h, 64); err == nil {
		if secs < 0 || secs > 24*3600 {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(h); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
