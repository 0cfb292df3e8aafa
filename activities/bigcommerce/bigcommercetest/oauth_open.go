package bigcommercetest

import (
	"net/http"
	"net/url"
	"strings"
)

// OpenURL is where a browser opens an installed app as a merchant does
// from the control panel's Apps menu: the fake answers with a redirect to
// the app's load callback carrying a fresh signed_payload_jwt. (The real
// control panel loads that URL in an iframe; this stand-in is the fake's
// own path, /oauth2/open?client_id=ID.)
func (s *Server) OpenURL(clientID string) string {
	return s.URL + "/oauth2/open?client_id=" + url.QueryEscape(clientID)
}

// LoadCallbackURL is an app's load callback, next to its auth callback
// (BigCommerce asks for both when an app is registered; hrbc serves them
// side by side).
func (a OAuthApp) LoadCallbackURL() string {
	base, _, _ := strings.Cut(a.AuthCallbackURL, "?")
	return strings.TrimSuffix(base, "/auth") + "/load"
}

// oauthOpen sends the browser to the app's load callback as the store
// owner.
func (s *Server) oauthOpen(w http.ResponseWriter, r *http.Request) {
	clientID := r.URL.Query().Get("client_id")
	s.oauth.mu.Lock()
	app, ok := s.oauth.apps[clientID]
	s.oauth.mu.Unlock()
	if !ok {
		oauthError(w, http.StatusNotFound, "no such app")
		return
	}
	signed, err := s.SignedPayload(clientID, StoreOwner)
	if err != nil {
		oauthError(w, http.StatusInternalServerError, err.Error())
		return
	}
	http.Redirect(w, r, app.LoadCallbackURL()+"?"+url.Values{"signed_payload_jwt": {signed}}.Encode(), http.StatusFound)
}
