// Package heartland is hrbc's typed HTTP client for the Heartland Retail
// (ex-Springboard Retail) REST API. It knows nothing of Temporal: every
// method is one HTTP call or one paginated walk, returns typed values, and
// fails with *APIError so activities can decide between retrying and reporting.
//
// Heartland's public reference is thin; behaviour the research could not
// confirm is behind Config fields (see Config) so a real account can be
// served by a setting rather than a code change.
//
// What it may import: the standard library, apierror and secret (and small
// third-party helpers such as decimal and x/time/rate); never Temporal, the
// bigcommerce client or anything of the process. Paged reads: ListX walks a
// whole collection, WalkX returns a resumable Walker that reads one page per
// Next.
package heartland

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/hrbc/hrbc/activities/apierror"
	"github.com/hrbc/hrbc/activities/secret"
)

// Secret is the credential type the client takes; it is the shared
// secret.Secret, named here so callers need not import that package.
type Secret = secret.Secret

// InventoryChangesMode selects how InventoryChangesSince learns what moved.
type InventoryChangesMode string

const (
	// ChangesAuto tries /inventory/transactions and falls back to a full
	// /inventory/values snapshot if the endpoint answers 404.
	ChangesAuto InventoryChangesMode = "auto"
	// ChangesTransactions only uses /inventory/transactions by created_at.
	ChangesTransactions InventoryChangesMode = "transactions"
	// ChangesValues always returns a full values snapshot.
	ChangesValues InventoryChangesMode = "values"
)

// DefaultTimeout bounds each HTTP call of a client built without
// Timeout or HTTPClient.
const DefaultTimeout = 30 * time.Second

// Config configures a Client. The zero value of every optional field picks
// the documented default.
type Config struct {
	// Subdomain is the account name in https://{subdomain}.retail.heartland.us/api/.
	Subdomain string
	// BaseURL overrides the URL built from Subdomain (fakes, legacy
	// *.myspringboard.us accounts). It should end in "/api/".
	BaseURL string
	// Token is the API token, sent as "Authorization: Bearer".
	Token Secret
	// HTTPClient is used for every call; nil means a client with Timeout.
	HTTPClient *http.Client
	// Timeout bounds each HTTP call when HTTPClient is nil (default 30s).
	Timeout time.Duration
	// RequestsPerSecond is the client-side token-bucket rate. Heartland
	// publishes no limits and parallel writes have been seen throttled, so the
	// default is a conservative 5; a negative value disables throttling.
	RequestsPerSecond float64
	// Burst is the token-bucket size (default 1: calls are spread evenly).
	Burst int
	// Peers, when set, reports how many processes share this account's
	// RequestsPerSecond (the workers of one task queue, each holding its
	// own client): the client then paces at RequestsPerSecond/Peers, so the
	// account sees about RequestsPerSecond from the whole fleet. Each keeps
	// the whole Burst (see shareWithPeers). It is asked before every call
	// and must be cheap; nil or a value below 1 means the client is alone.
	Peers func() int
	// RateLimitRetries is how many times a 429 is transparently waited out and
	// retried before the error is returned (default 0: return at once so the
	// caller's retry policy, e.g. Temporal's NextRetryDelay, decides).
	RateLimitRetries int
	// MaxRateLimitWait caps a transparent wait; a longer Retry-After is
	// returned to the caller instead (default 30s).
	MaxRateLimitWait time.Duration
	// DefaultRetryAfter is the delay assumed for a 429 without Retry-After
	// (UNCONFIRMED header; default 5s).
	DefaultRetryAfter time.Duration
	// DefaultUnavailableRetryAfter is the delay assumed for a 503 without
	// Retry-After (default 1s): a 503 is treated as a slow-down like a 429,
	// but one that says nothing of how long is most often brief.
	DefaultUnavailableRetryAfter time.Duration
	// PerPage is the page size lists and walks start with (default
	// DefaultPerPage, what Heartland's own importer asks for). An account that
	// refuses it, or answers fewer rows a page, is asked for less from then
	// on (see pagesize.go).
	PerPage int
	// FilterStyle selects _filter=<json array> (default) or repeated _filter[].
	FilterStyle FilterStyle
	// FlatCustomWrites writes custom values as top-level "custom@key" fields
	// instead of a nested "custom" object. Both forms are seen in use; nested
	// is the default.
	FlatCustomWrites bool
	// InventoryChanges selects the InventoryChangesSince strategy (default auto).
	InventoryChanges InventoryChangesMode
	// OrderPaymentType is the "type" of sales-order payments (UNCONFIRMED;
	// default "CustomPayment", older accounts used "ExternalPayment").
	OrderPaymentType string
	// CreateOrdersOpen sends status "open" in the create call of a sales
	// order, saving the separate release. Working integrations create the
	// order and then PUT {"status":"open"}; whether the create honours a
	// status is UNCONFIRMED, so the default is off.
	CreateOrdersOpen bool
	// OrderCancelStatus is the account's spelling of a cancelled sales
	// order, when known (HRBC_CONNECTION_<n>_HEARTLAND_CANCEL_STATUS). Empty:
	// callers learn it from the account (UNCONFIRMED spelling; see
	// activities/orders_status.go).
	OrderCancelStatus string
	// InvoiceCompleteStatus is the status PUT by CompleteInvoice (default "complete").
	InvoiceCompleteStatus string
	// AdjustmentSetCompleteStatus is the status PUT by CompleteAdjustmentSet
	// (UNCONFIRMED whether sets need it at all; default "complete").
	AdjustmentSetCompleteStatus string
	// UserAgent is sent on every request (default "hrbc-heartland/1").
	UserAgent string
	// Logger receives one debug line per HTTP call (method, path, status,
	// duration); nil discards. Tokens and bodies are never logged.
	Logger *slog.Logger
}

