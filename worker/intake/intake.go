// Package intake is cmd/worker's HTTP front door: webhooks from BigCommerce
// and Heartland (and /healthz) arrive here, are authenticated by each
// connection's shared secret and become workflow calls through starter.
// With ServeApp it also serves the BigCommerce app's callbacks (app*.go):
// auth, load, uninstall and remove_user, verified signed_payload_jwt, and
// the hand-over to the app page (AppPage).
// It may import starter, workflows and the activities' webhook constants
// and decoders; it never calls the BigCommerce or Heartland APIs (its one
// outside call is the auth callback's code exchange at BigCommerce's
// login service).
package intake

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/hrbc/hrbc/workflows"
)

// Workflows is what the intake asks of hrbc's workflows; *starter.Client
// is the real one, and tests pass a fake.
type Workflows interface {
	// ConnectionSettings reads a connection's settings (is order sync
	// on?), nil while unconfigured; the real one asks the server, not a
	// worker (starter.Client.ConnectionSettings).
	ConnectionSettings(ctx context.Context, connectionID string) (*workflows.Settings, error)
	// OrderChanged hands a BigCommerce order to its workflow.
	OrderChanged(ctx context.Context, connectionID string, orderID int, settings workflows.Settings) error
	// OrderCreated starts the workflow of an order just created; one
	// running already is left alone.
	OrderCreated(ctx context.Context, connectionID string, orderID int, settings workflows.Settings) error
	// ProductCreated hands a new BigCommerce product to the catalog follower.
	ProductCreated(ctx context.Context, connectionID string, productID int) error
	// SignalInventoryChanged nudges the connection's inventory sync.
	SignalInventoryChanged(ctx context.Context, connectionID string, changed workflows.InventoryChanged) error
	// HeartlandOrderChanged nudges the order carrying a Heartland sales order.
	HeartlandOrderChanged(ctx context.Context, connectionID string, heartlandOrderID int64) error
}

// maxBody bounds what the intake reads of one delivery; both platforms
// send small bodies (BigCommerce ids only, Heartland one resource), so a
// larger one is refused rather than buffered.
const maxBody = 1 << 20

// signalTimeout bounds the workflow call made for one webhook.
const signalTimeout = 10 * time.Second

// Platform names the sender of a webhook; each platform is asked for its
// own secrets, so a secret one platform holds (Heartland keeps it in a
// URL) need not open the other's door.
type Platform string

// The platforms that send webhooks.
const (
	BigCommerce Platform = "bigcommerce"
	Heartland   Platform = "heartland"
)

// WebhookSecrets returns the secrets a webhook of a connection from
// platform may carry (more than one while a rotation runs), and false for
// an unknown connection.
type WebhookSecrets func(connectionID string, platform Platform) (accepted []string, ok bool)

// Intake is the intake's handler. Besides answering requests it runs the
// Heartland nudges it has acknowledged; Shutdown waits for those.
type Intake struct {
	workflows Workflows
	logger    *slog.Logger
	secrets   WebhookSecrets
	guard     *AuthGuard
	mux       *http.ServeMux
	// observe learns every webhook delivery's answer (Observe); nil: none.
	observe DeliveryObserver
	// statuses answers the BigCommerce webhook's settings question
	// without a workflow query per delivery.
	statuses *connectionStatuses
	// deferred holds BigCommerce deliveries answered 202 for a later
	// hand-over (deferred.go says why).
	deferred *deferredHandOvers
	// inFlight bounds the hand-overs the handlers wait for at once: a
	// delivery that finds it full is held (deferred.go).
	inFlight chan struct{}

	// background bounds the nudges; Shutdown cancels it when its own
	// deadline passes, so a stop never hangs on an unreachable server.
	background context.Context
	cancel     context.CancelFunc
	mu         sync.Mutex // guards closed and the Add side of nudges
	closed     bool
	nudges     sync.WaitGroup
}

