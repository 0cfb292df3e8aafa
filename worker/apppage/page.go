package apppage

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hrbc/hrbc/starter"
)

//go:embed templates/*.html
var templateFiles embed.FS

// HeartlandSaver verifies a connection's Heartland credentials with one
// call to Heartland and saves them in the connection; a refusal is an
// error whose text the page shows as it is.
type HeartlandSaver func(ctx context.Context, connectionID, subdomain, token string) error

// Options configure a Page.
type Options struct {
	// Starter is how the page reads and drives the connection's workflows.
	Starter *starter.Client
	// SessionKey signs the page's session tokens (the app's client secret
	// serves; at least 16 bytes).
	SessionKey []byte
	// SaveHeartland saves Heartland credentials entered on the page; nil
	// hides that form (credentials come from the worker's environment).
	SaveHeartland HeartlandSaver
	// FrameAncestors may show the page in a frame (default: BigCommerce's
	// control panel).
	FrameAncestors []string
	// Prefix is the path the page is served under (default "/app/").
	Prefix string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger logs refused requests and failed calls (default slog.Default).
	Logger *slog.Logger
}

// DefaultFrameAncestors are the origins that frame the page: BigCommerce's
// control panel.
var DefaultFrameAncestors = []string{"https://*.bigcommerce.com", "https://*.mybigcommerce.com"}

// Page is hrbc's app page.
type Page struct {
	opts Options
	tmpl *template.Template
	mux  *http.ServeMux
}

// New returns the page, or an error naming what is missing in opts.
func New(opts Options) (*Page, error) {
	if opts.Starter == nil {
		return nil, errors.New("apppage: Options.Starter is required")
	}
	if len(opts.SessionKey) < 16 {
		return nil, errors.New("apppage: Options.SessionKey must be at least 16 bytes")
	}
	if len(opts.FrameAncestors) == 0 {
		opts.FrameAncestors = DefaultFrameAncestors
	}
	if opts.Prefix == "" {
		opts.Prefix = "/app/"
	}
	if !strings.HasSuffix(opts.Prefix, "/") {
		opts.Prefix += "/"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	tmpl, err := template.New("page").Funcs(templateFuncs).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &Page{opts: opts, tmpl: tmpl, mux: http.NewServeMux()}
	p.routes()
	return p, nil
}

// Prefix is the path the page is served under; mount the Page there.
func (p *Page) Prefix() string { return p.opts.Prefix }

// Open starts a session for a user the caller has verified (the load
// callback, after checking BigCommerce's signed payload) and sends the
// browser to the page.
func (p *Page) Open(w http.ResponseWriter, r *http.Request, connectionID, user string) {
	token := sealSession(p.opts.SessionKey, session{ConnectionID: connectionID, User: user, Expires: p.opts.Now().Add(sessionTTL)})
	http.Redirect(w, r, p.link(token, "items", nil), http.StatusSeeOther)
}

// ServeHTTP serves the page and its actions; every request must carry a
// valid session token ("s", in the query or the form).
func (p *Page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Shown only inside the control panel; the token in the URL must not
	// leak to other sites through Referer or caches.
	h.Set("Content-Security-Policy", "frame-ancestors 'self' "+strings.Join(p.opts.FrameAncestors, " "))
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	p.mux.ServeHTTP(w, r)
}

// link is the page's URL for a tab, with the session and extra values.
func (p *Page) link(token, tab string, extra url.Values) string {
	q := url.Values{"s": {token}, "tab": {tab}}
	for k, v := range extra {
		q[k] = v
	}
	return p.opts.Prefix + "?" + q.Encode()
}

// session verifies the request's token; on failure it answers 401 with
// nothing about why.
func (p *Page) session(w http.ResponseWriter, r *http.Request) (session, string, bool) {
	token := r.FormValue("s")
	s, err := openSession(p.opts.SessionKey, token, p.opts.Now())
	if err != nil {
		p.opts.Logger.Warn("app page: refused a request without a valid session", "path", r.URL.Path)
		http.Error(w, "Open hrbc from your BigCommerce control panel.", http.StatusUnauthorized)
		return session{}, "", false
	}
	return s, token, true
}
