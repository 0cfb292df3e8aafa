package intake

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Failed authentications a client address may make: a burst of
// failBurst, then one per failEvery. A platform with the right secret
// never fails, so only guessers and misconfigured senders meet the limit.
const (
	failBurst = 10
	failEvery = 6 * time.Second
	// maxTrackedClients bounds the guard's memory; beyond it, clients whose
	// allowance has refilled are forgotten.
	maxTrackedClients = 10000
)

// AuthGuard answers 429 to a client address that failed authentication
// too often and logs failures sampled, so a flood of bad requests neither
// floods the log nor gets unlimited guesses. The codec server uses it too.
type AuthGuard struct {
	mu      sync.Mutex
	clients map[string]*rate.Limiter
	log     *sampledLog
}

// NewAuthGuard returns a guard logging to logger.
func NewAuthGuard(logger *slog.Logger) *AuthGuard {
	return &AuthGuard{clients: map[string]*rate.Limiter{}, log: newSampledLog(logger, 5, time.Minute)}
}

// Check runs ok (the credential comparison) unless r's client is locked
// out. It answers 429 or 401 itself and reports whether to go on; what
// names the door in the log ("BigCommerce webhook", "codec").
func (g *AuthGuard) Check(w http.ResponseWriter, r *http.Request, what string, ok func() bool) bool {
	client := clientAddr(r)
	g.mu.Lock()
	lim := g.clients[client]
	g.mu.Unlock()
	if lim != nil && lim.Tokens() < 1 {
		g.log.warn(what+" refused: too many failed authentications", "remote", client)
		w.Header().Set("Retry-After", "60")
		http.Error(w, "too many failed authentications", http.StatusTooManyRequests)
		return false
	}
	if ok() {
		return true
	}
	g.failed(client)
	g.log.warn(what+" refused: bad or missing secret", "remote", client, "path", r.URL.Path)
	http.Error(w, "unauthorized", http.StatusUnauthorized)
	return false
}

// failed spends one of client's allowed failures.
func (g *AuthGuard) failed(client string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	lim := g.clients[client]
	if lim == nil {
		if len(g.clients) >= maxTrackedClients {
			g.forgetRefilled()
		}
		lim = rate.NewLimiter(rate.Every(failEvery), failBurst)
		g.clients[client] = lim
	}
	lim.Allow()
}

// forgetRefilled drops clients whose allowance is whole again: they are
// indistinguishable from clients never seen.
func (g *AuthGuard) forgetRefilled() {
	for c, lim := range g.clients {
		if lim.Tokens() >= failBurst {
			delete(g.clients, c)
		}
	}
}

// clientAddr is the client's IP without the port, which changes with
// every connection.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// sampledLog writes the first `first` lines of each interval and counts
// the rest, reporting the count with the next line it writes.
type sampledLog struct {
	logger   *slog.Logger
	first    int
	interval time.Duration

	mu         sync.Mutex
	start      time.Time
	written    int
	suppressed int
}

func newSampledLog(logger *slog.Logger, first int, interval time.Duration) *sampledLog {
	return &sampledLog{logger: logger, first: first, interval: interval}
}

// warn logs msg unless this interval's lines are used up.
func (s *sampledLog) warn(msg string, args ...any) {
	s.mu.Lock()
	now := time.Now()
	if now.Sub(s.start) >= s.interval {
		s.start, s.written = now, 0
	}
	if s.written >= s.first {
		s.suppressed++
		s.mu.Unlock()
		return
	}
	s.written++
	if s.suppressed > 0 {
		args = append(args, "suppressed_since_last", s.suppressed)
		s.suppressed = 0
	}
	s.mu.Unlock()
	s.logger.Warn(msg, args...)
}
