package bigcommercetest

import (
	"net/http"
	"slices"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// WithScopes gives the server's token only these OAuth scopes: a call to a
// route none of them covers gets the store's 403, as a real token created
// without that scope does. Without this option the token has every scope.
func WithScopes(scopes ...bc.Scope) Option {
	return func(c *config) { c.scopes = append([]bc.Scope{}, scopes...) }
}

// missingScope reports whether the token lacks every scope the route
// needs. Routes the scope table does not know are let through.
func (c *config) missingScope(method, rel string) bool {
	if c.scopes == nil {
		return false
	}
	need, ok := bc.RequiredScopes(method, rel)
	if !ok || len(need) == 0 {
		return false
	}
	for _, s := range need {
		if slices.Contains(c.scopes, s) {
			return false
		}
	}
	return true
}

// writeMissingScope answers as the store does a token without the scope.
func writeMissingScope(w http.ResponseWriter, v2 bool) {
	const title = "You don't have a required scope to access the endpoint"
	if v2 {
		writeV2Error(w, http.StatusForbidden, title)
		return
	}
	writeV3Error(w, http.StatusForbidden, title, nil)
}