// New returns the intake handler.
func New(wf Workflows, logger *slog.Logger, secrets WebhookSecrets) *Intake {
	in := &Intake{workflows: wf, logger: logger, secrets: secrets, guard: NewAuthGuard(logger), mux: http.NewServeMux()}
	// A closure, not the method value: tests pass a nil wf to intakes that
	// never reach the workflows.
	in.statuses = newConnectionStatuses(func(ctx context.Context, id string) (workflows.ConnectionStatus, error) {
		settings, err := in.workflows.ConnectionSettings(ctx, id)
		return workflows.ConnectionStatus{ConnectionID: id, Settings: settings}, err
	})
	in.background, in.cancel = context.WithCancel(context.Background())
	in.deferred = newDeferredHandOvers(in.background, logger)
	in.inFlight = make(chan struct{}, defaultHandOversInFlight)
	in.mux.HandleFunc("POST /webhooks/bigcommerce/{connection}", in.observed(BigCommerce, in.bigCommerceWebhook))
	in.mux.HandleFunc("POST /webhooks/heartland/{connection}", in.observed(Heartland, in.heartlandWebhook))
	in.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	return in
}

// DeliveryObserver learns the status the intake answered a webhook
// delivery of a connection from a platform with, and how long the answer
// took from the request's arrival (for metrics).
type DeliveryObserver func(platform, connectionID string, status int, took time.Duration)

// Observe hands every webhook delivery's answer to o. Call it before the
// intake serves.
func (in *Intake) Observe(o DeliveryObserver) { in.observe = o }

// observed wraps a webhook handler so Observe's observer learns its answer.
func (in *Intake) observed(platform Platform, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if in.observe == nil {
			h(w, r)
			return
		}
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h(rec, r)
		in.observe(string(platform), r.PathValue("connection"), rec.status, time.Since(start))
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

// WriteHeader records the first status written.
func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200 of a body written without a status.
func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// ServeHTTP routes a request to its handler.
func (in *Intake) ServeHTTP(w http.ResponseWriter, r *http.Request) { in.mux.ServeHTTP(w, r) }

// authorize checks a delivery's secret through the guard, which answers
// 401 or 429 itself; it reports whether to go on.
func (in *Intake) authorize(w http.ResponseWriter, r *http.Request, platform Platform, connectionID, got string) bool {
	return in.guard.Check(w, r, string(platform)+" webhook for "+connectionID, func() bool {
		return in.checkSecret(connectionID, platform, got)
	})
}

// checkSecret compares with every accepted secret in constant time and
// without stopping at a match, so response timing tells an attacker
// nothing about the secrets.
func (in *Intake) checkSecret(connectionID string, platform Platform, got string) bool {
	accepted, ok := in.secrets(connectionID, platform)
	match := 0
	for _, want := range accepted {
		if want != "" {
			match |= subtle.ConstantTimeCompare([]byte(want), []byte(got))
		}
	}
	return ok && got != "" && match == 1
}

// goNudge runs f in the background unless the intake is shutting down;
// the delivery it serves is already acknowledged, and the workflows poll
// on their own, so a nudge dropped at shutdown only delays.
func (in *Intake) goNudge(f func(ctx context.Context)) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return
	}
	in.nudges.Add(1)
	go func() {
		defer in.nudges.Done()
		f(in.background)
	}()
}

// Shutdown waits for the nudges in flight and the deliveries held
// (deferred.go), and starts no more. When ctx ends first it cancels them,
// waits for them to return and reports ctx's error; deliveries still held
// then are left to the order sweep. Call it after the HTTP server has
// stopped taking requests.
func (in *Intake) Shutdown(ctx context.Context) error {
	in.mu.Lock()
	in.closed = true
	in.mu.Unlock()
	in.deferred.close()
	done := make(chan struct{})
	go func() {
		in.nudges.Wait()
		in.deferred.waitIdle(ctx)
		close(done)
	}()
	defer in.deferred.stopped()
	defer in.cancel()
	select {
	case <-done:
		// waitIdle may have returned because ctx ended.
		return ctx.Err()
	case <-ctx.Done():
		in.cancel()
		<-done
		return ctx.Err()
	}
}

// Deferred reports what the intake did with the BigCommerce deliveries it
// held for a later hand-over (deferred.go).
func (in *Intake) Deferred() DeferredStats { return in.deferred.snapshot() }

// Guard is the intake's failed-authentication guard, for other doors
// served on the same listener (the codec server) to share its counts.
func (in *Intake) Guard() *AuthGuard { return in.guard }
