package intake

import (
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// Limits of the intake's HTTP server. Both platforms send small bodies and
// expect an answer within seconds, so a client that takes longer is slow
// or hostile, and its connection goes back to the pool.
const (
	// MaxConnections caps the intake's open connections. Beyond it the
	// kernel's accept queue holds new ones (they cost the process no file
	// descriptor), so however many clients connect, the embedded server
	// and SQLite keep the descriptors they need.
	MaxConnections = 256
	// ReadHeaderTimeout bounds the request line and headers.
	ReadHeaderTimeout = 5 * time.Second
	// ReadTimeout bounds the whole request, body included.
	ReadTimeout = 15 * time.Second
	// WriteTimeout bounds handling and answering: the workflow call of one
	// delivery is bounded by signalTimeout, well inside it.
	WriteTimeout = 30 * time.Second
	// IdleTimeout closes a kept-alive connection nobody uses.
	IdleTimeout = 60 * time.Second
	// maxHeaderBytes: the platforms send a dozen short headers.
	maxHeaderBytes = 64 << 10
)

// NewServer returns the HTTP server for h with the intake's timeouts.
// Serve it on Limit(listener).
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// Limit caps ln at MaxConnections open connections.
func Limit(ln net.Listener) net.Listener { return netutil.LimitListener(ln, MaxConnections) }
