package workertest

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/logging"
)

// Process is cmd/worker's process running in the test, as `go run
// ./cmd/worker` would with the given environment.
type Process struct {
	// Banner is what the process printed for a person at the terminal.
	Banner *SyncBuffer
	cancel context.CancelFunc
	done   chan error
	t      *testing.T
}

// RunProcess starts the process with environ and returns once it has
// printed its banner, that is once everything runs.
func RunProcess(t *testing.T, environ []string) *Process {
	t.Helper()
	cfg, err := config.LoadConfig(environ)
	if err != nil {
		t.Fatal(err)
	}
	logger, zl, err := logging.NewLogger(io.Discard, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Process{Banner: &SyncBuffer{}, cancel: cancel, done: make(chan error, 1), t: t}
	go func() { p.done <- worker.NewProcess(cfg, logger, zl, p.Banner).Run(ctx) }()
	WaitFor(t, "banner", func() bool {
		select {
		case err := <-p.done:
			t.Fatalf("process ended early: %v", err)
		default:
		}
		return strings.Contains(p.Banner.String(), "Press Ctrl-C")
	})
	return p
}

// Stop stops the process as Ctrl-C does and waits for a clean shutdown.
func (p *Process) Stop() {
	p.cancel()
	if err := <-p.done; err != nil {
		p.t.Errorf("process stopped with %v", err)
	}
}

// FreePort returns a loopback port nothing listens on right now, taken
// below the kernel's ephemeral range (32768 and up on Linux). The embedded
// server picks its internal ports by asking the kernel for any free one,
// so a port handed out here and closed again could otherwise be taken by
// the server before the test's process binds it.
func FreePort(t *testing.T) int {
	t.Helper()
	for range 200 {
		port := 20000 + rand.IntN(12000)
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		ln.Close()
		return port
	}
	t.Fatal("no free loopback port between 20000 and 32000")
	return 0
}

// SyncBuffer is a bytes.Buffer safe to write from the process's goroutines
// while the test reads it.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
