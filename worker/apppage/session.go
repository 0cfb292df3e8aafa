package apppage

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// sessionTTL is how long a page session lasts. BigCommerce calls the load
// callback each time the merchant opens the app, which starts a new one.
const sessionTTL = 8 * time.Hour

// session is who is looking at the page: a verified user of one store's
// connection.
type session struct {
	ConnectionID string
	User         string
	Expires      time.Time
}

// errBadSession is any token that does not open the page; callers answer
// 401 without saying which check failed.
var errBadSession = errors.New("apppage: session token is not valid")

// sealSession signs s with key. The token is the payload and its HMAC,
// both base64url; the payload carries no secret.
func sealSession(key []byte, s session) string {
	payload := strings.Join([]string{s.ConnectionID, s.User, strconv.FormatInt(s.Expires.Unix(), 10)}, "\n")
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(payload))
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(mac.Sum(nil))
}

// openSession verifies token against key and now.
func openSession(key []byte, token string, now time.Time) (session, error) {
	enc := base64.RawURLEncoding
	p, m, ok := strings.Cut(token, ".")
	if !ok {
		return session{}, errBadSession
	}
	payload, err := enc.DecodeString(p)
	if err != nil {
		return session{}, errBadSession
	}
	sum, err := enc.DecodeString(m)
	if err != nil {
		return session{}, errBadSession
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(payload)
	if !hmac.Equal(sum, mac.Sum(nil)) {
		return session{}, errBadSession
	}
	parts := strings.Split(string(payload), "\n")
	if len(parts) != 3 || parts[0] == "" {
		return session{}, errBadSession
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return session{}, errBadSession
	}
	s := session{ConnectionID: parts[0], User: parts[1], Expires: time.Unix(exp, 0)}
	if !now.Before(s.Expires) {
		return session{}, fmt.Errorf("%w: expired", errBadSession)
	}
	return s, nil
}
