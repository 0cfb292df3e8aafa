// Package bigcommercetest is an in-memory BigCommerce store served over
// HTTP, in the net/http/httptest idiom, for tests and the dev sandbox.
//
// It implements every route the bigcommerce client uses, with the real
// envelopes and failure modes: routes under /stores/{hash}/v2 and
// /stores/{hash}/v3; v3 {data, meta.pagination}; v2 bare arrays, 204 on an
// empty list, money as 4-decimal strings, RFC-2822 dates; X-Auth-Token
// checks (401); batch limits (413); unique product SKU and name (409);
// inventory tracking mode vs identifier and relative-before-absolute (422);
// a fixed-window rate limiter with the four X-Rate-Limit-* headers and 429
// + X-Retry-After; gzip when asked for.
//
// Around the store: fault injection per route (InjectFault), a webhook
// emitter (hooks.go) that posts the real envelope to registered hooks,
// retries failures and can duplicate or reorder deliveries, a builder API
// (AddLocation, AddProduct, AddOrder, SetStock, DemoSeed) and accessors for
// assertions (StockLevel, Order, Shipments, PaymentStatus, Hooks, ...).
//
// # Control API
//
// For a CLI in another process, the same server answers, without the auth
// token, under /__fake/ (a prefix no BigCommerce route uses):
//
//	POST /__fake/orders               {"customer_email":"a@b.c","lines":[{"sku":"SKU-1","quantity":2}],
//	                                   "status_id":11,"payment_status":"authorized","partial_refund":false}
//	                                  (a line may add "gift_wrap":"Gold paper" and "engraving":"ADA")
//	                                  → 201 {"id":101,"status_id":11}   (emits store/order/created)
//	PUT  /__fake/orders/{id}/status   {"status_id":5} → 200 {"id":101,"status_id":5}
//	                                  (emits store/order/updated and store/order/statusUpdated)
//	GET  /__fake/inventory?sku=SKU-1  → 200 {"sku":"SKU-1","tracking":"variant","locations":
//	                                   [{"location_id":1,"code":"WEB","label":"Web","on_hand":5,"available_to_sell":5}]}
//	GET  /__fake/health               → 200 {"store_hash":"…","orders":N,"products":N}
//
// status_id defaults to 11 (Awaiting Fulfillment) and payment_status to
// "authorized". Errors come back as {"error":"…"} with 400 or 404.
//
// # Dev sandbox
//
//	srv, err := bigcommercetest.Start("127.0.0.1:8901", bigcommercetest.WithDemoSeed())
//	// client: BaseURL = srv.URL + "/stores/" + srv.StoreHash, AccessToken = srv.Token
//
// # Imports
//
// It imports the bigcommerce client for its payload types and nothing else
// of hrbc: no Temporal, no activities, no heartland.
package bigcommercetest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// Defaults for a new server.
const (
	DefaultStoreHash = "fake1234"
	DefaultToken     = "fake-access-token"
	DefaultStoreID   = "1001234"
	DefaultQuota     = 150
	DefaultWindow    = 30 * time.Second
)

// Server is a running fake store.
type Server struct {
	// URL is the server root (http://127.0.0.1:port); the client's BaseURL
	// is URL + "/stores/" + StoreHash (see BaseURL).
	URL string
	// StoreHash is the store's hash in every API path.
	StoreHash string
	// Token is the access token the server accepts in X-Auth-Token.
	Token string

	cfg     config
	st      *store
	lim     *limiter
	faults  *faults
	hooks   *emitter
	api     *http.ServeMux
	control *http.ServeMux
	ts      *httptest.Server
	hs      *http.Server
	ln      net.Listener
	stats   statsCounter
	oauth   oauthState
}

type config struct {
	storeHash      string
	token          string
	storeID        string
	quota          int
	window         time.Duration
	noLimit        bool
	seed           uint64
	schedule       []time.Duration
	domains        *DomainGuard
	hookClient     *http.Client
	demo           bool
	logger         *slog.Logger
	requireHTTPS   bool
	defaultLimit   int
	now            func() time.Time
	inventoryDelay time.Duration
	// scopes are the token's OAuth scopes; nil is every scope.
	scopes []bc.Scope
}

// Option configures a Server.
type Option func(*config)

// WithStoreHash sets the store hash (default DefaultStoreHash).
func WithStoreHash(h string) Option { return func(c *config) { c.storeHash = h } }

// WithToken sets the accepted access token (default DefaultToken).
func WithToken(t string) Option { return func(c *config) { c.token = t } }

// WithStoreID sets the numeric store id sent as store_id in webhooks.
func WithStoreID(id string) Option { return func(c *config) { c.storeID = id } }

// WithRateLimit sets the limiter's quota per window (default 150 per 30 s,
// BigCommerce Standard/Plus).
func WithRateLimit(quota int, window time.Duration) Option {
	return func(c *config) { c.quota, c.window, c.noLimit = quota, window, false }
}

