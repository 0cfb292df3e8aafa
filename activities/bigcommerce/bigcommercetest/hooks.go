package bigcommercetest

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

func (s *Server) hookRoutes() {
	s.api.HandleFunc("GET /v3/hooks", s.listHooks)
	s.api.HandleFunc("POST /v3/hooks", s.createHook)
	s.api.HandleFunc("GET /v3/hooks/{id}", s.getHook)
	s.api.HandleFunc("PUT /v3/hooks/{id}", s.updateHook)
	s.api.HandleFunc("DELETE /v3/hooks/{id}", s.deleteHook)
}

// WebhookRetrySchedule is BigCommerce's wait before each retry of a
// delivery that failed (60 s … 86400 s, about 48 hours in all); after the
// last the hook is deactivated.
func WebhookRetrySchedule() []time.Duration {
	secs := []int{60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400}
	out := make([]time.Duration, len(secs))
	for i, s := range secs {
		out[i] = time.Duration(s) * time.Second
	}
	return out
}

// timeScale is how much faster than BigCommerce a fake runs its webhook
// retries and domain blocks unless told otherwise: tests see a retry in
// 60 ms, not a minute.
const timeScale = 1000

// scaledSchedule is WebhookRetrySchedule divided by timeScale.
func scaledSchedule() []time.Duration {
	out := WebhookRetrySchedule()
	for i := range out {
		out[i] /= timeScale
	}
	return out
}

// fakeClientID is the client_id every hook reports (one API account).
const fakeClientID = "fakeclientid"

func (s *Server) listHooks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	st := s.st
	st.mu.Lock()
	var out []bc.Hook
	for _, id := range sortedKeys(st.hooks) {
		h := st.hooks[id]
		if a := q.Get("is_active"); a != "" && (a == "true") != h.IsActive {
			continue
		}
		if sc := q.Get("scope"); sc != "" && sc != h.Scope {
			continue
		}
		if d := q.Get("destination"); d != "" && d != h.Destination {
			continue
		}
		out = append(out, copyHook(h))
	}
	st.mu.Unlock()
	v3List(w, r, out, 250)
}

func copyHook(h *bc.Hook) bc.Hook {
	c := *h
	c.Headers = map[string]string{}
	for k, v := range h.Headers {
		c.Headers[k] = v
	}
	return c
}

func (s *Server) createHook(w http.ResponseWriter, r *http.Request) {
	var in bc.HookCreate
	if err := decodeBody(r, &in); err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, "JSON data is missing or invalid", map[string]string{"body": err.Error()})
		return
	}
	if msg := s.validateHook(in.Scope, in.Destination); msg != "" {
		writeV3Error(w, http.StatusUnprocessableEntity, msg, nil)
		return
	}
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, h := range st.hooks {
		if h.Scope == in.Scope && h.Destination == in.Destination {
			writeV3Error(w, http.StatusUnprocessableEntity, "A webhook with this scope and destination already exists", nil)
			return
		}
	}
	now := bc.UnixTime{Time: time.Now().UTC().Truncate(time.Second)}
	h := &bc.Hook{
		ID: st.nextID("hook"), ClientID: fakeClientID, StoreHash: s.StoreHash, Scope: in.Scope,
		Destination: in.Destination, IsActive: in.IsActive, Headers: map[string]string{},
		CreatedAt: now, UpdatedAt: now,
	}
	for k, v := range in.Headers {
		h.Headers[k] = v
	}
	st.hooks[h.ID] = h
	v3Data(w, http.StatusOK, copyHook(h))
}

func (s *Server) validateHook(scope, dest string) string {
	if !strings.HasPrefix(scope, "store/") {
		return "The field 'scope' is invalid."
	}
	if dest == "" {
		return "The field 'destination' is required."
	}
	if s.cfg.requireHTTPS && !strings.HasPrefix(dest, "https://") {
		return "The field 'destination' must be an https URL on port 443."
	}
	return ""
}

func (s *Server) hookOr404(w http.ResponseWriter, r *http.Request) *bc.Hook {
	id, _ := pathID(r, "id")
	h := s.st.hooks[id]
	if h == nil {
		writeV3Error(w, http.StatusNotFound, fmt.Sprintf("Webhook %d not found", id), nil)
	}
	return h
}

func (s *Server) getHook(w http.ResponseWriter, r *http.Request) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	if h := s.hookOr404(w, r); h != nil {
		v3Data(w, http.StatusOK, copyHook(h))
	}
}