// String describes the config without its token.
func (c Config) String() string {
	base := c.BaseURL
	if base == "" {
		base = "https://" + c.Subdomain + ".retail.heartland.us/api/"
	}
	tok := "unset"
	if c.Token != "" {
		tok = secret.Mask
	}
	return fmt.Sprintf("heartland.Config{base=%s token=%s rps=%v}", base, tok, c.RequestsPerSecond)
}

// GoString is String, so %#v cannot print the token either.
func (c Config) GoString() string { return c.String() }

// Client calls one Heartland account. It is safe for concurrent use.
type Client struct {
	cfg  Config
	base string
	hc   *http.Client
	lim  *rate.Limiter
	log  *slog.Logger
	now  func() time.Time
	// peers is the share last applied to lim (see Config.Peers); 0
	// until the first call.
	peers   atomic.Int64
	peersMu sync.Mutex
	// maxPage is the largest page size the account was seen to accept
	// after refusing or capping a larger one; 0 until then.
	maxPage atomic.Int64
}

// New validates cfg, fills defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.Token == "" {
		return nil, errors.New("heartland: Config.Token is required")
	}
	base := cfg.BaseURL
	if base == "" {
		if cfg.Subdomain == "" {
			return nil, errors.New("heartland: Config.Subdomain or Config.BaseURL is required")
		}
		base = "https://" + cfg.Subdomain + ".retail.heartland.us/api/"
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("heartland: invalid base URL %q", base)
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: cfg.Timeout}
	}
	if cfg.RequestsPerSecond == 0 {
		cfg.RequestsPerSecond = 5
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 1
	}
	lim := rate.NewLimiter(rate.Inf, 0)
	if cfg.RequestsPerSecond > 0 {
		lim = rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), cfg.Burst)
	}
	if cfg.MaxRateLimitWait <= 0 {
		cfg.MaxRateLimitWait = 30 * time.Second
	}
	if cfg.DefaultRetryAfter <= 0 {
		cfg.DefaultRetryAfter = 5 * time.Second
	}
	if cfg.DefaultUnavailableRetryAfter <= 0 {
		cfg.DefaultUnavailableRetryAfter = time.Second
	}
	if cfg.PerPage <= 0 {
		cfg.PerPage = DefaultPerPage
	}
	if cfg.InventoryChanges == "" {
		cfg.InventoryChanges = ChangesAuto
	}
	if cfg.OrderPaymentType == "" {
		cfg.OrderPaymentType = "CustomPayment"
	}
	if cfg.InvoiceCompleteStatus == "" {
		cfg.InvoiceCompleteStatus = "complete"
	}
	if cfg.AdjustmentSetCompleteStatus == "" {
		cfg.AdjustmentSetCompleteStatus = "complete"
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "hrbc-heartland/1"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{cfg: cfg, base: base, hc: hc, lim: lim, log: log, now: time.Now}, nil
}