// WithoutRateLimit disables the limiter (headers are still sent, with a
// quota that never runs out).
func WithoutRateLimit() Option { return func(c *config) { c.noLimit = true } }

// WithSeed makes fault-injection randomness reproducible.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithWebhookRetrySchedule sets the waits between delivery attempts; after
// the last failed attempt the hook is deactivated. Default: BigCommerce's
// schedule (60 s … 86400 s) scaled down 1000× (60 ms … 86.4 s).
func WithWebhookRetrySchedule(s ...time.Duration) Option {
	return func(c *config) { c.schedule = append([]time.Duration(nil), s...) }
}

// WithDomainGuard makes the store's deliveries share g's judgement of
// their destination domains with every other store given g, as one app's
// stores share it at BigCommerce. Default: a guard of the store's own
// whose blocks last three minutes scaled down like the retry schedule
// (180 ms); the window and thresholds are BigCommerce's either way.
func WithDomainGuard(g *DomainGuard) Option { return func(c *config) { c.domains = g } }

// WithWebhookClient sets the HTTP client used to deliver webhooks.
func WithWebhookClient(hc *http.Client) Option { return func(c *config) { c.hookClient = hc } }

// WithDemoSeed fills the store with DemoSeed at start.
func WithDemoSeed() Option { return func(c *config) { c.demo = true } }

// WithLogger receives a line per webhook delivery attempt.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithRequireHTTPSHooks makes hook creation reject non-HTTPS destinations
// as the real API does (off by default so tests can use http://127.0.0.1).
func WithRequireHTTPSHooks() Option { return func(c *config) { c.requireHTTPS = true } }

// WithInventoryApplyDelay makes inventory adjustments take effect d after
// the 200 (validation stays synchronous), like the real asynchronous
// Inventory API. Default 0: applied before the answer.
func WithInventoryApplyDelay(d time.Duration) Option { return func(c *config) { c.inventoryDelay = d } }

// WithClock sets the clock used for record timestamps (not for the limiter).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

func newServer(opts []Option) *Server {
	cfg := config{
		storeHash: DefaultStoreHash, token: DefaultToken, storeID: DefaultStoreID,
		quota: DefaultQuota, window: DefaultWindow, seed: 1,
		schedule:     scaledSchedule(),
		domains:      NewDomainGuard(DomainBlock / timeScale),
		defaultLimit: 50,
		now:          func() time.Time { return time.Now().UTC().Truncate(time.Second) },
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.hookClient == nil {
		cfg.hookClient = &http.Client{Timeout: 10 * time.Second}
	}
	s := &Server{StoreHash: cfg.storeHash, Token: cfg.token, cfg: cfg,
		oauth: oauthState{apps: map[string]OAuthApp{}, codes: map[string]issuedCode{}}}
	s.st = newStore(cfg.now)
	s.st.addLocation(LocationSeed{Code: "BC-LOCATION-1", Label: "Default location", Default: true})
	s.lim = newLimiter(cfg.quota, cfg.window, cfg.noLimit)
	s.faults = newFaults(cfg.seed)
	s.hooks = newEmitter(s)
	s.api = http.NewServeMux()
	s.control = http.NewServeMux()
	s.routes()
	s.controlRoutes()
	if cfg.demo {
		s.DemoSeed()
	}
	return s
}

// NewServer starts a fake store on a loopback port, like httptest.NewServer.
func NewServer(opts ...Option) *Server {
	s := newServer(opts)
	s.ts = httptest.NewServer(s)
	s.URL = s.ts.URL
	return s
}

// Start serves a fake store on addr (e.g. "127.0.0.1:8901"; port 0 picks
// one) in the background, for the dev sandbox. Close stops it.
func Start(addr string, opts ...Option) (*Server, error) {
	s := newServer(opts)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("bigcommercetest: listen %s: %w", addr, err)
	}
	s.ln = ln
	s.hs = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.URL = "http://" + ln.Addr().String()
	go func() { _ = s.hs.Serve(ln) }()
	return s, nil
}

// BaseURL is the client's BaseURL for this store.
func (s *Server) BaseURL() string { return s.URL + "/stores/" + s.StoreHash }

// ClientConfig returns a client config pointing at this store.
func (s *Server) ClientConfig() bc.Config {
	return bc.Config{StoreHash: s.StoreHash, AccessToken: bc.Secret(s.Token), BaseURL: s.BaseURL()}
}

// Close stops the server and pending webhook retries.
func (s *Server) Close() {
	s.hooks.close()
	if s.ts != nil {
		s.ts.CloseClientConnections()
		s.ts.Close()
	}
	if s.hs != nil {
		_ = s.hs.Close()
	}
}

