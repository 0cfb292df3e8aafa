package bigcommerce

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Sentinels for errors.Is. Every typed error below matches exactly one of
// them, so callers can branch without a type switch.
var (
	ErrNotFound       = errors.New("bigcommerce: not found")
	ErrConflict       = errors.New("bigcommerce: conflict")
	ErrValidation     = errors.New("bigcommerce: validation failed")
	ErrPartialSuccess = errors.New("bigcommerce: partial success")
	ErrRateLimited    = errors.New("bigcommerce: rate limited")
	ErrServer         = errors.New("bigcommerce: server error")
	ErrTransport      = errors.New("bigcommerce: transport error")
	ErrUnauthorized   = errors.New("bigcommerce: unauthorized")
	ErrDecode         = errors.New("bigcommerce: undecodable response")
)

// APIError is an HTTP response BigCommerce answered with an error status. It
// is returned as is for statuses without a dedicated type (400, 403, 405,
// 413, 423, ...) and embedded in every dedicated type.
type APIError struct {
	Method string // HTTP method of the failed call
	Path   string // request path relative to the store base, without query
	Status int    // HTTP status code
	// Title is the API's own message: v3 "title", or the v2 "message"(s).
	Title string
	// Fields holds per-field messages (v3 "errors" object), when any.
	Fields map[string]string
}

// Error names the method, path, status and the API's message. It never
// contains credentials: only the path (not the host or headers) is kept.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bigcommerce: %s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Title != "" {
		b.WriteString(": ")
		b.WriteString(e.Title)
	}
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(" (")
		for i, k := range keys {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s: %s", k, e.Fields[k])
		}
		b.WriteString(")")
	}
	return b.String()
}

func (e *APIError) apiError() *APIError { return e }

// NotFoundError is a 404: the resource (or the order/product in the path) does not exist.
type NotFoundError struct{ APIError }

// Is matches ErrNotFound.
func (e *NotFoundError) Is(t error) bool { return t == ErrNotFound }

// ConflictError is a 409: a unique value (product name, SKU, custom URL) is
// taken or a referenced id is invalid.
type ConflictError struct{ APIError }

// Is matches ErrConflict.
func (e *ConflictError) Is(t error) bool { return t == ErrConflict }

// ValidationError is a 422; Fields carries the per-field messages. A batch
// 422 does not say which item failed: split the batch to find it.
type ValidationError struct{ APIError }

// Is matches ErrValidation.
func (e *ValidationError) Is(t error) bool { return t == ErrValidation }

// UnauthorizedError is a 401: the token is wrong, revoked, or its API account deleted.
type UnauthorizedError struct{ APIError }

// Is matches ErrUnauthorized.
func (e *UnauthorizedError) Is(t error) bool { return t == ErrUnauthorized }

// ServerError is a 5xx. 501 and 505 are permanent; the rest are transient.
type ServerError struct{ APIError }

// Is matches ErrServer.
func (e *ServerError) Is(t error) bool { return t == ErrServer }

// PartialSuccessError reports a 207: the main data was saved (Data holds the
// saved objects as JSON, and the method also returns them decoded) but a
// sub-part failed, typically the inventory part or the custom URL. Status is
// 207; Title and Fields describe the failed part.
type PartialSuccessError struct {
	APIError
	// Data is the raw "data" member of the 207 body: what was saved.
	Data json.RawMessage
}

// Is matches ErrPartialSuccess.
func (e *PartialSuccessError) Is(t error) bool { return t == ErrPartialSuccess }

// RateLimitError is a 429. RetryAfter is how long to wait before the next
// call: the longer of X-Rate-Limit-Time-Reset-Ms and X-Retry-After, or a
// back-off when the 429 came without rate-limit headers (LoadShedding).
type RateLimitError struct {
	APIError
	RetryAfter time.Duration
	// LoadShedding is true when the 429 carried no rate-limit headers: the
	// platform is shedding load for the store, not counting our quota.
	LoadShedding bool
}

// Error adds the delay to the API message.
func (e *RateLimitError) Error() string {
	s := e.APIError.Error()
	if e.LoadShedding {
		s += " (load shedding)"
	}
	return fmt.Sprintf("%s; retry after %s", s, e.RetryAfter)
}

// Is matches ErrRateLimited.
func (e *RateLimitError) Is(t error) bool { return t == ErrRateLimited }

// TransportError is a failure below HTTP: DNS, connect, reset, timeout, a
// truncated or undecodable body. Whether the server applied a write is unknown.
type TransportError struct {
	Method string
	Path   string
	Err    error
}

// Error names the call and the cause.
func (e *TransportError) Error() string {
	return fmt.Sprintf("bigcommerce: %s %s: transport: %v", e.Method, e.Path, e.Err)
}

// Unwrap returns the cause (for context.DeadlineExceeded, net.Error, ...).
func (e *TransportError) Unwrap() error { return e.Err }

// Is matches ErrTransport.
func (e *TransportError) Is(t error) bool { return t == ErrTransport }

// DecodeError is a 2xx answer whose body does not match the expected
// shape. Repeating the call will not help, so it is not retryable; for a
// write, the change was applied.
type DecodeError struct {
	Method string
	Path   string
	Status int
	Err    error
}