// String describes the client without its token.
func (c *Client) String() string { return "heartland.Client{" + c.base + "}" }

// GoString is String.
func (c *Client) GoString() string { return c.String() }

// Pacing reports the calls the client's pacing lets out at once right now
// (below zero when calls are queued behind it) and its burst; ok is false
// when pacing is off (RequestsPerSecond < 0). Heartland publishes no quota,
// so this is the nearest there is to one, for metrics.
func (c *Client) Pacing() (available float64, burst int, ok bool) {
	if c.lim.Limit() == rate.Inf {
		return 0, 0, false
	}
	return c.lim.Tokens(), c.lim.Burst(), true
}

// BaseURL returns the API base the client calls (ending in "/").
func (c *Client) BaseURL() string { return c.base }

// response is what do hands back besides the decoded body.
type response struct {
	status int
	header http.Header
	body   []byte
}

// maxBody bounds how much of a response is read into memory.
const maxBody = 32 << 20

// do performs one HTTP call (plus transparent 429 retries when configured).
// body is JSON-encoded when non-nil; out is decoded from a non-empty 2xx body.
func (c *Client) do(ctx context.Context, method, p string, q url.Values, body, out any) (*response, error) {
	p = "/" + strings.TrimPrefix(strings.TrimPrefix(p, "/"), "api/")
	var payload []byte
	if body != nil {
		var err error
		payload, err = c.encodeBody(body)
		if err != nil {
			return nil, &APIError{Kind: apierror.KindProtocol, Method: method, Path: p, Message: "encoding request body", Err: err}
		}
	}
	full := c.base + strings.TrimPrefix(p, "/")
	if len(q) > 0 {
		full += "?" + encodeQuery(q)
	}
	for attempt := 0; ; attempt++ {
		resp, err := c.once(ctx, method, p, full, payload)
		if err != nil {
			var he *APIError
			if errors.As(err, &he) && he.Kind == apierror.KindRateLimited && attempt < c.cfg.RateLimitRetries && he.RetryAfter <= c.cfg.MaxRateLimitWait {
				t := time.NewTimer(he.RetryAfter)
				select {
				case <-ctx.Done():
					t.Stop()
					return nil, err
				case <-t.C:
				}
				continue
			}
			return nil, err
		}
		if out != nil && len(bytes.TrimSpace(resp.body)) > 0 {
			if err := json.Unmarshal(resp.body, out); err != nil {
				return resp, &APIError{Kind: apierror.KindProtocol, Method: method, Path: p, Status: resp.status, Message: "decoding response body", Err: err}
			}
		}
		return resp, nil
	}
}

