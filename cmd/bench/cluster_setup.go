package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/config"
)

// clusterTaskQueue is the task queue the cluster's workers share.
const clusterTaskQueue = "hrbc-cluster"

// clusterNamespace is the namespace the bench registers and uses.
const clusterNamespace = "default"

// Cluster is a Temporal server process on PostgreSQL, a client on it,
// the cmd/worker binary and, once started, worker processes behind one
// intake balancer.
type Cluster struct {
	PG      Postgres
	Server  *ServerProcess
	Client  client.Client
	Starter *starter.Client
	// Keys is the payload key ring (HRBC_PAYLOAD_KEYS form) of the client
	// and every worker.
	Keys string
	// Dir holds the logs and binaries of this run.
	Dir       string
	workerBin string
	// Setup is how long the databases and their schema took.
	Setup time.Duration
	// Vacuum stands in for PostgreSQL's autovacuum where it is off.
	Vacuum *Vacuumer
	// Ready is how long the server took from start to serving the namespace.
	Ready time.Duration

	Workers []*WorkerProcess
	// MetricsAddrs are the workers' HRBC_METRICS_ADDR, in Workers' order.
	MetricsAddrs []string
	Balancer     *intakeBalancer
	// PublicURL is the balancer's URL, the workers' HRBC_PUBLIC_URL.
	PublicURL string
	lb        *http.Server
}

// StartCluster recreates the databases, starts the server process,
// registers the namespace with hrbc's search attributes and builds
// cmd/worker. The caller closes the cluster.
func StartCluster(ctx context.Context, dbPrefix string, historyShards int, logger *slog.Logger, progress func(string)) (*Cluster, error) {
	pg, err := postgresFromEnv(dbPrefix)
	if err != nil {
		return nil, err
	}
	if err := pg.Reachable(ctx); err != nil {
		return nil, err
	}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "hrbc-cluster-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	cl := &Cluster{PG: pg, Dir: dir}
	progress(fmt.Sprintf("cluster: fresh databases %s and %s on %s, schema by the module's SQL tool", pg.Database, pg.Visibility, pg.Address()))
	start := time.Now()
	if err := pg.Recreate(); err != nil {
		return cl, err
	}
	cl.Setup = time.Since(start)
	if cl.Vacuum, err = StartVacuumer(ctx, pg); err != nil {
		return cl, err
	}
	progress("cluster: " + cl.Vacuum.Report())

	configFile := filepath.Join(root, "deployments", "temporal", "config.yaml")
	dynamic := filepath.Join(root, "deployments", "temporal", "dynamicconfig.yaml")
	if cl.Server, err = NewServerProcess(configFile, dynamic, pg, historyShards, filepath.Join(dir, "temporal.log")); err != nil {
		return cl, err
	}
	progress("cluster: starting the Temporal server process (config " + configFile + ", log " + filepath.Join(dir, "temporal.log") + ")")
	start = time.Now()
	if err := cl.Server.Start(ctx); err != nil {
		return cl, err
	}
	keys, ring, err := benchPayloadKeys()
	if err != nil {
		return cl, fmt.Errorf("payload keys (%s): %w", codec.KeyEnv, err)
	}
	cl.Keys = keys
	if cl.Client, err = dialCluster(ctx, cl.Server.Frontend, ring, logger); err != nil {
		return cl, err
	}
	cl.Starter = starter.New(cl.Client, clusterTaskQueue, starter.WithDataConverter(codec.DataConverter(ring)))
	if err := registerNamespace(ctx, cl.Client); err != nil {
		return cl, err
	}
	cl.Ready = time.Since(start)
	progress(fmt.Sprintf("cluster: server ready on %s in %s (namespace %q, hrbc's search attributes); building ./cmd/worker",
		cl.Server.Frontend, cl.Ready.Round(100*time.Millisecond), clusterNamespace))
	if cl.workerBin, err = buildWorker(ctx, root, dir); err != nil {
		return cl, err
	}
	return cl, nil
}

// dialCluster dials the frontend through the payload codec, retrying while
// the server's services come up.
func dialCluster(ctx context.Context, frontend string, ring *codec.KeyRing, logger *slog.Logger) (client.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		c, err := client.DialContext(ctx, codec.ClientOptions(ring, client.Options{HostPort: frontend, Namespace: clusterNamespace,
			Logger: sdklog.NewStructuredLogger(logger)}))
		if err == nil {
			return c, nil
		}
		if !sleepCtx(ctx, 500*time.Millisecond) {
			return nil, fmt.Errorf("dial temporal at %s: %w", frontend, err)
		}
	}
}

// registerNamespace registers the namespace (3 days' retention) and hrbc's
// search attributes, and waits until a visibility query on them answers.
func registerNamespace(ctx context.Context, c client.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	_, err := c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: clusterNamespace, WorkflowExecutionRetentionPeriod: durationpb.New(72 * time.Hour)})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("register namespace %q: %w", clusterNamespace, err)
	}
	// The frontend's namespace cache picks a new namespace up within
	// seconds; EnsureSearchAttributes returns once a query on them answers.
	var last error
	err = waitUntil(ctx, 500*time.Millisecond, "the namespace and its search attributes", func() bool {
		last = worker.EnsureSearchAttributes(ctx, c, clusterNamespace)
		return last == nil
	})
	if err != nil {
		return fmt.Errorf("%w (last: %v)", err, last)
	}
	return nil
}

