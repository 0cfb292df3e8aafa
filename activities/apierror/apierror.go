// Package apierror is the error model both API clients share: a Kind for
// every way a call can fail, and the helpers that read what a retry policy
// needs from any client's error. Each client has one *APIError type with
// the same core fields (Kind, Method, Path, Status, Message, RetryAfter,
// Err) that implements Error, and errors.Is sentinels per Kind.
//
// It imports only the standard library; the clients import it and never
// each other.
package apierror

import (
	"errors"
	"time"
)

// Kind classifies a failed call so callers can branch on what to do next
// (retry, report, look up instead of create) without parsing messages.
type Kind int

// The kinds. A client produces the ones its API can answer with.
const (
	// KindUnknown is never produced by a client; it is the zero value.
	KindUnknown Kind = iota
	// KindNotFound is a 404, or a find-by-key that matched nothing.
	KindNotFound
	// KindValidation is a rejection of the request body (400/422); the
	// error's field details name the offending fields.
	KindValidation
	// KindConflict is a 409, or a rejection saying a unique value is taken.
	KindConflict
	// KindUnauthorized is a bad, revoked or under-privileged token (401, and
	// for Heartland 403).
	KindUnauthorized
	// KindRateLimited is a 429; RetryAfter says how long to wait.
	KindRateLimited
	// KindServer is a 5xx.
	KindServer
	// KindTransport is a failure below HTTP: DNS, connect, reset, timeout.
	// Whether the server applied a write is unknown.
	KindTransport
	// KindProtocol is an answer the client could not understand (a body of
	// the wrong shape, a create without an id). Repeating will not help.
	KindProtocol
	// KindPartialSuccess is a 207: the main data was saved, a sub-part was not.
	KindPartialSuccess
	// KindRejected is any other error status (BigCommerce's 400, 405,
	// 413, ...): permanent until the input or the account changes.
	KindRejected
	// KindForbidden is BigCommerce's 403: the token lacks the scope the
	// route needs (the message names it). Permanent until it is granted.
	KindForbidden
)

var kindNames = map[Kind]string{
	KindNotFound:       "not found",
	KindValidation:     "validation failed",
	KindConflict:       "conflict",
	KindUnauthorized:   "unauthorized",
	KindRateLimited:    "rate limited",
	KindServer:         "server error",
	KindTransport:      "transport error",
	KindProtocol:       "unexpected response",
	KindPartialSuccess: "partial success",
	KindRejected:       "rejected",
	KindForbidden:      "forbidden",
}

// String names the kind, as the clients' messages and sentinels do.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "unknown"
}

// Error is what every client's *APIError implements.
type Error interface {
	error
	// APIKind is the error's Kind.
	APIKind() Kind
	// Retryable reports whether repeating the same call later may succeed.
	Retryable() bool
	// RetryDelay is the server-mandated delay before retrying a 429.
	RetryDelay() (time.Duration, bool)
}

// IsRetryable reports whether err is a client error that repeating the
// same call later may fix (throttling, transient 5xx, transport failures
// not caused by the caller giving up).
func IsRetryable(err error) bool {
	var e Error
	return errors.As(err, &e) && e.Retryable()
}

// RetryDelay returns the delay the server asked for when err is a 429;
// false for every other error, leaving the delay to the caller's backoff.
func RetryDelay(err error) (time.Duration, bool) {
	var e Error
	if errors.As(err, &e) {
		return e.RetryDelay()
	}
	return 0, false
}
