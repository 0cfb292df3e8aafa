// Package devserver runs a real Temporal server and its Web UI inside the
// current process, backed by a SQLite file, for the embedded default of
// cmd/worker and for end-to-end tests. It imports the Temporal server and
// UI server only, no hrbc package.
package devserver

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	"go.temporal.io/server/common/metrics"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
	"go.uber.org/zap"
)

// Options describes the embedded server. Zero ports are chosen by the
// operating system; a configured port that is busy is an error.
type Options struct {
	// DatabaseFile is the SQLite file that holds all state. Empty means an
	// in-memory database that disappears with the process.
	DatabaseFile string
	// IP is the address every service binds to, 127.0.0.1 by default.
	IP string
	// FrontendPort is the gRPC port clients dial (7233 in the embedded default).
	FrontendPort int
	// UIPort is the Temporal Web UI's HTTP port (8233 in the embedded default);
	// -1 turns the UI off.
	UIPort int
	// Namespace is registered before the server starts.
	Namespace string
	// SearchAttributes are registered on Namespace before the server starts.
	SearchAttributes map[string]enumspb.IndexedValueType
	// CodecEndpoint is the remote codec the Web UI decodes payloads with
	// (Temporal's codec-server protocol); empty shows payloads as stored.
	CodecEndpoint string
	// Logger receives the server's own log lines; nil discards them. The
	// server is chatty, so callers usually pass a logger at warn level.
	Logger *zap.Logger
}

// Server is a running embedded Temporal server with its optional Web UI.
type Server struct {
	temporal     temporal.Server
	ui           *uiServer
	frontendAddr string
	uiAddr       string
}

// ErrPortBusy reports that a configured port is already taken by another
// process, typically a second hrbc worker or a Temporal dev server.
var ErrPortBusy = errors.New("port already in use")

// Start prepares the database, registers the namespace and search attributes,
// and starts the server and UI. It returns once the frontend accepts
// connections.
func Start(opts Options) (*Server, error) {
	if opts.IP == "" {
		opts.IP = "127.0.0.1"
	}
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	// The ports stay held until the moment their servers bind them, so no
	// other process can take them meanwhile; the UI server in particular
	// exits the whole process when its bind fails.
	frontendLn, err := reservePort(opts.IP, opts.FrontendPort, "frontend")
	if err != nil {
		return nil, err
	}
	frontendPort := portOf(frontendLn)
	var uiLn net.Listener
	if opts.UIPort >= 0 {
		if uiLn, err = reservePort(opts.IP, opts.UIPort, "web UI"); err != nil {
			frontendLn.Close()
			return nil, err
		}
	}
	release := func() {
		frontendLn.Close()
		if uiLn != nil {
			uiLn.Close()
		}
	}

	sqlCfg, err := prepareDatabase(opts)
	if err != nil {
		release()
		return nil, err
	}
	cfg, err := serverConfig(opts.IP, frontendPort, sqlCfg)
	if err != nil {
		release()
		return nil, err
	}

	logger := log.Logger(log.NewNoopLogger())
	if opts.Logger != nil {
		logger = log.NewZapLogger(opts.Logger)
	}
	// The server binds its listeners while it is being built.
	frontendLn.Close()
	srv, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		// Static membership: every service lives in this process, and the
		// gossip-based default would try to rejoin the previous run's hosts
		// recorded in the database and refuse requests until they expire.
		temporal.WithStaticHosts(staticHosts(cfg)),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			// Search attributes registered while the server runs (tests) are
			// visible at once instead of after the cache's refresh interval.
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): []dynamicconfig.ConstrainedValue{{Value: true}},
			// The UI and the CLI list workflows often; the default per-instance
			// visibility rate is sized for a cluster, not a laptop.
			dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): []dynamicconfig.ConstrainedValue{{Value: 100}},
		}),
	)
	if err != nil {
		release()
		return nil, fmt.Errorf("create embedded temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		if uiLn != nil {
			uiLn.Close()
		}
		return nil, fmt.Errorf("start embedded temporal server: %w", err)
	}
	s := &Server{temporal: srv, frontendAddr: net.JoinHostPort(opts.IP, strconv.Itoa(frontendPort))}
	if err := waitForListener(s.frontendAddr, 30*time.Second); err != nil {
		if uiLn != nil {
			uiLn.Close()
		}
		_ = srv.Stop()
		return nil, err
	}
	if uiLn != nil {
		uiPort := portOf(uiLn)
		s.uiAddr = net.JoinHostPort(opts.IP, strconv.Itoa(uiPort))
		ui, err := startUI(opts.IP, uiPort, s.frontendAddr, opts.Namespace, opts.CodecEndpoint, uiLn.Close)
		if err != nil {
			_ = srv.Stop()
			return nil, err
		}
		s.ui = ui
	}
	return s, nil
}

// FrontendAddress is the host:port a Temporal client dials.
func (s *Server) FrontendAddress() string { return s.frontendAddr }

// UIAddress is the host:port of the Web UI, empty when it is off.
func (s *Server) UIAddress() string { return s.uiAddr }

// Stop shuts the UI and then the server down.
func (s *Server) Stop() error {
	if s.ui != nil {
		s.ui.stop()
	}
	return s.temporal.Stop()
}

// reservePort listens on a configured port, or on one the kernel picks
// when port is 0, so that a busy port fails fast with a message instead of
// a server that never binds. The caller closes the listener right before
// the real server binds the port.
func reservePort(ip string, port int, what string) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("%s %s:%d: %w (%v)", what, ip, port, ErrPortBusy, err)
	}
	return ln, nil
}

