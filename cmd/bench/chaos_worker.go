package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/hrbc/hrbc/worker/config"
)

// buildWorker compiles ./cmd/worker of the module at root into dir.
func buildWorker(ctx context.Context, root, dir string) (string, error) {
	// A name without "worker" in it, so another session's
	// `pkill -f worker` on this shared machine does not hit it.
	bin := filepath.Join(dir, "hrbcchaosproc")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/worker")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/worker: %w\n%s", err, out)
	}
	return bin, nil
}

// moduleRoot finds the directory holding go.mod from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory: run the bench from the hrbc repository")
		}
		dir = parent
	}
}

// freeLoopbackAddr reserves and releases a loopback port.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// WorkerProcess runs cmd/worker as a child process that can be killed and
// restarted; it samples the child's peak RSS while it lives.
type WorkerProcess struct {
	bin     string
	env     []string
	logPath string
	health  string

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	killing bool
	peakRSS int64
	starts  int
	// unexpected lists exits the bench did not cause, with their status.
	unexpected []string
	onExit     func(status string)
}

// NewWorkerProcess prepares a child running bin with env added to this
// process's environment; its output is appended to logPath. intakeAddr
// is its HRBC_HTTP_ADDR, polled for readiness.
func NewWorkerProcess(bin string, env []string, logPath, intakeAddr string) *WorkerProcess {
	return &WorkerProcess{bin: bin, env: env, logPath: logPath, health: "http://" + intakeAddr + "/healthz"}
}

// Start launches the child and waits until its intake answers.
func (w *WorkerProcess) Start(ctx context.Context) error {
	logf, err := os.OpenFile(w.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("worker log: %w", err)
	}
	cmd := exec.Command(w.bin)
	cmd.Env = append(os.Environ(), w.env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start worker: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logf.Close()
		w.mu.Lock()
		expected := w.killing || w.cmd != cmd
		onExit := w.onExit
		if !expected {
			w.unexpected = append(w.unexpected, fmt.Sprintf("%s: pid %d %s", time.Now().Format("15:04:05"), cmd.Process.Pid, cmd.ProcessState))
		}
		w.mu.Unlock()
		close(exited)
		if !expected && onExit != nil {
			onExit(cmd.ProcessState.String())
		}
	}()
	w.mu.Lock()
	w.cmd, w.exited, w.killing = cmd, exited, false
	w.starts++
	w.mu.Unlock()
	go w.sample(cmd.Process.Pid, exited)
	return w.waitHealthy(ctx, exited)
}

// waitHealthy polls the intake's /healthz.
func (w *WorkerProcess) waitHealthy(ctx context.Context, exited chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: time.Second}
	for {
		select {
		case <-exited:
			return fmt.Errorf("worker exited during start (see %s)", w.logPath)
		default:
		}
		if resp, err := hc.Get(w.health); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if !sleepCtx(ctx, 100*time.Millisecond) {
			return fmt.Errorf("worker not healthy at %s: %w (see %s)", w.health, ctx.Err(), w.logPath)
		}
	}
}

// sample records the child's VmHWM until it exits.
func (w *WorkerProcess) sample(pid int, exited chan struct{}) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		if rss := PeakRSS(pid); rss > 0 {
			w.mu.Lock()
			w.peakRSS = max(w.peakRSS, rss)
			w.mu.Unlock()
		}
		select {
		case <-exited:
			return
		case <-t.C:
		}
	}
}

// Kill sends SIGKILL and waits for the child to be gone.
func (w *WorkerProcess) Kill() error { return w.signal(syscall.SIGKILL) }

// Terminate sends SIGTERM (a graceful stop, as a deploy would) and waits
// for the child to be gone.
func (w *WorkerProcess) Terminate() error { return w.signal(syscall.SIGTERM) }

func (w *WorkerProcess) signal(sig syscall.Signal) error {
	w.mu.Lock()
	cmd, exited := w.cmd, w.exited
	w.killing = true
	w.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal %s to worker %d: %w", sig, cmd.Process.Pid, err)
	}
	<-exited
	return nil
}

// Stop ends the child gracefully (SIGTERM), killing it after 15 s.
func (w *WorkerProcess) Stop() {
	w.mu.Lock()
	cmd, exited := w.cmd, w.exited
	w.killing = true
	w.onExit = nil
	w.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-exited
	}
}

// PeakRSS is the largest VmHWM seen over every run of the child.
func (w *WorkerProcess) PeakRSS() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peakRSS
}

// OnUnexpectedExit sets a function called when the child exits without
// the bench killing or stopping it.
func (w *WorkerProcess) OnUnexpectedExit(f func(status string)) {
	w.mu.Lock()
	w.onExit = f
	w.mu.Unlock()
}

// Unexpected lists the exits the bench did not cause.
func (w *WorkerProcess) Unexpected() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.unexpected...)
}

// Starts counts launches.
func (w *WorkerProcess) Starts() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.starts
}

// workerEnv is the environment of a cmd/worker child: the bench's server,
// a task queue, its intake address, one connection to the fakes and the
// bench's payload keys (the same as the bench's client's).
func workerEnv(srv *Server, taskQueue, intake string, conn config.ConnectionConfig) []string {
	return workerEnvAt(srv.Dev.FrontendAddress(), srv.PayloadKeys, taskQueue, intake, "http://"+intake, conn)
}

// workerEnvAt is the environment of a cmd/worker child on the Temporal
// frontend at address, with payload keys, a task queue, its intake
// address, the public URL the platforms' webhooks go to and one
// HRBC_CONNECTION_<n>_* group per connection.
func workerEnvAt(frontend, keys, taskQueue, intake, publicURL string, conns ...config.ConnectionConfig) []string {
	env := []string{
		"TEMPORAL_ADDRESS=" + frontend,
		"HRBC_PAYLOAD_KEYS=" + keys,
		"TEMPORAL_NAMESPACE=default",
		"HRBC_TASK_QUEUE=" + taskQueue,
		"HRBC_HTTP_ADDR=" + intake,
		"HRBC_PUBLIC_URL=" + publicURL,
		"HRBC_LOG_LEVEL=info",
		"HRBC_LOG_FORMAT=json",
	}
	for n, conn := range conns {
		p := fmt.Sprintf("HRBC_CONNECTION_%d_", n)
		env = append(env,
			p+"ID="+conn.ID,
			p+"HEARTLAND_URL="+conn.HeartlandURL,
			p+"HEARTLAND_TOKEN="+conn.HeartlandToken.Reveal(),
			p+"BIGCOMMERCE_URL="+conn.BigCommerceURL,
			p+"BIGCOMMERCE_TOKEN="+conn.BigCommerceToken.Reveal(),
			p+"BIGCOMMERCE_STORE_HASH="+conn.BigCommerceStoreHash,
			p+"WEBHOOK_SECRET="+conn.WebhookSecret.Reveal(),
		)
		if conn.HeartlandRPS != 0 {
			env = append(env, fmt.Sprintf("%sHEARTLAND_RPS=%g", p, conn.HeartlandRPS))
		}
		if conn.HeartlandBurst != 0 {
			env = append(env, fmt.Sprintf("%sHEARTLAND_BURST=%d", p, conn.HeartlandBurst))
		}
	}
	return env
}

// PID is the running child's process id, 0 when none runs.
func (w *WorkerProcess) PID() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd == nil || w.cmd.Process == nil {
		return 0
	}
	return w.cmd.Process.Pid
}