// Stats counts what the server answered.
type Stats struct {
	Requests    int // API requests received (control API excluded)
	RateLimited int // 429s sent by the limiter (injected 429s excluded)
	Injected    int // responses replaced by an injected fault
}

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func (c *statsCounter) add(f func(*Stats)) {
	c.mu.Lock()
	f(&c.s)
	c.mu.Unlock()
}

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	return s.stats.s
}

// ServeHTTP routes control, auth, faults, rate limiting, gzip and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/__fake/") {
		s.control.ServeHTTP(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/oauth2/") {
		s.serveOAuth(w, r)
		return
	}
	prefix := "/stores/" + s.StoreHash
	if !strings.HasPrefix(r.URL.Path, prefix+"/") {
		writeV3Error(w, http.StatusNotFound, "Store not found", nil)
		return
	}
	rel := strings.TrimPrefix(r.URL.Path, prefix)
	v2 := strings.HasPrefix(rel, "/v2/")
	s.stats.add(func(st *Stats) { st.Requests++ })
	if r.Header.Get("X-Auth-Token") != s.Token {
		if v2 {
			writeV2Error(w, http.StatusUnauthorized, "You are not authorized to access this resource.")
		} else {
			writeV3Error(w, http.StatusUnauthorized, "You are not authorized to access this resource.", nil)
		}
		return
	}
	if s.cfg.missingScope(r.Method, rel) {
		writeMissingScope(w, v2)
		return
	}
	f := s.faults.match(r.Method, rel)
	if f != nil {
		if f.Latency > 0 {
			// A client that gives up meanwhile does not take its request
			// back: like a real server, the fake still serves it (a write
			// lands after its caller's deadline); only the answer is lost.
			select {
			case <-r.Context().Done():
			case <-time.After(f.Latency):
			}
		}
		switch f.Kind {
		case FaultDrop:
			s.stats.add(func(st *Stats) { st.Injected++ })
			dropConnection(w)
			return
		case FaultLoadShed:
			s.stats.add(func(st *Stats) { st.Injected++ })
			writeV3Error(w, http.StatusTooManyRequests, "Too many requests", nil)
			return
		case FaultRateLimit:
			s.stats.add(func(st *Stats) { st.Injected++ })
			d := f.RetryAfter
			if d <= 0 {
				d = time.Second
			}
			quota, window := s.lim.settings()
			setLimitHeaders(w.Header(), quota, window, 0, d)
			w.Header().Set("X-Retry-After", strconv.Itoa(ceilSeconds(d)))
			writeV3Error(w, http.StatusTooManyRequests, "Too many requests", nil)
			return
		}
	}
	ok, left, reset := s.lim.take(time.Now())
	quota, window := s.lim.settings()
	setLimitHeaders(w.Header(), quota, window, left, reset)
	if !ok {
		s.stats.add(func(st *Stats) { st.RateLimited++ })
		w.Header().Set("X-Retry-After", strconv.Itoa(ceilSeconds(reset)))
		writeV3Error(w, http.StatusTooManyRequests, "Too many requests", nil)
		return
	}
	if f != nil && f.Kind == FaultError {
		s.stats.add(func(st *Stats) { st.Injected++ })
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		title := f.Title
		if title == "" {
			title = http.StatusText(status)
		}
		if v2 {
			writeV2Error(w, status, title)
		} else {
			writeV3Error(w, status, title, nil)
		}
		return
	}
	var out http.ResponseWriter = w
	var gz *gzipWriter
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		gz = &gzipWriter{ResponseWriter: w}
		out = gz
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = rel
	r2.URL.RawPath = ""
	if f != nil && f.Kind == FaultPartial {
		rec := httptest.NewRecorder()
		s.api.ServeHTTP(rec, r2)
		s.stats.add(func(st *Stats) { st.Injected++ })
		writePartial(out, rec, f.Title)
	} else {
		s.api.ServeHTTP(out, r2)
	}
	if gz != nil {
		gz.finish()
	}
}

// dropConnection closes the TCP connection without an HTTP answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// writePartial turns a 2xx answer into the 207 BigCommerce sends when the
// main data saved but a sub-part (here: inventory) failed.
func writePartial(w http.ResponseWriter, rec *httptest.ResponseRecorder, title string) {
	if rec.Code < 200 || rec.Code >= 300 {
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return
	}
	var env map[string]json.RawMessage
	_ = json.Unmarshal(rec.Body.Bytes(), &env)
	if title == "" {
		title = "Inventory update failed"
	}
	data := env["data"]
	if data == nil {
		data = json.RawMessage(rec.Body.Bytes())
	}
	writeJSON(w, http.StatusMultiStatus, map[string]any{
		"data": data,
		"errors": map[string]any{
			"status": 422, "title": title, "type": errorType,
			"errors": map[string]string{"inventory_level": title},
		},
		"meta": map[string]any{},
	})
}

