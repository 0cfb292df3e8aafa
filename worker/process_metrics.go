package worker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/hrbc/hrbc/worker/metrics"
)

// metricsPath is where the Prometheus endpoint answers.
const metricsPath = "/metrics"

// newMetrics makes the registry when HRBC_METRICS_ADDR is set; without it
// p.metrics stays nil and nothing is measured.
func (p *Process) newMetrics() error {
	if p.cfg.MetricsAddr == "" {
		return nil
	}
	m, err := metrics.New()
	if err != nil {
		return err
	}
	p.metrics = m
	return nil
}

// listenMetrics binds HRBC_METRICS_ADDR (nil listener: no metrics), so a
// busy port fails the start before anything serves.
func (p *Process) listenMetrics() (net.Listener, error) {
	if p.metrics == nil {
		return nil, nil
	}
	ln, err := net.Listen("tcp", p.cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("metrics endpoint on %s (HRBC_METRICS_ADDR): %w", p.cfg.MetricsAddr, err)
	}
	return ln, nil
}

// serveMetrics serves /metrics on ln until ctx ends.
func (p *Process) serveMetrics(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET "+metricsPath, p.metrics.Handler())
	if p.cfg.Pprof {
		servePprof(mux)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		stopCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(stopCtx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("metrics endpoint stopped: %w", err)
	}
	return nil
}

// metricsURL is the endpoint's address for the banner and the log.
func metricsURL(ln net.Listener) string {
	if ln == nil {
		return "off (set HRBC_METRICS_ADDR)"
	}
	return "http://" + ln.Addr().String() + metricsPath
}