func (s *Server) updateHook(w http.ResponseWriter, r *http.Request) {
	var in bc.HookUpdate
	if err := decodeBody(r, &in); err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, "JSON data is missing or invalid", map[string]string{"body": err.Error()})
		return
	}
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	h := s.hookOr404(w, r)
	if h == nil {
		return
	}
	scope, dest := h.Scope, h.Destination
	if in.Scope != nil {
		scope = *in.Scope
	}
	if in.Destination != nil {
		dest = *in.Destination
	}
	if msg := s.validateHook(scope, dest); msg != "" {
		writeV3Error(w, http.StatusUnprocessableEntity, msg, nil)
		return
	}
	h.Scope, h.Destination = scope, dest
	if in.IsActive != nil {
		h.IsActive = *in.IsActive
	}
	if in.Headers != nil {
		h.Headers = map[string]string{}
		for k, v := range in.Headers {
			h.Headers[k] = v
		}
	}
	h.UpdatedAt = bc.UnixTime{Time: time.Now().UTC().Truncate(time.Second)}
	v3Data(w, http.StatusOK, copyHook(h))
}

func (s *Server) deleteHook(w http.ResponseWriter, r *http.Request) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	h := s.hookOr404(w, r)
	if h == nil {
		return
	}
	delete(s.st.hooks, h.ID)
	v3Data(w, http.StatusOK, copyHook(h))
}

// Hooks returns every registered hook.
func (s *Server) Hooks() []bc.Hook {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	var out []bc.Hook
	for _, id := range sortedKeys(s.st.hooks) {
		out = append(out, copyHook(s.st.hooks[id]))
	}
	return out
}

// scopeMatches implements exact scopes and "store/order/*" wildcards.
func scopeMatches(hookScope, event string) bool {
	if hookScope == event {
		return true
	}
	if prefix, ok := strings.CutSuffix(hookScope, "*"); ok {
		return strings.HasPrefix(event, prefix)
	}
	return false
}

// errDomainBlocked is a Delivery's Err when the attempt was not sent: its
// destination's domain was denylisted (DomainGuard).
const errDomainBlocked = "destination domain denylisted"

// Delivery records one webhook delivery attempt.
type Delivery struct {
	HookID      int
	Destination string
	Scope       string
	Hash        string
	Attempt     int    // 1 for the first try
	Status      int    // HTTP status, 0 on a transport error
	Err         string // transport error, if any
	Body        []byte // the envelope as sent
	At          time.Time
}

// OK reports a 2xx answer.
func (d Delivery) OK() bool { return d.Status >= 200 && d.Status < 300 }

type pending struct {
	hook bc.Hook
	body []byte
	env  bc.WebhookEvent
}

// emitter posts events to hooks in the background.
type emitter struct {
	s          *Server
	mu         sync.Mutex
	held       bool
	queue      []pending
	duplicate  bool
	deliveries []Delivery
	changed    chan struct{} // closed and replaced on every recorded attempt
	ctx        context.Context
	cancel     context.CancelFunc
	wg         sync.WaitGroup
}

func newEmitter(s *Server) *emitter {
	ctx, cancel := context.WithCancel(context.Background())
	return &emitter{s: s, changed: make(chan struct{}), ctx: ctx, cancel: cancel}
}

func (e *emitter) close() {
	e.cancel()
	e.wg.Wait()
}

// emit builds the envelope and schedules delivery to every active hook
// whose scope matches.
func (e *emitter) emit(scope string, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		return
	}
	sum := sha1.Sum(raw)
	env := bc.WebhookEvent{
		Scope: scope, StoreID: e.s.cfg.storeID, Data: raw, Hash: hex.EncodeToString(sum[:]),
		CreatedAt: bc.UnixTime{Time: time.Now().UTC()}, Producer: "stores/" + e.s.StoreHash,
	}
	body, err := json.Marshal(env)
	if err != nil {
		return
	}
	var targets []bc.Hook
	st := e.s.st
	st.mu.Lock()
	for _, id := range sortedKeys(st.hooks) {
		if h := st.hooks[id]; h.IsActive && scopeMatches(h.Scope, scope) {
			targets = append(targets, copyHook(h))
		}
	}
	st.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, h := range targets {
		p := pending{hook: h, body: body, env: env}
		copies := 1
		if e.duplicate {
			copies = 2
		}
		for range copies {
			if e.held {
				e.queue = append(e.queue, p)
			} else {
				e.start(p)
			}
		}
	}
}

