package main

import (
	"bufio"
	"errors"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Meter sits in front of one fake API: it adds a fixed latency to every
// API request, as a real API's round trip would, and counts requests and
// 429 answers. Control routes (/__fake/) pass untouched and uncounted.
type Meter struct {
	next    http.Handler
	latency time.Duration
	calls   atomic.Int64
	limited atomic.Int64

	mu     sync.Mutex
	routes map[string]int
	// busy is the time the fake spent answering, per route.
	busy map[string]time.Duration
}

// NewMeter wraps next.
func NewMeter(next http.Handler, latency time.Duration) *Meter {
	return &Meter{next: next, latency: latency, routes: map[string]int{}, busy: map[string]time.Duration{}}
}

// Counts is a snapshot of a Meter.
type Counts struct {
	// Calls counts API requests, whatever their answer.
	Calls int `json:"calls"`
	// RateLimited counts 429 answers among them.
	RateLimited int `json:"rate_limited"`
}

// Sub is c minus an earlier snapshot.
func (c Counts) Sub(earlier Counts) Counts {
	return Counts{Calls: c.Calls - earlier.Calls, RateLimited: c.RateLimited - earlier.RateLimited}
}

// Counts returns the counters so far.
func (m *Meter) Counts() Counts {
	return Counts{Calls: int(m.calls.Load()), RateLimited: int(m.limited.Load())}
}

// ServeHTTP delays, counts and forwards one request.
func (m *Meter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/__fake/") {
		m.next.ServeHTTP(w, r)
		return
	}
	m.calls.Add(1)
	route := r.Method + " " + routeOf(r.URL.Path)
	m.mu.Lock()
	m.routes[route]++
	m.mu.Unlock()
	if m.latency > 0 {
		t := time.NewTimer(m.latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	sw := &statusWriter{ResponseWriter: w}
	began := time.Now()
	m.next.ServeHTTP(sw, r)
	m.mu.Lock()
	m.busy[route] += time.Since(began)
	m.mu.Unlock()
	if sw.status == http.StatusTooManyRequests {
		m.limited.Add(1)
	}
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (the
// BigCommerce fake hijacks connections to simulate drops).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Hijack hands the connection over (the BigCommerce fake drops connections
// to simulate network faults).
func (s *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("bench: response writer cannot hijack")
	}
	return hj.Hijack()
}

// Routes returns the calls per route ("GET /api/items/{id}") so far.
func (m *Meter) Routes() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.routes)
}

// Busy returns the time the fake spent answering, per route, so far
// (the added latency excluded).
func (m *Meter) Busy() map[string]time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.busy)
}

// routeOf replaces the numeric segments of a path with {id}.
func routeOf(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// RouteDelta is now minus before, per route, without zero entries.
func RouteDelta(now, before map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range now {
		if d := v - before[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}