// StartWorkers starts n cmd/worker processes on the cluster's task queue,
// each serving conns and its own intake, behind one balancer whose URL is
// every worker's HRBC_PUBLIC_URL.
func (cl *Cluster) StartWorkers(ctx context.Context, n int, conns []config.ConnectionConfig, progress func(string)) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("intake balancer: %w", err)
	}
	var intakes []string
	for range n {
		addr, err := freeLoopbackAddr()
		if err != nil {
			ln.Close()
			return err
		}
		intakes = append(intakes, addr)
	}
	cl.Balancer = newIntakeBalancer(intakes)
	cl.lb = &http.Server{Handler: cl.Balancer, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = cl.lb.Serve(ln) }()
	cl.PublicURL = "http://" + ln.Addr().String()
	for i, intake := range intakes {
		env := workerEnvAt(cl.Server.Frontend, cl.Keys, clusterTaskQueue, intake, cl.PublicURL, conns...)
		metricsAddr, err := freeLoopbackAddr()
		if err != nil {
			ln.Close()
			return err
		}
		env = append(env, "HRBC_METRICS_ADDR="+metricsAddr)
		if v := os.Getenv("HRBC_PPROF"); v != "" {
			// Profiles of the workers beside their metrics, as PPROF_PORT
			// gives the server's.
			env = append(env, "HRBC_PPROF="+v)
		}
		cl.MetricsAddrs = append(cl.MetricsAddrs, metricsAddr)
		wp := NewWorkerProcess(cl.workerBin, env, filepath.Join(cl.Dir, fmt.Sprintf("worker%d.log", i+1)), intake)
		cl.Workers = append(cl.Workers, wp)
	}
	// One after another: each registers the connections' webhooks at start.
	for i, wp := range cl.Workers {
		if err := wp.Start(ctx); err != nil {
			return fmt.Errorf("worker %d: %w", i+1, err)
		}
		// Like a supervisor, restart a worker that died without being
		// killed; the exit is reported.
		wp.OnUnexpectedExit(func(status string) {
			progress(fmt.Sprintf("cluster: worker %d exited unexpectedly (%s); restarting it", i+1, status))
			if err := wp.Start(ctx); err != nil {
				progress(fmt.Sprintf("cluster: restart of worker %d failed: %v", i+1, err))
			}
		})
	}
	progress(fmt.Sprintf("cluster: %d workers on task queue %s, intakes behind %s (logs in %s)", n, clusterTaskQueue, cl.PublicURL, cl.Dir))
	return nil
}

// RestartServer kills the server process (SIGKILL, a crash), starts it
// again after down, and returns how long until the client's calls were
// answered again, from the kill.
func (cl *Cluster) RestartServer(ctx context.Context, down time.Duration) (time.Duration, error) {
	killed := time.Now()
	if err := cl.Server.Kill(); err != nil {
		return 0, err
	}
	sleepCtx(ctx, down)
	if err := cl.Server.Start(ctx); err != nil {
		return 0, fmt.Errorf("restart temporal server: %w", err)
	}
	err := waitUntil(ctx, 200*time.Millisecond, "the restarted server to answer", func() bool {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		_, err := cl.Client.CountWorkflow(cctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: clusterNamespace})
		return err == nil
	})
	return time.Since(killed), err
}

// ScrapeWorkers reads every worker's /metrics.
func (cl *Cluster) ScrapeWorkers(ctx context.Context) (WorkerMetrics, error) {
	return scrapeWorkers(ctx, cl.MetricsAddrs)
}

// WorkerPeakRSS is the largest peak RSS among the workers.
func (cl *Cluster) WorkerPeakRSS() (peak int64, each []int64) {
	for _, w := range cl.Workers {
		each = append(each, w.PeakRSS())
		peak = max(peak, w.PeakRSS())
	}
	return peak, each
}

// Close stops the workers, the balancer, the client and the server; the
// databases stay for inspection until the next run drops them.
func (cl *Cluster) Close() {
	for _, w := range cl.Workers {
		w.Stop()
	}
	if cl.lb != nil {
		_ = cl.lb.Close()
	}
	if cl.Client != nil {
		cl.Client.Close()
	}
	if cl.Server != nil {
		cl.Server.Stop()
	}
	if cl.Vacuum != nil {
		cl.Vacuum.Stop()
	}
	if cl.workerBin != "" {
		_ = os.Remove(cl.workerBin)
	}
}

// runStarterCLI runs the operator CLI (`go run ./cmd/starter`'s binary,
// built once) against the cluster and returns its output.
func (cl *Cluster) runStarterCLI(ctx context.Context, args ...string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(cl.Dir, "hrbcstarter")
	if _, err := os.Stat(bin); err != nil {
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/starter")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build ./cmd/starter: %w\n%s", err, out)
		}
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "TEMPORAL_ADDRESS="+cl.Server.Frontend, "TEMPORAL_NAMESPACE="+clusterNamespace,
		"HRBC_TASK_QUEUE="+clusterTaskQueue, "HRBC_PAYLOAD_KEYS="+cl.Keys)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("starter %v: %w\n%s", args, err, out)
	}
	return string(out), nil
}