// Error names the call and the cause.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("bigcommerce: %s %s: %d response not decodable: %v", e.Method, e.Path, e.Status, e.Err)
}

// Unwrap returns the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is matches ErrDecode.
func (e *DecodeError) Is(t error) bool { return t == ErrDecode }

// AsAPIError returns the HTTP-level details of any error this package
// returns for an HTTP status (all typed errors except TransportError).
func AsAPIError(err error) (*APIError, bool) {
	var x interface{ apiError() *APIError }
	if errors.As(err, &x) {
		return x.apiError(), true
	}
	return nil, false
}

// IsRetryable reports whether repeating the same call later may succeed:
// 429s, transient 5xx (not 501/505) and transport failures. 4xx answers are
// permanent until the input or the store changes. Context cancellation is
// not retryable.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return true
	}
	var se *ServerError
	if errors.As(err, &se) {
		return se.Status != http.StatusNotImplemented && se.Status != http.StatusHTTPVersionNotSupported
	}
	var te *TransportError
	if errors.As(err, &te) {
		return !errors.Is(te.Err, errContextDone)
	}
	return false
}

// RetryDelay returns the server-mandated delay before retrying, when err is
// a 429. The activity layer maps it to Temporal's NextRetryDelay.
func RetryDelay(err error) (time.Duration, bool) {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return rl.RetryAfter, true
	}
	return 0, false
}

// errContextDone marks transport errors caused by the caller's context.
var errContextDone = errors.New("context done")

// apiErrorBody covers the v3 shape {status,title,type,errors{}} and, via
// Data/raw arrays, the v2 shape [{status,message,details}].
type apiErrorBody struct {
	Status json.RawMessage `json:"status"`
	Title  string          `json:"title"`
	Detail string          `json:"detail"`
	Errors json.RawMessage `json:"errors"`
	Data   json.RawMessage `json:"data"`
}

type v2ErrorItem struct {
	Status  FlexInt `json:"status"`
	Message string  `json:"message"`
	Title   string  `json:"title"`
}

// parseErrorBody extracts the API's message and field errors from any of
// the error shapes BigCommerce uses. It never fails: an unknown body yields
// a short excerpt as the title.
func parseErrorBody(body []byte) (title string, fields map[string]string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "", nil
	}
	switch body[0] {
	case '[':
		var items []v2ErrorItem
		if json.Unmarshal(body, &items) == nil {
			return joinV2(items), nil
		}
	case '{':
		var e apiErrorBody
		if json.Unmarshal(body, &e) == nil {
			title = e.Title
			if title == "" {
				title = e.Detail
			}
			fields = parseFieldErrors(e.Errors)
			if title == "" && len(e.Data) > 0 && e.Data[0] == '[' {
				// Refund endpoints wrap errors in data: [{status,title}].
				var items []v2ErrorItem
				if json.Unmarshal(e.Data, &items) == nil {
					title = joinV2(items)
				}
			}
			if title != "" || len(fields) > 0 {
				return title, fields
			}
		}
	}
	return truncate(strings.Join(strings.Fields(string(body)), " "), 200), nil
}

func joinV2(items []v2ErrorItem) string {
	msgs := make([]string, 0, len(items))
	for _, it := range items {
		m := it.Message
		if m == "" {
			m = it.Title
		}
		if m != "" {
			msgs = append(msgs, m)
		}
	}
	return strings.Join(msgs, "; ")
}

// parseFieldErrors accepts errors as {field: "msg"}, {field: ["msg",...]},
// or a nested {status,title,errors} (the failed part of a 207).
func parseFieldErrors(raw json.RawMessage) map[string]string {
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = s
			continue
		}
		var ss []string
		if json.Unmarshal(v, &ss) == nil {
			out[k] = strings.Join(ss, "; ")
			continue
		}
		out[k] = truncate(string(v), 200)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// newStatusError maps a non-2xx response to its typed error.
func newStatusError(method, path string, status int, body []byte) error {
	title, fields := parseErrorBody(body)
	base := APIError{Method: method, Path: path, Status: status, Title: title, Fields: fields}
	switch {
	case status == http.StatusUnauthorized:
		return &UnauthorizedError{base}
	case status == http.StatusNotFound:
		return &NotFoundError{base}
	case status == http.StatusConflict:
		return &ConflictError{base}
	case status == http.StatusUnprocessableEntity:
		return &ValidationError{base}
	case status >= 500:
		return &ServerError{base}
	}
	return &base
}

// newPartialError builds the 207 error from a body {data, errors{status,title,errors}}.
func newPartialError(method, path string, body []byte) *PartialSuccessError {
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	_ = json.Unmarshal(body, &env)
	e := &PartialSuccessError{APIError: APIError{Method: method, Path: path, Status: http.StatusMultiStatus}, Data: env.Data}
	if len(env.Errors) > 0 {
		var inner apiErrorBody
		if env.Errors[0] == '{' && json.Unmarshal(env.Errors, &inner) == nil {
			e.Title = inner.Title
			e.Fields = parseFieldErrors(inner.Errors)
			if e.Title == "" && len(e.Fields) == 0 {
				e.Fields = parseFieldErrors(env.Errors)
			}
		} else {
			e.Title, _ = parseErrorBody(env.Errors)
		}
	}
	if e.Title == "" {
		e.Title = "saved with errors"
	}
	return e
}
