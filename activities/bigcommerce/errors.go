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

	"github.com/hrbc/hrbc/activities/apierror"
)

// Sentinels for errors.Is. Every *APIError but a KindRejected one matches
// exactly the one of its Kind, so callers can branch without reading Kind.
var (
	ErrNotFound       = errors.New("bigcommerce: not found")
	ErrConflict       = errors.New("bigcommerce: conflict")
	ErrValidation     = errors.New("bigcommerce: validation failed")
	ErrPartialSuccess = errors.New("bigcommerce: partial success")
	ErrRateLimited    = errors.New("bigcommerce: rate limited")
	ErrServer         = errors.New("bigcommerce: server error")
	ErrTransport      = errors.New("bigcommerce: transport error")
	ErrUnauthorized   = errors.New("bigcommerce: unauthorized")
	ErrForbidden      = errors.New("bigcommerce: forbidden")
	ErrDecode         = errors.New("bigcommerce: undecodable response")
)

// APIError is every failure returned by Client methods for an HTTP call
// (encoding a request body aside). Kind says what happened; use errors.As
// to read its fields or errors.Is with the Err* sentinels to branch on it.
type APIError struct {
	// Kind classifies the failure; a status without a dedicated kind (400,
	// 405, 413, 423, ...) is KindRejected.
	Kind   apierror.Kind
	Method string // HTTP method of the failed call
	Path   string // request path relative to the store base, without query
	Status int    // HTTP status code; 0 for a transport error
	// Message is the API's own message: v3 "title", or the v2 "message"(s).
	// For a 207 it describes the failed part.
	Message string
	// Fields holds per-field messages (v3 "errors" object), when any. A
	// batch 422 does not say which item failed: split the batch to find it.
	Fields map[string]string
	// RetryAfter is how long to wait after a 429 before the next call: the
	// longer of X-Rate-Limit-Time-Reset-Ms and X-Retry-After, or a back-off
	// when the 429 came without rate-limit headers (LoadShedding).
	RetryAfter time.Duration
	// LoadShedding is true when a 429 carried no rate-limit headers: the
	// platform is shedding load for the store, not counting our quota.
	LoadShedding bool
	// Data is the raw "data" member of a 207 body: what was saved (the
	// method also returns it decoded).
	Data json.RawMessage
	// Err is the cause of a transport or protocol (undecodable 2xx) error.
	Err error
}

