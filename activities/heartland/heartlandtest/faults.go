package heartlandtest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// Fault describes injected misbehaviour for a route. Routes are named like
// the API patterns without the /api prefix ("POST /sales/orders",
// "GET /items/{id}"); "*" matches every API route. A route-specific fault
// wins over "*".
type Fault struct {
	// Status is the HTTP status answered instead of running the handler
	// (e.g. 500, 503, 429, 422); 0 injects latency only.
	Status int
	// Code, Message and Details fill the error body; defaults depend on Status.
	Code    string
	Message string
	Details map[string]any
	// RetryAfter is sent as a Retry-After header (whole seconds, rounded up)
	// on every injected 429 unless OmitRetryAfter is set, and on a 503 when
	// it is positive.
	RetryAfter     time.Duration
	OmitRetryAfter bool
	// Rate is the probability that a request is affected (0 or 1: always).
	Rate float64
	// Times is how many affected requests the fault lasts (0: until cleared).
	Times int
	// Latency delays affected requests (before the error, if any).
	Latency time.Duration
}

type faultState struct {
	f         Fault
	remaining int // -1 = unlimited
}

// InjectFault installs f on route, replacing any fault already there.
func (s *Server) InjectFault(route string, f Fault) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	rem := -1
	if f.Times > 0 {
		rem = f.Times
	}
	s.faults[route] = &faultState{f: f, remaining: rem}
}

// FailNext makes the next n requests to route answer status.
func (s *Server) FailNext(route string, status, n int) {
	s.InjectFault(route, Fault{Status: status, Times: n})
}

// RateLimitNext makes the next n requests to route answer 429 with
// Retry-After: retryAfter.
func (s *Server) RateLimitNext(route string, n int, retryAfter time.Duration) {
	s.InjectFault(route, Fault{Status: http.StatusTooManyRequests, Times: n, RetryAfter: retryAfter})
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = map[string]*faultState{}
}

// applyFault answers r with an injected fault if one applies; true means the
// request has been answered.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, route string) bool {
	s.faultMu.Lock()
	st := s.faults[route]
	if st == nil {
		st = s.faults["*"]
	}
	if st == nil || st.remaining == 0 {
		s.faultMu.Unlock()
		return false
	}
	if st.f.Rate > 0 && st.f.Rate < 1 && s.rng.Float64() >= st.f.Rate {
		s.faultMu.Unlock()
		return false
	}
	if st.remaining > 0 {
		st.remaining--
	}
	f := st.f
	s.faultMu.Unlock()

	sleepCtx(r.Context(), f.Latency)
	if f.Status == 0 {
		return false
	}
	e := &apiError{status: f.Status, code: f.Code, message: f.Message, details: f.Details}
	switch {
	case f.Status == http.StatusTooManyRequests:
		if !f.OmitRetryAfter {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
		}
		defaultErr(e, "rate_limited", "Too many requests")
	case f.Status >= 500:
		if f.Status == http.StatusServiceUnavailable && f.RetryAfter > 0 && !f.OmitRetryAfter {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
		}
		defaultErr(e, "internal_error", "Injected server error")
	case f.Status == http.StatusNotFound:
		defaultErr(e, "not_found", "Not found")
	case f.Status == http.StatusUnauthorized || f.Status == http.StatusForbidden:
		defaultErr(e, "unauthorized", "Not authorized")
	case f.Status == http.StatusConflict:
		defaultErr(e, "conflict", "Conflict")
	default:
		defaultErr(e, "validation_error", "Injected validation error")
	}
	writeError(w, e)
	return true
}

func defaultErr(e *apiError, code, msg string) {
	if e.code == "" {
		e.code = code
	}
	if e.message == "" {
		e.message = msg
	}
}