func (c *Client) once(ctx context.Context, method, p, full string, payload []byte) (*response, error) {
	c.shareWithPeers()
	if err := c.lim.Wait(ctx); err != nil {
		return nil, &APIError{Kind: apierror.KindTransport, Method: method, Path: p, Message: "waiting for rate limiter", Err: err, callerDone: ctx.Err() != nil}
	}
	// After the pacing wait, which may have used up the time a write needs.
	if err := apierror.CheckWrite(ctx, method); err != nil {
		return nil, &APIError{Kind: apierror.KindTransport, Method: method, Path: p, Message: "not sent", Err: err}
	}
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, full, rd)
	if err != nil {
		return nil, &APIError{Kind: apierror.KindProtocol, Method: method, Path: p, Message: "building request", Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token.Reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	start := time.Now()
	res, err := c.hc.Do(req)
	if err != nil {
		c.log.DebugContext(ctx, "heartland call failed", "method", method, "path", p, "duration", time.Since(start), "error", err.Error())
		return nil, &APIError{Kind: apierror.KindTransport, Method: method, Path: p, Message: "request failed", Err: err, callerDone: ctx.Err() != nil}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if err != nil {
		return nil, &APIError{Kind: apierror.KindTransport, Method: method, Path: p, Status: res.StatusCode, Message: "reading response", Err: err, callerDone: ctx.Err() != nil}
	}
	c.log.DebugContext(ctx, "heartland call", "method", method, "path", p, "status", res.StatusCode, "duration", time.Since(start))
	if res.StatusCode >= 400 {
		return nil, c.httpError(method, p, res, b)
	}
	return &response{status: res.StatusCode, header: res.Header, body: b}, nil
}

func (c *Client) httpError(method, p string, res *http.Response, body []byte) *APIError {
	code, msg, details := parseErrorBody(body)
	if tok := c.cfg.Token.Reveal(); tok != "" {
		msg = strings.ReplaceAll(msg, tok, secret.Mask)
	}
	if msg == "" {
		msg = http.StatusText(res.StatusCode)
	}
	e := &APIError{
		Kind:    classify(res.StatusCode, code, msg, details),
		Method:  method,
		Path:    p,
		Status:  res.StatusCode,
		Code:    code,
		Message: msg,
		Details: details,
	}
	if e.Kind == apierror.KindRateLimited {
		d, ok := parseRetryAfter(res.Header.Get("Retry-After"), c.now())
		switch {
		case ok:
		case res.StatusCode == http.StatusServiceUnavailable:
			d = c.cfg.DefaultUnavailableRetryAfter
		default:
			d = c.cfg.DefaultRetryAfter
		}
		e.RetryAfter = d
	}
	return e
}

// encodeBody marshals a write body, flattening "custom" into "custom@key"
// fields when Config.FlatCustomWrites is set.
func (c *Client) encodeBody(body any) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil || !c.cfg.FlatCustomWrites {
		return b, err
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return b, nil
	}
	raw, ok := m["custom"]
	if !ok {
		return b, nil
	}
	var custom map[string]json.RawMessage
	if json.Unmarshal(raw, &custom) != nil {
		return b, nil
	}
	delete(m, "custom")
	for k, v := range custom {
		m[CustomKey(k)] = v
	}
	return json.Marshal(m)
}

// get performs a GET of one resource.
func (c *Client) get(ctx context.Context, p string, q url.Values, out any) error {
	_, err := c.do(ctx, http.MethodGet, p, q, nil, out)
	return err
}

// put performs a partial update; the body, if any, is ignored.
func (c *Client) put(ctx context.Context, p string, body any) error {
	_, err := c.do(ctx, http.MethodPut, p, nil, body, nil)
	return err
}

// create POSTs body to a collection and returns the new id, read from the
// Location header (Heartland's usual 201 with an empty body) or, failing
// that, from an "id" in a JSON body.
func (c *Client) create(ctx context.Context, p string, body any) (int64, error) {
	resp, err := c.do(ctx, http.MethodPost, p, nil, body, nil)
	if err != nil {
		return 0, err
	}
	if id, ok := idFromLocation(resp.header.Get("Location")); ok {
		return id, nil
	}
	if id, ok := idFromBody(resp.body); ok {
		return id, nil
	}
	return 0, &APIError{Kind: apierror.KindProtocol, Method: http.MethodPost, Path: "/" + strings.TrimPrefix(p, "/"), Status: resp.status,
		Message: "created resource has neither a Location header nor an id in the body"}
}

// idFromLocation parses the trailing numeric segment of a Location URL
// (".../api/inventory/adjustment_sets/12345").
func idFromLocation(loc string) (int64, bool) {
	if loc == "" {
		return 0, false
	}
	if u, err := url.Parse(loc); err == nil {
		loc = u.Path
	}
	seg := path.Base(strings.TrimRight(loc, "/"))
	id, err := strconv.ParseInt(seg, 10, 64)
	return id, err == nil && id > 0
}

// idFromBody reads {"id": 12} or {"id": "12"} from a create response.
func idFromBody(b []byte) (int64, bool) {
	var v struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(b, &v) != nil || len(v.ID) == 0 {
		return 0, false
	}
	s := strings.Trim(string(v.ID), `"`)
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// Page is one page of a collection: {total, pages, results}.
type Page[T any] struct {
	Total   int `json:"total"`
	Pages   int `json:"pages"`
	Results []T `json:"results"`
	// Date is the server's clock when it answered (the Date header), zero
	// when it sent none: every row was read no earlier.
	Date time.Time `json:"-"`
}

// list fetches one page of a collection.
func list[T any](ctx context.Context, c *Client, p string, q Query) (Page[T], error) {
	pg, _, err := listPer[T](ctx, c, p, q)
	return pg, err
}

// listPer fetches one page and says which page size it asked for: the
// query's, else the largest the account accepts (see pageSize). A page
// size the account refuses is lowered and the call made again.
func listPer[T any](ctx context.Context, c *Client, p string, q Query) (Page[T], int, error) {
	for {
		per := c.clampPageSize(q.PerPage)
		q.PerPage = per
		var pg Page[T]
		v, err := q.values(c.cfg.FilterStyle, per)
		if err != nil {
			return pg, per, &APIError{Kind: apierror.KindProtocol, Method: http.MethodGet, Path: p, Message: "encoding filter", Err: err}
		}
		resp, err := c.do(ctx, http.MethodGet, p, v, nil, &pg)
		if err != nil && isPageSizeRefusal(err) && c.refusePageSize(per) {
			continue
		}
		if err == nil {
			c.notePageCap(q.Page, per, len(pg.Results), pg.Pages)
			if resp != nil {
				pg.Date, _ = http.ParseTime(resp.header.Get("Date"))
			}
		}
		return pg, per, err
	}
}

// first returns the first match of q or a apierror.KindNotFound error naming what was sought.
func first[T any](ctx context.Context, c *Client, p string, q Query, what string) (T, error) {
	var zero T
	q.Page, q.PerPage = 1, 1
	pg, err := list[T](ctx, c, p, q)
	if err != nil {
		return zero, err
	}
	if len(pg.Results) == 0 {
		return zero, &APIError{Kind: apierror.KindNotFound, Method: http.MethodGet, Path: p, Message: "no " + what}
	}
	return pg.Results[0], nil
}

// Cursor is a resumable position in a walk. It is small and JSON-friendly so
// an activity can heartbeat it and resume after a crash.
type Cursor struct {
	// AfterID is the last id seen by a keyset walk (sort[]=id, id $gt AfterID).
	AfterID int64 `json:"after_id,omitempty"`
	// Page is the last page read by a page-numbered walk (for grouped rows without ids).
	Page int `json:"page,omitempty"`
	// PerPage is the page size a page-numbered walk started with: its page
	// numbers only mean something at that size, so it keeps it.
	PerPage int `json:"per_page,omitempty"`
	// Done is set once the walk has returned its last page.
	Done bool `json:"done,omitempty"`
}

// Walker reads a collection one page (one HTTP call) per Next, as
// bigcommerce.Walker does: WalkX methods return one for callers that
// checkpoint between pages, ListX methods drain one with All. Walks over
// records with ids use keyset paging (sort[]=id plus id $gt last id), so rows
// created or deleted meanwhile cannot shift pages and skip records; grouped
// rows without ids fall back to page numbers.
type Walker[T any] struct {
	c    *Client
	path string
	q    Query
	cur  Cursor
	idOf func(*T) int64 // nil: page-numbered walk
	// total is the row count the server gave with the last page, -1 before.
	total int
	// date is the server's clock when it answered the first page.
	date time.Time
}

func newWalker[T any](c *Client, p string, q Query, from Cursor, idOf func(*T) int64) *Walker[T] {
	return &Walker[T]{c: c, path: p, q: q, cur: from, idOf: idOf, total: -1}
}

// Total is the number of rows the server reported with the last page
// Next read (for a keyset walk: the rows after the cursor of that call),
// or -1 before the first page.
func (w *Walker[T]) Total() int { return w.total }

// Date is the server's clock when it answered the walk's first page (its
// Date header), zero before or when it sends none: every row the walk
// returned was read no earlier.
func (w *Walker[T]) Date() time.Time { return w.date }

// Cursor returns the position after the last page returned by Next.
func (w *Walker[T]) Cursor() Cursor { return w.cur }

// Done reports whether the walk has returned its last page.
func (w *Walker[T]) Done() bool { return w.cur.Done }

// Next fetches the next page. It returns (nil, nil) once the walk is done;
// on error the cursor is unchanged so Next can simply be called again.
func (w *Walker[T]) Next(ctx context.Context) ([]T, error) {
	if w.cur.Done {
		return nil, nil
	}
	q := w.q
	if w.idOf == nil && w.cur.PerPage > 0 {
		q.PerPage = w.cur.PerPage
	}
	if w.idOf != nil {
		q = q.Where(Filter{"id": Gt(w.cur.AfterID)})
		q.Sort = []string{"id"}
		q.Page = 1
	} else {
		q.Page = w.cur.Page + 1
	}
	pg, per, err := listPer[T](ctx, w.c, w.path, q)
	if err != nil {
		return nil, err
	}
	w.total = pg.Total
	if w.date.IsZero() {
		w.date = pg.Date
	}
	next := w.cur
	if w.idOf != nil {
		for i := range pg.Results {
			if id := w.idOf(&pg.Results[i]); id > next.AfterID {
				next.AfterID = id
			}
		}
		// Trust the server's count over our page size: a server that caps
		// per_page below what we asked must not end the walk early.
		switch {
		case len(pg.Results) == 0 || next.AfterID == w.cur.AfterID:
			next.Done = true
		case pg.Pages > 0 || pg.Total > 0:
			next.Done = pg.Pages <= 1 || pg.Total <= len(pg.Results)
		default:
			next.Done = len(pg.Results) < per
		}
	} else {
		next.Page, next.PerPage = q.Page, per
		next.Done = len(pg.Results) == 0 || q.Page >= pg.Pages
	}
	w.cur = next
	return pg.Results, nil
}

// All drains the walk into one slice; for small collections only.
func (w *Walker[T]) All(ctx context.Context) ([]T, error) {
	var out []T
	for !w.Done() {
		rows, err := w.Next(ctx)
		if err != nil {
			return out, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

func idPath(collection string, id int64) string {
	return collection + "/" + strconv.FormatInt(id, 10)
}

// CancelStatus is Config.OrderCancelStatus: the configured spelling of a
// cancelled sales order, or "" when the account's is to be learned.
func (c *Client) CancelStatus() string { return c.cfg.OrderCancelStatus }

// OrderPaymentType is the payment "type" sent when PaymentFields names none
// (Config.OrderPaymentType).
func (c *Client) OrderPaymentType() string { return c.cfg.OrderPaymentType }

// CreatesOrdersOpen reports Config.CreateOrdersOpen.
func (c *Client) CreatesOrdersOpen() bool { return c.cfg.CreateOrdersOpen }

// PerPage is the page size lists and walks ask for when a Query sets none:
// Config.PerPage, or less once the account refused or capped that.
func (c *Client) PerPage() int { return c.pageSize() }