// Error names the method, path, status and the API's message. It never
// contains credentials: only the path (not the host or headers) is kept.
func (e *APIError) Error() string {
	switch e.Kind {
	case apierror.KindTransport:
		return fmt.Sprintf("bigcommerce: %s %s: transport: %v", e.Method, e.Path, e.Err)
	case apierror.KindProtocol:
		return fmt.Sprintf("bigcommerce: %s %s: %d response not decodable: %v", e.Method, e.Path, e.Status, e.Err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "bigcommerce: %s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
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
	if e.Kind == apierror.KindRateLimited {
		if e.LoadShedding {
			b.WriteString(" (load shedding)")
		}
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	return b.String()
}

// Unwrap returns the cause (context.DeadlineExceeded, net.Error, a JSON
// error, ...).
func (e *APIError) Unwrap() error { return e.Err }

// Is matches the sentinel of the error's Kind.
func (e *APIError) Is(target error) bool {
	s, ok := sentinels[e.Kind]
	return ok && target == s
}

// sentinels are the errors.Is targets of the kinds this client produces.
var sentinels = map[apierror.Kind]error{
	apierror.KindNotFound:       ErrNotFound,
	apierror.KindConflict:       ErrConflict,
	apierror.KindValidation:     ErrValidation,
	apierror.KindPartialSuccess: ErrPartialSuccess,
	apierror.KindRateLimited:    ErrRateLimited,
	apierror.KindServer:         ErrServer,
	apierror.KindTransport:      ErrTransport,
	apierror.KindUnauthorized:   ErrUnauthorized,
	apierror.KindForbidden:      ErrForbidden,
	apierror.KindProtocol:       ErrDecode,
}

// APIKind is the error's Kind (apierror.Error).
func (e *APIError) APIKind() apierror.Kind { return e.Kind }

// Retryable reports whether repeating the same call later may succeed:
// 429s, transient 5xx (not 501/505) and transport failures. 4xx answers are
// permanent until the input or the store changes; an undecodable 2xx will
// not change either. Context cancellation is not retryable.
func (e *APIError) Retryable() bool {
	switch e.Kind {
	case apierror.KindRateLimited:
		return true
	case apierror.KindServer:
		return e.Status != http.StatusNotImplemented && e.Status != http.StatusHTTPVersionNotSupported
	case apierror.KindTransport:
		return !errors.Is(e.Err, errContextDone)
	}
	return false
}

// RetryDelay returns the server-mandated delay before retrying, when the
// error is a 429. The activity layer maps it to Temporal's NextRetryDelay.
func (e *APIError) RetryDelay() (time.Duration, bool) {
	if e.Kind == apierror.KindRateLimited {
		return e.RetryAfter, true
	}
	return 0, false
}

// AsAPIError returns the details of any error this package returns for an
// HTTP error status (207 included): every *APIError but a transport failure
// or an undecodable 2xx.
func AsAPIError(err error) (*APIError, bool) {
	var e *APIError
	if errors.As(err, &e) && e.Kind != apierror.KindTransport && e.Kind != apierror.KindProtocol {
		return e, true
	}
	return nil, false
}

// IsRetryable reports whether err is a BigCommerce error that repeating the
// same call later may fix (see APIError.Retryable).
func IsRetryable(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Retryable()
}

// RetryDelay returns the delay a BigCommerce 429 asked for (see
// APIError.RetryDelay).
func RetryDelay(err error) (time.Duration, bool) {
	var e *APIError
	if errors.As(err, &e) {
		return e.RetryDelay()
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
	// BatchErrors is a batch write's 422 (PUT /v3/catalog/variants): one
	// error per item that failed, each with its own title and fields.
	BatchErrors []apiErrorBody `json:"batch_errors"`
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
			if len(e.BatchErrors) > 0 {
				return joinBatch(e.BatchErrors), nil
			}
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

// newStatusError maps a non-2xx response to its error.
func newStatusError(method, path string, status int, body []byte) *APIError {
	title, fields := parseErrorBody(body)
	e := &APIError{Kind: apierror.KindRejected, Method: method, Path: path, Status: status, Message: title, Fields: fields}
	switch {
	case status == http.StatusUnauthorized:
		e.Kind = apierror.KindUnauthorized
	case status == http.StatusForbidden:
		e.Kind = apierror.KindForbidden
		// The store's title does not name the scope; say which one the
		// route needs, so the operator knows what to grant.
		if need := missingScopeText(method, path); need != "" {
			e.Message = strings.TrimSpace(e.Message + " (" + need + ")")
		}
	case status == http.StatusNotFound:
		e.Kind = apierror.KindNotFound
	case status == http.StatusConflict:
		e.Kind = apierror.KindConflict
	case status == http.StatusUnprocessableEntity:
		e.Kind = apierror.KindValidation
	case status >= 500:
		e.Kind = apierror.KindServer
	}
	return e
}

// newPartialError builds the 207 error from a body {data, errors{status,title,errors}}.
func newPartialError(method, path string, body []byte) *APIError {
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	_ = json.Unmarshal(body, &env)
	e := &APIError{Kind: apierror.KindPartialSuccess, Method: method, Path: path, Status: http.StatusMultiStatus, Data: env.Data}
	if len(env.Errors) > 0 {
		var inner apiErrorBody
		if env.Errors[0] == '{' && json.Unmarshal(env.Errors, &inner) == nil {
			e.Message = inner.Title
			e.Fields = parseFieldErrors(inner.Errors)
			if e.Message == "" && len(e.Fields) == 0 {
				e.Fields = parseFieldErrors(env.Errors)
			}
		} else {
			e.Message, _ = parseErrorBody(env.Errors)
		}
	}
	if e.Message == "" {
		e.Message = "saved with errors"
	}
	return e
}

// joinBatch names every failed item of a batch 422, with its reason and
// fields, so that the operator learns which variant failed and why.
func joinBatch(items []apiErrorBody) string {
	msgs := make([]string, 0, len(items))
	for _, it := range items {
		m := it.Title
		if m == "" {
			m = it.Detail
		}
		if fields := parseFieldErrors(it.Errors); len(fields) > 0 {
			keys := make([]string, 0, len(fields))
			for k := range fields {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parts := make([]string, 0, len(keys))
			for _, k := range keys {
				parts = append(parts, k+": "+fields[k])
			}
			m += " (" + strings.Join(parts, "; ") + ")"
		}
		msgs = append(msgs, m)
	}
	return fmt.Sprintf("%d item(s) of the batch failed: %s", len(items), strings.Join(msgs, "; "))
}
