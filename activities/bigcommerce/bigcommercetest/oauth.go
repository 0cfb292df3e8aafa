package bigcommercetest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The fake's OAuth pieces, after BigCommerce's single-click app flow:
//
//	GET  /oauth2/install?client_id=ID[&user_email=…]
//	     the merchant's "Install" and "Confirm", approved at once: 302 to
//	     the app's auth callback with code, scope, context=stores/<hash>
//	     and account_uuid
//	POST /oauth2/token   (form or JSON: client_id, client_secret, code,
//	     scope, grant_type=authorization_code, redirect_uri, context)
//	     → 200 {access_token, scope, user{id,username,email},
//	     owner{id,username,email}, context, account_uuid}
//
// Codes are single-use, expire after CodeTTL and are bound to the client
// and the redirect URI they were issued for. The token issued is the one
// the store's API accepts (Server.Token). SignedPayload mints the
// signed_payload_jwt of the load, uninstall and remove_user callbacks.

// DemoAppClientID is the client id of the app hrbc's sandbox registers
// with its fake store; `starter sandbox install` opens its InstallURL.
const DemoAppClientID = "hrbc-sandbox-app"

// CodeTTL is how long an install code can be exchanged.
const CodeTTL = 5 * time.Minute

// OAuthApp is a single-click app registered with the fake store.
type OAuthApp struct {
	// ClientID and ClientSecret are the app's OAuth client.
	ClientID, ClientSecret string
	// AuthCallbackURL is the app's auth callback, the only redirect_uri
	// its codes are exchanged with.
	AuthCallbackURL string
	// Scope is what the merchant grants (space-separated); empty grants
	// every scope hrbc asks for.
	Scope string
}

// OAuthUser is a control-panel user in tokens and signed payloads.
type OAuthUser struct {
	ID       int64  `json:"id"`
	Username string `json:"username,omitempty"`
	Email    string `json:"email"`
}

// StoreOwner is the fake store's owner, who installs unless told otherwise.
var StoreOwner = OAuthUser{ID: 1, Username: "owner", Email: "owner@example.com"}

// defaultAppScope is what an install grants when the app names none.
const defaultAppScope = "store_v2_products store_v2_orders store_v2_transactions store_inventory store_v2_information_read_only"

// accountUUID is the fake store's account.
const accountUUID = "8f9c0b7e-0000-4000-8000-000000000001"

// oauthState holds the registered apps and the codes issued.
type oauthState struct {
	mu        sync.Mutex
	apps      map[string]OAuthApp
	codes     map[string]issuedCode
	exchanges int
}

// issuedCode is one install's code, waiting for its exchange.
type issuedCode struct {
	clientID, redirectURI, scope string
	user                         OAuthUser
	expires                      time.Time
}

// RegisterApp makes the store know an app: its installs, token exchanges
// and signed payloads.
func (s *Server) RegisterApp(app OAuthApp) {
	if app.Scope == "" {
		app.Scope = defaultAppScope
	}
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	s.oauth.apps[app.ClientID] = app
}

// InstallURL is the consent step of clientID's app: a GET redirects to
// the app's auth callback with a fresh code.
func (s *Server) InstallURL(clientID string) string {
	return s.URL + "/oauth2/install?client_id=" + url.QueryEscape(clientID)
}

// LoginURL is the base of the fake's token endpoint, what
// HRBC_BIGCOMMERCE_LOGIN_URL points at (it serves /oauth2/token).
func (s *Server) LoginURL() string { return s.URL }

// APIURL is the base of the fake's store API, what HRBC_BIGCOMMERCE_API_URL
// points at (the store is APIURL + /stores/<hash>).
func (s *Server) APIURL() string { return s.URL }

// TokenExchanges counts successful code exchanges.
func (s *Server) TokenExchanges() int {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	return s.oauth.exchanges
}

// oauthRoutes serves /oauth2/*.
func (s *Server) serveOAuth(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/oauth2/install":
		s.oauthInstall(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/oauth2/token":
		s.oauthToken(w, r)
	default:
		oauthError(w, http.StatusNotFound, "not found")
	}
}

