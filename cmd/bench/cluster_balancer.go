package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// intakeBalancer stands where a deployment's load balancer stands in
// front of several workers' HTTP intakes: it is the one public URL the
// platforms' webhooks go to, and hands each delivery to the next intake,
// trying the others when one is down (a killed worker). A delivery no
// intake takes is answered 502, as a real balancer does; the platform's
// retry or hrbc's sweeps then bring the change in.
type intakeBalancer struct {
	backends []string
	next     atomic.Uint64
	client   *http.Client
	// Failovers counts deliveries a down intake passed to another.
	Failovers atomic.Int64
	// Unserved counts deliveries no intake took.
	Unserved atomic.Int64
	// Refused counts deliveries an intake answered 5xx (the platform
	// would retry them later).
	Refused atomic.Int64
	// Held counts BigCommerce deliveries an intake answered 202: taken,
	// to be handed over when its Temporal server answers.
	Held atomic.Int64
}

func newIntakeBalancer(intakes []string) *intakeBalancer {
	return &intakeBalancer{backends: intakes, client: &http.Client{Timeout: 30 * time.Second}}
}

// ServeHTTP forwards the request to the intakes in turn.
func (b *intakeBalancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	start := int(b.next.Add(1))
	for i := range b.backends {
		backend := b.backends[(start+i)%len(b.backends)]
		req, err := http.NewRequestWithContext(r.Context(), r.Method, "http://"+backend+r.URL.RequestURI(), bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		req.Header = r.Header.Clone()
		resp, err := b.client.Do(req)
		if err != nil {
			b.Failovers.Add(1)
			continue // connection refused: that worker is down
		}
		if resp.StatusCode >= 500 {
			b.Refused.Add(1)
		}
		if resp.StatusCode == http.StatusAccepted && strings.HasPrefix(r.URL.Path, "/webhooks/bigcommerce/") {
			b.Held.Add(1)
		}
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
		resp.Body.Close()
		return
	}
	b.Unserved.Add(1)
	http.Error(w, "no intake answers", http.StatusBadGateway)
}
