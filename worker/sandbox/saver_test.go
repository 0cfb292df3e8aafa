package sandbox

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestSandboxStatesSaveChangesPeriodically stands for a SIGKILL: what
// changed is on disk within an interval without any Close, and an
// unchanged state is not rewritten.
func TestSandboxStatesSaveChangesPeriodically(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fake.json")
	var mu sync.Mutex
	content := "one"
	f := &fakeState{path: path, save: func(w io.Writer) error {
		mu.Lock()
		defer mu.Unlock()
		_, err := io.WriteString(w, content)
		return err
	}}
	ss := &sandboxStates{fakes: []*fakeState{f}, logger: slog.New(slog.DiscardHandler), interval: 10 * time.Millisecond}
	ss.start()
	defer ss.stopSaving()
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Fatalf("not saved at start: %q", b)
	}
	// Unchanged state is not written again: a removed file stays removed.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("unchanged state rewritten: %v", err)
	}
	mu.Lock()
	content = "two"
	mu.Unlock()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(path); string(b) == "two" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the change never reached the disk")
		}
	}
	if tmps, _ := filepath.Glob(path + ".tmp-*"); len(tmps) != 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}
