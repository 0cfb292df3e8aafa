package intake

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// jwtLeeway absorbs clock skew between BigCommerce and the intake.
const jwtLeeway = 30 * time.Second

// maxSignedPayload bounds what is parsed: BigCommerce's are well under 2 KB.
const maxSignedPayload = 8 << 10

// signedPayload is the claims of BigCommerce's signed_payload_jwt.
type signedPayload struct {
	jwt.RegisteredClaims
	// User is the control-panel user the request is for.
	User payloadUser `json:"user"`
	// Owner is the store's owner.
	Owner payloadUser `json:"owner"`
	// URL is the app path the merchant opened.
	URL string `json:"url"`
}

// payloadUser is a user in a signed payload.
type payloadUser struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
}

// verifiedStore is what a verified payload proves: the store and the user.
type verifiedStore struct {
	StoreHash string
	UserID    int64
	UserEmail string
}

// errBadPayload is every refusal of a signed payload; the reason is
// wrapped for the log, never sent to the caller.
var errBadPayload = errors.New("signed payload refused")

// verifySignedPayload checks raw as BigCommerce signs it: HS256 only (no
// "none", no other algorithm, whatever the header says) with the client
// secret; audience the client id; issuer "bc"; subject "stores/<hash>";
// expiry required, exp and nbf checked with jwtLeeway.
func verifySignedPayload(raw, clientID, secret string, now func() time.Time) (verifiedStore, error) {
	if raw == "" || len(raw) > maxSignedPayload {
		return verifiedStore{}, fmt.Errorf("%w: missing or oversized", errBadPayload)
	}
	if clientID == "" || secret == "" {
		return verifiedStore{}, fmt.Errorf("%w: the app has no client id or secret", errBadPayload)
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithAudience(clientID),
		jwt.WithIssuer("bc"),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(jwtLeeway),
		jwt.WithTimeFunc(now),
	)
	var claims signedPayload
	if _, err := parser.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) {
		return []byte(secret), nil
	}); err != nil {
		return verifiedStore{}, fmt.Errorf("%w: %w", errBadPayload, err)
	}
	m := storeContextPattern.FindStringSubmatch(claims.Subject)
	if m == nil {
		return verifiedStore{}, fmt.Errorf("%w: subject is not stores/<hash>", errBadPayload)
	}
	return verifiedStore{StoreHash: m[1], UserID: claims.User.ID, UserEmail: claims.User.Email}, nil
}
