// Package bigcommerce is a typed HTTP client for the BigCommerce REST API
// (Catalog v3, Inventory v3, Orders v2/v3, Webhooks v3) as hrbc uses it.
//
// It knows nothing of Temporal. It paces itself from the X-Rate-Limit-*
// headers, fails with one error type, *APIError (see errors.go and package
// apierror), that carries what a retry policy needs (IsRetryable,
// RetryDelay), decodes v2 money exactly
// (Money, never float64) and both date dialects (V2Time, Time).
//
// One method is one HTTP call or one paginated walk; batch writes are split
// into the API's documented chunk sizes and sent one after another.
//
// What it may import: the standard library, apierror and secret (and small
// third-party helpers such as decimal); never Temporal, the heartland client
// or anything of the process. Paged reads: ListX walks a whole collection,
// WalkX returns a resumable Walker that reads one page per Next.
package bigcommerce

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hrbc/hrbc/activities/apierror"
	"github.com/hrbc/hrbc/activities/secret"
)

// DefaultBaseURL is the API gateway; the store hash is appended to it.
const DefaultBaseURL = "https://api.bigcommerce.com/stores/"

// DefaultUserAgent identifies hrbc to BigCommerce.
const DefaultUserAgent = "hrbc-bigcommerce/1.0 (+https://github.com/hrbc/hrbc)"

// maxBody bounds how much of a response we read, so a broken proxy cannot
// exhaust memory.
const maxBody = 64 << 20

// Secret is the credential type the client takes; it is the shared
// secret.Secret, named here so callers need not import that package.
type Secret = secret.Secret

// tokenText is how Config.String shows the token: empty when unset, so an
// unconfigured token is visible as such, and the mask otherwise.
func tokenText(s Secret) string {
	if s == "" {
		return ""
	}
	return s.String()
}

// DefaultTimeout bounds one HTTP exchange of a client built without an
// HTTPClient.
const DefaultTimeout = 60 * time.Second

// Config configures a Client. Only StoreHash and AccessToken are required.
type Config struct {
	// StoreHash is the permanent store id (e.g. "g5cd38").
	StoreHash string
	// AccessToken is sent as X-Auth-Token.
	AccessToken Secret
	// BaseURL overrides the store base, i.e. everything before /v2 or /v3
	// (default DefaultBaseURL + StoreHash). Tests point it at the fake.
	BaseURL string
	// HTTPClient defaults to a client with a 60 s timeout.
	HTTPClient *http.Client
	// UserAgent defaults to DefaultUserAgent.
	UserAgent string
	// Logger receives one debug line per call (never the token). Default: discard.
	Logger *slog.Logger
	// RateLimitRetries is how many 429s one call absorbs by waiting and
	// resending before it returns a *APIError of KindRateLimited. 0 (the default, for
	// Temporal activities) surfaces the first 429 so the retry policy
	// decides; tests and the CLI set a small bound.
	RateLimitRetries int
	// PaceFraction: once Requests-Left falls below this fraction of the
	// quota, the remaining requests are spread evenly over the time left
	// in the window, and when none are left the client waits for the
	// reset. Default 0.5; negative disables pacing entirely (429s are then
	// still honoured).
	PaceFraction float64
	// PaceReserve is how many requests per window the client leaves unused
	// for the store's other API clients (the quota is shared by every app
	// on the store and they cannot see each other's in-flight requests).
	// Default 0; 10% of the quota is a reasonable value when other apps are
	// busy on the same store.
	PaceReserve int
	// MaxPaceWait bounds how long one call sleeps for pacing before it is
	// sent. A longer wait returns a *APIError of KindRateLimited carrying the delay
	// without sending anything, so a Temporal activity can free its slot and
	// retry later. 0 (default) waits as long as the quota requires.
	MaxPaceWait time.Duration
	// LoadSheddingBackoff is the first wait after a 429 without rate-limit
	// headers; it doubles on each consecutive one (capped at 1 minute).
	// Default 2 s.
	LoadSheddingBackoff time.Duration
}

// String describes the config without the token.
func (c Config) String() string {
	return fmt.Sprintf("bigcommerce.Config{StoreHash:%q, BaseURL:%q, AccessToken:%s}", c.StoreHash, c.BaseURL, tokenText(c.AccessToken))
}

// GoString is String: %#v must not reveal the token either.
func (c Config) GoString() string { return c.String() }

// LogValue keeps the token out of structured logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("store_hash", c.StoreHash), slog.String("base_url", c.BaseURL))
}