func portOf(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

// freePort asks the kernel for a port for an internal service.
func freePort(ip string) (int, error) {
	ln, err := reservePort(ip, 0, "internal service")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return portOf(ln), nil
}

func waitForListener(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return conn.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("embedded temporal frontend did not listen on %s within %s: %w", addr, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// prepareDatabase creates the SQLite schema on first use and registers the
// namespace with its search attributes; both steps are no-ops on a restart.
func prepareDatabase(opts Options) (*config.SQL, error) {
	sqlCfg := &config.SQL{
		PluginName:        sqliteplugin.PluginName,
		ConnectAttributes: map[string]string{},
		DatabaseName:      opts.DatabaseFile,
	}
	if opts.DatabaseFile == "" {
		sqlCfg.ConnectAttributes["mode"] = "memory"
		sqlCfg.ConnectAttributes["cache"] = "shared"
		// A unique name keeps two in-memory servers in one process apart.
		sqlCfg.DatabaseName = fmt.Sprintf("hrbc-%d", time.Now().UnixNano())
	} else {
		sqlCfg.ConnectAttributes["mode"] = "rwc"
		if err := os.MkdirAll(filepath.Dir(opts.DatabaseFile), 0o700); err != nil {
			return nil, fmt.Errorf("create directory for %s: %w", opts.DatabaseFile, err)
		}
	}
	// An in-memory database gets its schema from the SQLite plugin itself;
	// a file gets it once, when it is new.
	if _, err := os.Stat(opts.DatabaseFile); opts.DatabaseFile != "" && errors.Is(err, os.ErrNotExist) {
		if err := sqliteschema.SetupSchema(sqlCfg); err != nil {
			return nil, fmt.Errorf("set up sqlite schema in %q: %w", opts.DatabaseFile, err)
		}
		// SQLite creates the file world-readable; its -wal and -shm files
		// take the database's mode, so narrowing it once covers them.
		if err := os.Chmod(opts.DatabaseFile, 0o600); err != nil {
			return nil, fmt.Errorf("protect %q: %w", opts.DatabaseFile, err)
		}
	}
	ns, err := sqliteschema.NewNamespaceConfig("active", opts.Namespace, false, opts.SearchAttributes)
	if err != nil {
		return nil, fmt.Errorf("namespace %q: %w", opts.Namespace, err)
	}
	if err := sqliteschema.CreateNamespaces(sqlCfg, ns); err != nil {
		return nil, fmt.Errorf("register namespace %q: %w", opts.Namespace, err)
	}
	return sqlCfg, nil
}

func serverConfig(ip string, frontendPort int, sqlCfg *config.SQL) (*config.Config, error) {
	ports := make([]int, 0, 5)
	for range 5 {
		p, err := freePort(ip)
		if err != nil {
			return nil, err
		}
		ports = append(ports, p)
	}
	frontend := net.JoinHostPort(ip, strconv.Itoa(frontendPort))
	service := func(grpcPort int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: grpcPort, BindOnIP: ip}}
	}
	cfg := &config.Config{}
	cfg.Global.Metrics = &metrics.Config{Prometheus: &metrics.PrometheusConfig{
		ListenAddress: net.JoinHostPort(ip, strconv.Itoa(ports[0])),
		HandlerPath:   "/metrics",
	}}
	cfg.Global.PProf = config.PProf{Port: 0}
	cfg.Persistence = config.Persistence{
		DefaultStore:     sqliteplugin.PluginName,
		VisibilityStore:  sqliteplugin.PluginName,
		NumHistoryShards: 1,
		DataStores:       map[string]config.DataStore{sqliteplugin.PluginName: {SQL: sqlCfg}},
	}
	cfg.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        "active",
		CurrentClusterName:       "active",
		ClusterInformation: map[string]cluster.ClusterInformation{
			"active": {Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontend,
				HTTPAddress: net.JoinHostPort(ip, strconv.Itoa(ports[4]))},
		},
	}
	cfg.DCRedirectionPolicy = config.DCRedirectionPolicy{Policy: "noop"}
	cfg.Services = map[string]config.Service{
		string(primitives.FrontendService): {RPC: config.RPC{GRPCPort: frontendPort, HTTPPort: ports[4], BindOnIP: ip}},
		string(primitives.HistoryService):  service(ports[1]),
		string(primitives.MatchingService): service(ports[2]),
		string(primitives.WorkerService):   service(ports[3]),
	}
	cfg.Archival = config.Archival{
		History:    config.HistoryArchival{State: "disabled"},
		Visibility: config.VisibilityArchival{State: "disabled"},
	}
	cfg.NamespaceDefaults = config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
		History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
		Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
	}}
	cfg.PublicClient = config.PublicClient{HostPort: frontend}
	return cfg, nil
}

func staticHosts(cfg *config.Config) map[primitives.ServiceName]static.Hosts {
	hosts := map[primitives.ServiceName]static.Hosts{}
	for _, name := range []primitives.ServiceName{
		primitives.FrontendService, primitives.HistoryService, primitives.MatchingService, primitives.WorkerService,
	} {
		rpc := cfg.Services[string(name)].RPC
		hosts[name] = static.SingleLocalHost(net.JoinHostPort(rpc.BindOnIP, strconv.Itoa(rpc.GRPCPort)))
	}
	return hosts
}
