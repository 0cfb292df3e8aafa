package bigcommercetest

import (
	"math/rand/v2"
	"path"
	"sync"
	"time"
)

// FaultKind is what an injected fault does to a matching request.
type FaultKind int

// Fault kinds.
const (
	// FaultError answers Status (default 500) with Title, in the v2 or v3
	// error shape of the route, without touching the store.
	FaultError FaultKind = iota + 1
	// FaultPartial lets the request succeed, then answers 207 with the
	// saved data and an inventory error, as BigCommerce does when the
	// inventory part of a catalog write fails.
	FaultPartial
	// FaultRateLimit answers 429 with the rate-limit headers and
	// X-Retry-After (RetryAfter, default 1 s): a 429 storm.
	FaultRateLimit
	// FaultLoadShed answers 429 with no rate-limit headers (platform load shedding).
	FaultLoadShed
	// FaultDrop closes the connection without answering.
	FaultDrop
	// FaultLatency only delays the request by Latency, then serves it.
	FaultLatency
)

// Fault is an injected failure for requests matching Method and Path.
type Fault struct {
	// Method matches the HTTP method; "" or "*" matches any.
	Method string
	// Path is a path.Match pattern on the path after /stores/{hash}, e.g.
	// "/v3/catalog/products" or "/v2/orders/*/shipments"; "" matches all.
	Path string
	Kind FaultKind
	// Status and Title shape a FaultError answer.
	Status int
	Title  string
	// Rate is the probability (0..1] that a matching request is hit; 0 means always.
	Rate float64
	// Times bounds how many requests are hit; 0 means unlimited.
	Times int
	// Latency delays matching requests (any kind) before anything else.
	Latency time.Duration
	// RetryAfter is the wait a FaultRateLimit 429 announces.
	RetryAfter time.Duration
}

type faultEntry struct {
	f    Fault
	hits int
}

type faults struct {
	mu   sync.Mutex
	rnd  *rand.Rand
	list []*faultEntry
}

func newFaults(seed uint64) *faults { return &faults{rnd: newRand(seed)} }

// match returns the first live fault for the request and counts a hit.
func (fs *faults) match(method, p string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, e := range fs.list {
		f := &e.f
		if f.Method != "" && f.Method != "*" && f.Method != method {
			continue
		}
		if f.Path != "" {
			if ok, _ := path.Match(f.Path, p); !ok {
				continue
			}
		}
		if f.Times > 0 && e.hits >= f.Times {
			continue
		}
		if f.Rate > 0 && f.Rate < 1 && fs.rnd.Float64() >= f.Rate {
			continue
		}
		e.hits++
		cp := *f
		return &cp
	}
	return nil
}

// InjectFault adds a fault; the returned function removes it. Faults are
// checked in the order they were added; the first match wins.
func (s *Server) InjectFault(f Fault) (remove func()) {
	e := &faultEntry{f: f}
	s.faults.mu.Lock()
	s.faults.list = append(s.faults.list, e)
	s.faults.mu.Unlock()
	return func() {
		s.faults.mu.Lock()
		defer s.faults.mu.Unlock()
		for i, x := range s.faults.list {
			if x == e {
				s.faults.list = append(s.faults.list[:i], s.faults.list[i+1:]...)
				return
			}
		}
	}
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.list = nil
	s.faults.mu.Unlock()
}