// Client calls one BigCommerce store. It is safe for concurrent use; all
// goroutines share one pacer, as the store's quota is shared.
type Client struct {
	base        string
	storeHash   string
	token       Secret
	hc          *http.Client
	ua          string
	log         *slog.Logger
	pace        *pacer
	rlRetries   int
	shedBase    time.Duration
	maxPaceWait time.Duration
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.StoreHash == "" && cfg.BaseURL == "" {
		return nil, errors.New("bigcommerce: StoreHash or BaseURL is required")
	}
	if cfg.AccessToken == "" {
		return nil, errors.New("bigcommerce: AccessToken is required")
	}
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL + url.PathEscape(cfg.StoreHash)
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("bigcommerce: invalid BaseURL %q", base)
	}
	c := &Client{
		base:        strings.TrimRight(base, "/"),
		storeHash:   cfg.StoreHash,
		token:       cfg.AccessToken,
		hc:          cfg.HTTPClient,
		ua:          cfg.UserAgent,
		log:         cfg.Logger,
		rlRetries:   cfg.RateLimitRetries,
		shedBase:    cfg.LoadSheddingBackoff,
		maxPaceWait: cfg.MaxPaceWait,
	}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: DefaultTimeout}
	}
	if c.ua == "" {
		c.ua = DefaultUserAgent
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.shedBase <= 0 {
		c.shedBase = 2 * time.Second
	}
	frac := cfg.PaceFraction
	if frac == 0 {
		frac = 0.5
	}
	c.pace = newPacer(frac, cfg.PaceReserve)
	return c, nil
}

// String describes the client without the token.
func (c *Client) String() string {
	return fmt.Sprintf("bigcommerce.Client{base:%q}", c.base)
}

// GoString is String.
func (c *Client) GoString() string { return c.String() }

// StoreHash returns the configured store hash.
func (c *Client) StoreHash() string { return c.storeHash }

// RateLimit returns the last quota state the server reported.
func (c *Client) RateLimit() RateLimitState { return c.pace.state() }

// response is a successful (2xx) answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do performs one logical call: pacing, the request, 429 handling (and the
// optional transparent retries), error mapping. It returns a response only
// for 2xx statuses (207 included; callers decide what it means).
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in any) (*response, error) {
	var payload []byte
	if in != nil {
		var err error
		if payload, err = json.Marshal(in); err != nil {
			return nil, fmt.Errorf("bigcommerce: %s %s: encode request: %w", method, path, err)
		}
	}
	shed := 0
	for attempt := 0; ; attempt++ {
		if err := c.pace.wait(ctx, c.maxPaceWait); err != nil {
			var long errPaceTooLong
			if errors.As(err, &long) {
				return nil, &APIError{Kind: apierror.KindRateLimited, Method: method, Path: path, Status: http.StatusTooManyRequests,
					Message: "quota exhausted (client-side pacing, not sent)", RetryAfter: long.delay}
			}
			return nil, &APIError{Kind: apierror.KindTransport, Method: method, Path: path, Err: errors.Join(errContextDone, err)}
		}
		// After the pacing wait, which may have used up the time a write needs.
		if err := apierror.CheckWrite(ctx, method); err != nil {
			return nil, &APIError{Kind: apierror.KindTransport, Method: method, Path: path, Message: "not sent", Err: err}
		}
		resp, err := c.send(ctx, method, path, query, payload)
		if err != nil {
			return nil, err
		}
		if resp.status != http.StatusTooManyRequests {
			if resp.status >= 200 && resp.status < 300 {
				return resp, nil
			}
			return nil, newStatusError(method, path, resp.status, resp.body)
		}
		rl := c.rateLimitError(method, path, resp, shed)
		if rl.LoadShedding {
			shed++
		}
		c.pace.block(rl.RetryAfter)
		if attempt >= c.rlRetries {
			return nil, rl
		}
		c.log.LogAttrs(ctx, slog.LevelInfo, "bigcommerce rate limited; waiting",
			slog.String("method", method), slog.String("path", path),
			slog.Duration("retry_after", rl.RetryAfter), slog.Bool("load_shedding", rl.LoadShedding))
	}
}

// rateLimitError builds the 429 error with the delay the server asked for.
func (c *Client) rateLimitError(method, path string, resp *response, shed int) *APIError {
	title, fields := parseErrorBody(resp.body)
	e := &APIError{Kind: apierror.KindRateLimited, Method: method, Path: path, Status: http.StatusTooManyRequests, Message: title, Fields: fields}
	reset, okReset := headerMillis(resp.header, hdrResetMs)
	retry, okRetry := headerSeconds(resp.header, hdrRetryAfter)
	switch {
	case okReset || okRetry:
		e.RetryAfter = max(reset, retry)
		if e.RetryAfter <= 0 {
			e.RetryAfter = 100 * time.Millisecond
		}
	default:
		e.LoadShedding = true
		d := c.shedBase << min(shed, 5)
		d = min(d, time.Minute)
		// Jitter so a fleet of workers does not come back in lockstep.
		e.RetryAfter = d + time.Duration(rand.Int64N(int64(d)/4+1))
	}
	return e
}

