package intake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// tokenAnswer is the part of BigCommerce's token answer hrbc keeps.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	Scope       string `json:"scope"`
	Context     string `json:"context"`
	User        struct {
		ID    int64  `json:"id"`
		Email string `json:"email"`
	} `json:"user"`
}

// auth is the auth callback: BigCommerce sends the merchant's browser here
// after Install and Confirm, with code, scope and context. The code is
// exchanged for the store's permanent token, the connection of that store
// is created or re-authorized (credentials verified and saved in its
// workflow, scopes recorded), and the app page opens.
func (a *appCallbacks) auth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code, scope, storeContext := q.Get("code"), q.Get("scope"), q.Get("context")
	m := storeContextPattern.FindStringSubmatch(storeContext)
	if code == "" || len(code) > 512 || m == nil {
		a.in.logger.Warn("BigCommerce auth callback refused: no code or context", "remote", clientAddr(r))
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	hash := m[1]
	ctx, cancel := context.WithTimeout(r.Context(), appCallTimeout)
	defer cancel()
	tok, err := a.exchange(ctx, code, scope, storeContext)
	if err != nil {
		a.in.guard.failed(clientAddr(r))
		a.in.logger.Warn("BigCommerce auth callback: code not exchanged", "store", hash, "error", err)
		http.Error(w, "the install could not be completed: BigCommerce did not accept the code; install the app again", http.StatusBadGateway)
		return
	}
	id := a.app.ConnectionID(hash)
	sum, err := a.app.Connector.SetCredentials(ctx, id, workflows.CredentialsRequest{
		BigCommerce: &workflows.BigCommerceCredentials{
			StoreHash: hash, AccessToken: tok.AccessToken, BaseURL: a.app.StoreBaseURL(hash),
			Scope: tok.Scope, UserEmail: tok.User.Email,
		},
		BigCommerceWebhookSecret: randomSecret(),
		HeartlandWebhookSecret:   randomSecret(),
	})
	if err != nil {
		a.in.logger.Error("BigCommerce auth callback: credentials not saved", "connection", id, "error", err)
		msg := "the install could not be completed; try again in a minute"
		var ce *starter.CredentialsError
		if errors.As(err, &ce) {
			msg = "the store refused the app's token; install the app again"
		}
		http.Error(w, msg, http.StatusBadGateway)
		return
	}
	a.in.logger.Info("BigCommerce app installed", "connection", id, "store", hash, "scope", tok.Scope, "credentialsVersion", sum.Version)
	a.open(w, r, id, tok.User.Email)
}

// exchange trades an install code for the store's token at the token
// endpoint, naming the redirect URI and context the code was issued for.
func (a *appCallbacks) exchange(ctx context.Context, code, scope, storeContext string) (tokenAnswer, error) {
	form := url.Values{
		"client_id": {a.app.ClientID}, "client_secret": {a.app.ClientSecret}, "code": {code}, "scope": {scope},
		"grant_type": {"authorization_code"}, "redirect_uri": {a.app.RedirectURI}, "context": {storeContext},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.app.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return tokenAnswer{}, fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := a.app.HTTPClient.Do(req)
	if err != nil {
		return tokenAnswer{}, fmt.Errorf("token endpoint: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return tokenAnswer{}, fmt.Errorf("token endpoint: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		// The login service's error text names the problem (bad code,
		// wrong redirect URI) and never a secret.
		return tokenAnswer{}, fmt.Errorf("token endpoint answered %d: %.200s", resp.StatusCode, body)
	}
	var tok tokenAnswer
	if err := json.Unmarshal(body, &tok); err != nil {
		return tokenAnswer{}, fmt.Errorf("token endpoint: unreadable answer: %w", err)
	}
	switch {
	case tok.AccessToken == "":
		return tokenAnswer{}, errors.New("token endpoint: answer without access_token")
	case tok.Context != storeContext:
		return tokenAnswer{}, fmt.Errorf("token endpoint: answer for context %q, not %q", tok.Context, storeContext)
	}
	return tok, nil
}

// open hands a verified user over to the app page, or says the
// connection is ready when no page is served.
func (a *appCallbacks) open(w http.ResponseWriter, r *http.Request, connectionID, userEmail string) {
	if a.app.Page != nil {
		a.app.Page.Open(w, r, connectionID, userEmail)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = fmt.Fprintf(w, "hrbc: connection %s is ready.\n", connectionID)
}

// randomSecret is a fresh webhook secret: 32 random bytes in hex.
func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