// gzipWriters are reused: a new gzip.Writer allocates its compressor's
// tables, most of the fake's cost when a bench runs a hundred stores.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

// gzipWriter compresses lazily so bodiless answers (204) stay bodiless.
type gzipWriter struct {
	http.ResponseWriter
	status  int
	zw      *gzip.Writer
	written bool
}

// WriteHeader records the status; it is sent with the first body byte.
func (g *gzipWriter) WriteHeader(code int) {
	if g.status == 0 {
		g.status = code
	}
}

// Write compresses b, deciding on the encoding at the first call.
func (g *gzipWriter) Write(b []byte) (int, error) {
	if g.status == 0 {
		g.status = http.StatusOK
	}
	if !g.written {
		g.written = true
		if g.status != http.StatusNoContent && g.status != http.StatusNotModified {
			g.Header().Set("Content-Encoding", "gzip")
			g.Header().Del("Content-Length")
			g.zw = gzipWriters.Get().(*gzip.Writer)
			g.zw.Reset(g.ResponseWriter)
		}
		g.ResponseWriter.WriteHeader(g.status)
	}
	if g.zw == nil {
		return len(b), nil
	}
	return g.zw.Write(b)
}

func (g *gzipWriter) finish() {
	if !g.written {
		g.written = true
		if g.status == 0 {
			g.status = http.StatusOK
		}
		g.ResponseWriter.WriteHeader(g.status)
	}
	if g.zw != nil {
		_ = g.zw.Close()
		gzipWriters.Put(g.zw)
		g.zw = nil
	}
}

const errorType = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeV3Error writes {status,title,type,errors}.
func writeV3Error(w http.ResponseWriter, status int, title string, fields map[string]string) {
	body := map[string]any{"status": status, "title": title, "type": errorType}
	if fields == nil {
		fields = map[string]string{}
	}
	body["errors"] = fields
	writeJSON(w, status, body)
}

// writeV2Error writes [{status,message}].
func writeV2Error(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, []map[string]any{{"status": status, "message": msg}})
}

// v3Data writes {data, meta:{}}.
func v3Data(w http.ResponseWriter, status int, data any) {
	writeJSON(w, status, map[string]any{"data": data, "meta": map[string]any{}})
}

// v3List pages items into the v3 collection envelope.
func v3List[T any](w http.ResponseWriter, r *http.Request, items []T, maxLimit int) {
	q := r.URL.Query()
	limit := atoiDefault(q.Get("limit"), 50)
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, maxLimit)
	page := max(atoiDefault(q.Get("page"), 1), 1)
	total := len(items)
	pages := (total + limit - 1) / limit
	start := min((page-1)*limit, total)
	end := min(start+limit, total)
	chunk := items[start:end]
	if chunk == nil {
		chunk = []T{}
	}
	p := bc.Pagination{Total: total, Count: len(chunk), PerPage: limit, CurrentPage: page, TotalPages: pages}
	p.Links.Current = fmt.Sprintf("?page=%d&limit=%d", page, limit)
	if page > 1 {
		p.Links.Previous = fmt.Sprintf("?page=%d&limit=%d", page-1, limit)
	}
	if page < pages {
		p.Links.Next = fmt.Sprintf("?page=%d&limit=%d", page+1, limit)
	}
	writeJSON(w, http.StatusOK, bc.Envelope[[]T]{Data: chunk, Meta: bc.Meta{Pagination: &p}})
}

// v2List pages items as a bare array; an empty page is a 204 with no body.
func v2List[T any](w http.ResponseWriter, r *http.Request, items []T) {
	q := r.URL.Query()
	limit := atoiDefault(q.Get("limit"), 50)
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 250)
	page := max(atoiDefault(q.Get("page"), 1), 1)
	start := min((page-1)*limit, len(items))
	end := min(start+limit, len(items))
	if start == end {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, items[start:end])
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// intSet parses "1,2,3" (an :in filter); nil when absent.
func intSet(s string) map[int]bool {
	if s == "" {
		return nil
	}
	out := map[int]bool{}
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil {
			out[n] = true
		}
	}
	return out
}

// strSet parses "a,b" (an :in filter); nil when absent.
func strSet(s string) map[string]bool {
	if s == "" {
		return nil
	}
	out := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		out[strings.TrimSpace(p)] = true
	}
	return out
}

func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 32<<20))
	if err := dec.Decode(v); err != nil {
		return errors.New("The request body is not valid JSON: " + err.Error())
	}
	return nil
}

// pathID reads an integer path value.
func pathID(r *http.Request, name string) (int, bool) {
	n, err := strconv.Atoi(r.PathValue(name))
	return n, err == nil
}

func ceilSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

// newRand returns a seeded generator for fault randomness.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }
