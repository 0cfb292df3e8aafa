package bigcommercetest

import (
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// SignedPayloadTTL is how long a minted signed_payload_jwt is valid
// (BigCommerce's are short-lived).
const SignedPayloadTTL = 5 * time.Minute

// SignedPayload mints the signed_payload_jwt BigCommerce sends to the
// load, uninstall and remove_user callbacks of clientID's app: HS256 with
// the client secret; aud = client id, iss = "bc", iat/nbf/exp, sub =
// "stores/<hash>", user, owner, url and channel_id.
func (s *Server) SignedPayload(clientID string, user OAuthUser) (string, error) {
	s.oauth.mu.Lock()
	app, ok := s.oauth.apps[clientID]
	s.oauth.mu.Unlock()
	if !ok {
		return "", fmt.Errorf("bigcommercetest: no app %q registered", clientID)
	}
	return MintSignedPayload(app.ClientSecret, SignedClaims(clientID, s.StoreHash, user, s.cfg.now()))
}

// SignedClaims are the claims of a signed payload issued at now, for
// tests that mint altered ones.
func SignedClaims(clientID, storeHash string, user OAuthUser, now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"aud":        clientID,
		"iss":        "bc",
		"iat":        now.Unix(),
		"nbf":        now.Add(-5 * time.Second).Unix(),
		"exp":        now.Add(SignedPayloadTTL).Unix(),
		"jti":        randomHex(16),
		"sub":        "stores/" + storeHash,
		"user":       map[string]any{"id": user.ID, "email": user.Email, "locale": "en-US"},
		"owner":      map[string]any{"id": StoreOwner.ID, "email": StoreOwner.Email},
		"url":        "/",
		"channel_id": nil,
	}
}

// MintSignedPayload signs claims HS256 with secret.
func MintSignedPayload(secret string, claims jwt.MapClaims) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
}
