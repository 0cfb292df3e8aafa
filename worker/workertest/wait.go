package workertest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// WaitFor polls cond until it holds; visibility and the worker are
// eventually consistent. The generous bound only matters when something
// is broken.
func WaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	WaitWithin(t, 30*time.Second, what, cond)
}

// WaitWithin is WaitFor with its own deadline, for conditions that wait
// on something slow by design (the visibility store, a metrics reading).
func WaitWithin(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// FakeControl calls a fake's control API (/__fake/...) the way `starter
// sandbox` does and decodes the answer into out (nil: ignore it).
func FakeControl(t *testing.T, method, url, body string, out any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
}