// send performs a single HTTP exchange and reads the body.
func (c *Client) send(ctx context.Context, method, path string, query url.Values, payload []byte) (*response, error) {
	target := c.base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, &APIError{Kind: apierror.KindTransport, Method: method, Path: path, Err: err}
	}
	req.Header.Set("X-Auth-Token", c.token.Reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("User-Agent", c.ua)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	c.pace.sent()
	hresp, err := c.hc.Do(req)
	if err != nil {
		c.pace.observe(nil)
		if ctx.Err() != nil {
			err = errors.Join(errContextDone, ctx.Err())
		}
		return nil, &APIError{Kind: apierror.KindTransport, Method: method, Path: path, Err: stripURL(err)}
	}
	defer hresp.Body.Close()
	c.pace.observe(hresp.Header)
	raw, err := readBody(hresp)
	c.log.LogAttrs(ctx, slog.LevelDebug, "bigcommerce call",
		slog.String("method", method), slog.String("path", path), slog.Int("status", hresp.StatusCode),
		slog.Duration("elapsed", time.Since(start)))
	if err != nil {
		return nil, &APIError{Kind: apierror.KindTransport, Method: method, Path: path, Err: err}
	}
	return &response{status: hresp.StatusCode, header: hresp.Header, body: raw}, nil
}

// stripURL removes the *url.Error wrapper so messages name our path only
// (the full URL is the store base plus the path; never the token, but the
// shorter message is easier to read).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// readBody reads the body, decoding gzip ourselves: because we set
// Accept-Encoding explicitly, net/http does not decompress for us.
func readBody(resp *http.Response) ([]byte, error) {
	var r io.Reader = resp.Body
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			if err == io.EOF { // empty gzip body (204)
				return nil, nil
			}
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(io.LimitReader(r, maxBody))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return b, nil
}

// decodeJSON decodes a successful body; a mismatch is an *APIError of KindProtocol
// (permanent: the exchange happened, but what came back is unusable).
func decodeJSON(method, path string, resp *response, out any) error {
	if len(bytes.TrimSpace(resp.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return &APIError{Kind: apierror.KindProtocol, Method: method, Path: path, Status: resp.status, Err: err}
	}
	return nil
}

// Pagination is the v3 meta.pagination block.
type Pagination struct {
	Total       int `json:"total"`
	Count       int `json:"count"`
	PerPage     int `json:"per_page"`
	CurrentPage int `json:"current_page"`
	TotalPages  int `json:"total_pages"`
	Links       struct {
		Previous string `json:"previous,omitempty"`
		Current  string `json:"current,omitempty"`
		Next     string `json:"next,omitempty"`
	} `json:"links"`
}

// Meta is the v3 meta block.
type Meta struct {
	Pagination *Pagination `json:"pagination,omitempty"`
}

// Envelope is the v3 response wrapper {data, meta}.
type Envelope[T any] struct {
	Data T    `json:"data"`
	Meta Meta `json:"meta"`
}

// v3Call performs a v3 call and unwraps data (unwrapping data). A 207 yields the
// decoded data and an *APIError of KindPartialSuccess.
func v3Call[T any](ctx context.Context, c *Client, method, path string, q url.Values, in any) (T, error) {
	var zero T
	resp, err := c.do(ctx, method, path, q, in)
	if err != nil {
		return zero, err
	}
	var env Envelope[T]
	if err := decodeJSON(method, path, resp, &env); err != nil {
		return zero, err
	}
	if resp.status == http.StatusMultiStatus {
		return env.Data, newPartialError(method, path, resp.body)
	}
	return env.Data, nil
}

// v2Call performs a v2 call that returns one object.
func v2Call[T any](ctx context.Context, c *Client, method, path string, in any) (T, error) {
	var out T
	resp, err := c.do(ctx, method, path, nil, in)
	if err != nil {
		return out, err
	}
	err = decodeJSON(method, path, resp, &out)
	return out, err
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// joinInts renders ids for :in filters ("1,2,3").
func joinInts(ids []int) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, id)
	}
	return b.String()
}

// clampLimit applies the documented page-size bounds.
func clampLimit(limit, def, maxLimit int) int {
	if limit <= 0 {
		return def
	}
	return min(limit, maxLimit)
}
