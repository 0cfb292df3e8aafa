package devserver

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uiserveroptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// uiServer is the Temporal Web UI served from the assets compiled into
// ui-server, pointed at the embedded frontend.
type uiServer struct {
	srv *uiserver.Server
}

type staticUIConfig struct{ cfg *uiconfig.Config }

func (s staticUIConfig) GetConfig() (*uiconfig.Config, error) { return s.cfg, nil }

// startUI serves the Web UI on port; release frees the caller's hold on
// the port just before the UI binds it.
func startUI(ip string, port int, frontend, namespace, codecEndpoint string, release func() error) (*uiServer, error) {
	cfg := &uiconfig.Config{
		Host:                ip,
		Port:                port,
		TemporalGRPCAddress: frontend,
		EnableUI:            true,
		DefaultNamespace:    namespace,
		HideLogs:            true,
		DisableNewsFetch:    true,
		// The UI runs on plain HTTP on loopback; secure cookies would never be sent back.
		CORS: uiconfig.CORS{CookieInsecure: true},
		// The browser calls the codec itself, so decrypted payloads go from
		// hrbc to the screen and never through the Temporal server.
		Codec: uiconfig.Codec{Endpoint: codecEndpoint},
	}
	srv := uiserver.NewServer(uiserveroptions.WithConfigProvider(staticUIConfig{cfg}))
	_ = release()
	go func() {
		// Start only returns on shutdown; the port was checked free beforehand
		// because a failed bind inside Start exits the whole process.
		_ = srv.Start()
	}()
	addr := net.JoinHostPort(ip, strconv.Itoa(port))
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return &uiServer{srv: srv}, nil
		}
		if time.Now().After(deadline) {
			srv.Stop()
			return nil, fmt.Errorf("temporal web UI did not answer on %s: %w", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (u *uiServer) stop() { u.srv.Stop() }
