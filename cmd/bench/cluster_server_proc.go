package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// ServerProcess is the Temporal server of `bench cluster`: this bench
// binary re-executed as `bench cluster-server`, on fixed loopback ports
// chosen once so workers and clients find it again after a restart.
type ServerProcess struct {
	env     []string
	args    []string
	logPath string
	// Frontend is the gRPC host:port clients dial.
	Frontend string

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	peakRSS int64
	starts  int
	// pastCPU is the CPU time of the runs that have exited, so that a
	// restart does not take the killed run's time out of a phase's sum.
	pastCPU time.Duration
}

// NewServerProcess prepares the server: configFile is the server
// configuration, dynamicConfig its dynamic configuration, pg the store,
// historyShards its numHistoryShards (below 1: 4); the server's log is
// appended to logPath.
func NewServerProcess(configFile, dynamicConfig string, pg Postgres, historyShards int, logPath string) (*ServerProcess, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the bench's own binary: %w", err)
	}
	names := []string{"FRONTEND_GRPC_PORT", "FRONTEND_HTTP_PORT", "FRONTEND_MEMBERSHIP_PORT", "HISTORY_GRPC_PORT",
		"HISTORY_MEMBERSHIP_PORT", "MATCHING_GRPC_PORT", "MATCHING_MEMBERSHIP_PORT", "WORKER_GRPC_PORT", "WORKER_MEMBERSHIP_PORT"}
	env := append(pg.ServerEnv(), "BIND_ON_IP=127.0.0.1", "LOG_LEVEL=warn", "NUM_HISTORY_SHARDS="+strconv.Itoa(cmp.Or(max(historyShards, 0), 4)),
		"DYNAMIC_CONFIG_FILE_PATH="+dynamicConfig)
	var frontend string
	taken := map[int]bool{}
	for _, name := range names {
		port, err := freeLowPort(taken)
		if err != nil {
			return nil, err
		}
		env = append(env, name+"="+strconv.Itoa(port))
		if name == "FRONTEND_GRPC_PORT" {
			frontend = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		}
	}
	return &ServerProcess{env: env, args: []string{self, "cluster-server", "--config-file", configFile},
		logPath: logPath, Frontend: frontend}, nil
}

// Start launches the server and waits until its frontend accepts
// connections (the caller's client then waits for it to serve).
func (s *ServerProcess) Start(ctx context.Context) error {
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("server log: %w", err)
	}
	cmd := exec.Command(s.args[0], s.args[1:]...)
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start temporal server process: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logf.Close()
		if st := cmd.ProcessState; st != nil {
			s.mu.Lock()
			s.pastCPU += st.UserTime() + st.SystemTime()
			s.mu.Unlock()
		}
		close(exited)
	}()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.starts++
	s.mu.Unlock()
	go s.sample(cmd.Process.Pid, exited)

	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		select {
		case <-exited:
			return fmt.Errorf("temporal server process exited during start (see %s)", s.logPath)
		default:
		}
		if c, err := net.DialTimeout("tcp", s.Frontend, time.Second); err == nil {
			_ = c.Close()
			return nil
		}
		if !sleepCtx(ctx, 100*time.Millisecond) {
			return fmt.Errorf("temporal frontend not listening on %s: %w (see %s)", s.Frontend, ctx.Err(), s.logPath)
		}
	}
}

// sample records the server's peak RSS while it lives.
func (s *ServerProcess) sample(pid int, exited chan struct{}) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		if rss := PeakRSS(pid); rss > 0 {
			s.mu.Lock()
			s.peakRSS = max(s.peakRSS, rss)
			s.mu.Unlock()
		}
		select {
		case <-exited:
			return
		case <-t.C:
		}
	}
}

// Kill sends SIGKILL (a crash) and waits until the process is gone.
func (s *ServerProcess) Kill() error {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("kill temporal server %d: %w", cmd.Process.Pid, err)
	}
	<-exited
	return nil
}

// Stop ends the server gracefully, killing it after 20 s.
func (s *ServerProcess) Stop() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-exited
	}
}

// PeakRSS is the largest VmHWM seen over every run of the server.
func (s *ServerProcess) PeakRSS() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peakRSS
}

// Starts counts launches.
func (s *ServerProcess) Starts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.starts
}

// freeLowPort finds a free loopback port below 32768: the server records
// membership ports in a smallint column, so the kernel's ephemeral ports
// (32768 and up on Linux) are refused by PostgreSQL.
func freeLowPort(taken map[int]bool) (int, error) {
	for range 200 {
		port := 20000 + rand.IntN(12000)
		if taken[port] {
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		_ = ln.Close()
		taken[port] = true
		return port, nil
	}
	return 0, fmt.Errorf("no free loopback port between 20000 and 32000")
}

// CPU is the CPU time of every run of the server so far, the running one
// included.
func (s *ServerProcess) CPU() time.Duration {
	s.mu.Lock()
	past := s.pastCPU
	s.mu.Unlock()
	return past + ProcessCPU(s.PID())
}

// PID is the running server's process id, 0 when none runs.
func (s *ServerProcess) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}
