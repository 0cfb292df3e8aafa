package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/config"
	"github.com/hrbc/hrbc/worker/devserver"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// benchConnection is the connection every scenario creates.
const benchConnection = "bench"

// benchTaskQueue is the task queue of the bench's workers.
const benchTaskQueue = "hrbc-bench"

// Server is the embedded Temporal server (random ports, no UI, a SQLite
// file in a temporary directory) with a client on it.
type Server struct {
	Dev     *devserver.Server
	Client  client.Client
	Starter *starter.Client
	// PayloadKeys is the key ring (HRBC_PAYLOAD_KEYS form) the client
	// encrypts with; cmd/worker children get the same.
	PayloadKeys string
	// Ring is PayloadKeys parsed: the in-process worker and every starter
	// decode memos with it.
	Ring *codec.KeyRing
	dir  string
}

// StartServer starts the embedded server and dials it. It uses a file
// rather than devserver's in-memory mode, which fails to start: the SQLite
// plugin creates the schema of an in-memory database by itself, and
// devserver then creates it again ("table namespaces already exists").
func StartServer(logger *slog.Logger) (*Server, error) {
	keys, ring, err := benchPayloadKeys()
	if err != nil {
		return nil, fmt.Errorf("payload keys (%s): %w", codec.KeyEnv, err)
	}
	dir, err := os.MkdirTemp("", "hrbc-bench-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory for the server: %w", err)
	}
	dev, err := devserver.Start(devserver.Options{
		DatabaseFile:     filepath.Join(dir, "temporal.db"),
		UIPort:           -1,
		Namespace:        "default",
		SearchAttributes: workflows.SearchAttributes(),
	})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("start embedded temporal server: %w", err)
	}
	c, err := client.Dial(codec.ClientOptions(ring, client.Options{HostPort: dev.FrontendAddress(), Logger: sdklog.NewStructuredLogger(logger)}))
	if err != nil {
		_ = dev.Stop()
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("dial embedded temporal server: %w", err)
	}
	return &Server{Dev: dev, Client: c, Starter: starter.New(c, benchTaskQueue, starter.WithDataConverter(codec.DataConverter(ring))),
		PayloadKeys: keys, Ring: ring, dir: dir}, nil
}

// Close stops the client and the server.
func (s *Server) Close() {
	s.Client.Close()
	_ = s.Dev.Stop()
	_ = os.RemoveAll(s.dir)
}

// Stack is the whole of hrbc in this process: server, fakes, and
// workertest's real worker with its activities pointing at the fakes and
// the HTTP intake the fakes' webhooks reach.
type Stack struct {
	*Server
	Fakes  *Fakes
	Worker *workertest.Worker
}

// StartStack assembles a stack with the fakes shaped by opts.
func StartStack(opts FakeOptions, logger *slog.Logger) (*Stack, error) {
	srv, err := StartServer(logger)
	if err != nil {
		return nil, err
	}
	fakes, err := StartFakes(opts)
	if err != nil {
		srv.Close()
		return nil, err
	}
	// The connection goes through worker's configuration path, so the
	// bench measures the Heartland pacing and page size a deployment gets.
	conns, err := worker.NewConnections([]config.ConnectionConfig{fakes.Connection(benchConnection)}, logger)
	if err != nil {
		fakes.Close()
		srv.Close()
		return nil, fmt.Errorf("connection clients: %w", err)
	}
	w, err := workertest.StartWorker(workertest.WorkerOptions{Client: srv.Client, TaskQueue: benchTaskQueue, Connections: conns, Logger: logger, KeyRing: srv.Ring})
	if err != nil {
		fakes.Close()
		srv.Close()
		return nil, err
	}
	return &Stack{Server: srv, Fakes: fakes, Worker: w}, nil
}

// Close stops everything, intake first and server last.
func (s *Stack) Close() {
	s.Worker.Close()
	s.Fakes.Close()
	s.Server.Close()
}

// CreateConnection creates the bench connection and waits until its
// webhooks are registered on BigCommerce (when order sync is on).
func (s *Stack) CreateConnection(ctx context.Context, settings workflows.Settings) error {
	if _, err := s.Starter.CreateConnection(ctx, benchConnection, settings); err != nil {
		return fmt.Errorf("create connection: %w", err)
	}
	if settings.OrderSync {
		if err := waitUntil(ctx, 50*time.Millisecond, "BigCommerce webhooks registered", func() bool { return len(s.Fakes.BC.Hooks()) > 0 }); err != nil {
			return err
		}
	}
	return s.Settle(ctx, time.Second)
}

// Settle waits until neither fake has seen a request for quiet (at most a
// minute), so the setup's calls stay out of the next measurement.
func (s *Stack) Settle(ctx context.Context, quiet time.Duration) error {
	return settle(ctx, s.Fakes, quiet)
}

// settle waits until the fakes' counters stand still for quiet.
func settle(ctx context.Context, f *Fakes, quiet time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	last, since := f.Counts(), time.Now()
	err := waitUntil(ctx, 100*time.Millisecond, "the API calls to settle", func() bool {
		if now := f.Counts(); now != last {
			last, since = now, time.Now()
		}
		return time.Since(since) >= quiet
	})
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		return nil // a steady trickle (polling) never settles; measure anyway
	}
	return err
}