// start launches one delivery with retries. Caller holds e.mu.
func (e *emitter) start(p pending) {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		e.deliver(p)
	}()
}

func (e *emitter) deliver(p pending) {
	schedule := e.s.cfg.schedule
	guard := e.s.cfg.domains
	for attempt := 0; ; attempt++ {
		d := Delivery{
			HookID: p.hook.ID, Destination: p.hook.Destination, Scope: p.env.Scope, Hash: p.env.Hash,
			Attempt: attempt + 1, Body: p.body,
		}
		if guard.allow(p.hook.Destination) {
			d.Status, d.Err = e.post(p)
			guard.sent(p.hook.Destination, d.OK())
		} else {
			d.Err = errDomainBlocked
		}
		d.At = time.Now()
		e.record(d)
		e.s.cfg.logger.Debug("bigcommercetest webhook", slog.String("scope", d.Scope),
			slog.Int("hook", d.HookID), slog.Int("attempt", d.Attempt), slog.Int("status", d.Status))
		if d.OK() {
			return
		}
		if attempt >= len(schedule) {
			e.deactivate(p.hook.ID)
			return
		}
		t := time.NewTimer(schedule[attempt])
		select {
		case <-e.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (e *emitter) post(p pending) (int, string) {
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, p.hook.Destination, bytes.NewReader(p.body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "bigcommercetest-webhooks")
	for k, v := range p.hook.Headers {
		req.Header.Set(k, v)
	}
	resp, err := e.s.cfg.hookClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	resp.Body.Close()
	return resp.StatusCode, ""
}

func (e *emitter) record(d Delivery) {
	e.mu.Lock()
	e.deliveries = append(e.deliveries, d)
	close(e.changed)
	e.changed = make(chan struct{})
	e.mu.Unlock()
}

// deactivate turns a hook off after its last failed retry, as BigCommerce does.
func (e *emitter) deactivate(id int) {
	st := e.s.st
	st.mu.Lock()
	if h := st.hooks[id]; h != nil {
		h.IsActive = false
		h.UpdatedAt = bc.UnixTime{Time: time.Now().UTC().Truncate(time.Second)}
	}
	st.mu.Unlock()
}

// EmitWebhook sends an arbitrary event (data is the "data" member) to the
// matching active hooks, e.g. to simulate events the fake does not produce.
func (s *Server) EmitWebhook(scope string, data any) { s.hooks.emit(scope, data) }

// HoldWebhooks queues events instead of delivering them, until ReleaseWebhooks.
func (s *Server) HoldWebhooks() {
	s.hooks.mu.Lock()
	s.hooks.held = true
	s.hooks.mu.Unlock()
}

// ReleaseWebhooks delivers queued events, in reverse order when reverse is
// true (out-of-order delivery), and resumes immediate delivery.
func (s *Server) ReleaseWebhooks(reverse bool) {
	e := s.hooks
	e.mu.Lock()
	defer e.mu.Unlock()
	q := e.queue
	e.queue, e.held = nil, false
	if reverse {
		slices.Reverse(q)
	}
	// Deliver one after another so the order is observable.
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		for _, p := range q {
			e.deliver(p)
		}
	}()
}

// DuplicateWebhooks makes every event be delivered twice (same hash).
func (s *Server) DuplicateWebhooks(on bool) {
	s.hooks.mu.Lock()
	s.hooks.duplicate = on
	s.hooks.mu.Unlock()
}

// Deliveries returns every delivery attempt so far.
func (s *Server) Deliveries() []Delivery {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	return append([]Delivery(nil), s.hooks.deliveries...)
}

// WaitDeliveries blocks until cond holds for the recorded attempts or ctx
// ends; it re-checks on every new attempt, so tests need no sleeps.
func (s *Server) WaitDeliveries(ctx context.Context, cond func([]Delivery) bool) error {
	for {
		s.hooks.mu.Lock()
		ds := append([]Delivery(nil), s.hooks.deliveries...)
		ch := s.hooks.changed
		s.hooks.mu.Unlock()
		if cond(ds) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("bigcommercetest: waiting for deliveries (%d so far): %w", len(ds), ctx.Err())
		case <-ch:
		}
	}
}