// oauthInstall approves an install and sends the browser to the app.
func (s *Server) oauthInstall(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.oauth.mu.Lock()
	app, ok := s.oauth.apps[q.Get("client_id")]
	s.oauth.mu.Unlock()
	if !ok {
		oauthError(w, http.StatusNotFound, "no such app")
		return
	}
	user := StoreOwner
	if e := q.Get("user_email"); e != "" {
		user = OAuthUser{ID: 2, Username: strings.Split(e, "@")[0], Email: e}
	}
	code := randomHex(16)
	s.oauth.mu.Lock()
	s.oauth.codes[code] = issuedCode{clientID: app.ClientID, redirectURI: app.AuthCallbackURL, scope: app.Scope,
		user: user, expires: s.cfg.now().Add(CodeTTL)}
	s.oauth.mu.Unlock()
	v := url.Values{"code": {code}, "scope": {app.Scope}, "context": {"stores/" + s.StoreHash}, "account_uuid": {accountUUID}}
	sep := "?"
	if strings.Contains(app.AuthCallbackURL, "?") {
		sep = "&"
	}
	http.Redirect(w, r, app.AuthCallbackURL+sep+v.Encode(), http.StatusFound)
}

// tokenRequest is the token endpoint's body.
type tokenRequest struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	Code         string `json:"code"`
	Scope        string `json:"scope"`
	GrantType    string `json:"grant_type"`
	RedirectURI  string `json:"redirect_uri"`
	Context      string `json:"context"`
}

// TokenResponse is the token endpoint's answer.
type TokenResponse struct {
	AccessToken string    `json:"access_token"`
	Scope       string    `json:"scope"`
	User        OAuthUser `json:"user"`
	Owner       OAuthUser `json:"owner"`
	Context     string    `json:"context"`
	AccountUUID string    `json:"account_uuid"`
}

// oauthToken exchanges a code for the store's token.
func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			oauthError(w, http.StatusBadRequest, "unreadable body")
			return
		}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
		if err := r.ParseForm(); err != nil {
			oauthError(w, http.StatusBadRequest, "unreadable body")
			return
		}
		f := r.PostForm
		req = tokenRequest{ClientID: f.Get("client_id"), ClientSecret: f.Get("client_secret"), Code: f.Get("code"),
			Scope: f.Get("scope"), GrantType: f.Get("grant_type"), RedirectURI: f.Get("redirect_uri"), Context: f.Get("context")}
	}
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	app, ok := s.oauth.apps[req.ClientID]
	if !ok || app.ClientSecret != req.ClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid client id or secret")
		return
	}
	if req.GrantType != "authorization_code" {
		oauthError(w, http.StatusBadRequest, "unsupported grant_type")
		return
	}
	code, ok := s.oauth.codes[req.Code]
	// A code is spent by its first exchange, good or bad, as a guessed
	// one must not be tried twice.
	delete(s.oauth.codes, req.Code)
	switch {
	case !ok:
		oauthError(w, http.StatusBadRequest, "invalid grant: unknown or used code")
		return
	case !s.cfg.now().Before(code.expires):
		oauthError(w, http.StatusBadRequest, "invalid grant: code expired")
		return
	case code.clientID != req.ClientID:
		oauthError(w, http.StatusBadRequest, "invalid grant: code issued to another client")
		return
	case code.redirectURI != req.RedirectURI:
		oauthError(w, http.StatusBadRequest, "invalid grant: redirect_uri does not match")
		return
	case req.Context != "stores/"+s.StoreHash:
		oauthError(w, http.StatusBadRequest, "invalid grant: context does not match")
		return
	}
	s.oauth.exchanges++
	writeJSON(w, http.StatusOK, TokenResponse{AccessToken: s.Token, Scope: code.scope, User: code.user, Owner: StoreOwner,
		Context: "stores/" + s.StoreHash, AccountUUID: accountUUID})
}

// oauthError answers like the login service: {"error": …}.
func oauthError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
