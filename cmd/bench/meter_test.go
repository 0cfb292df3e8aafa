package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestMeterCountsRoutesAnd429s(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/items/7" {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	m := NewMeter(h, 0)
	for _, p := range []string{"/api/items/7", "/api/items/8", "/api/items", "/__fake/ping"} {
		m.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
	}
	if c := m.Counts(); c.Calls != 3 || c.RateLimited != 1 {
		t.Errorf("counts = %+v, want 3 calls (control route excluded), 1 limited", c)
	}
	routes := m.Routes()
	if routes["GET /api/items/{id}"] != 2 || routes["GET /api/items"] != 1 || len(routes) != 2 {
		t.Errorf("routes = %v", routes)
	}
	if d := RouteDelta(routes, map[string]int{"GET /api/items": 1}); len(d) != 1 || d["GET /api/items/{id}"] != 2 {
		t.Errorf("delta = %v", d)
	}
}
