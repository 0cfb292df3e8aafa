package intake

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

const (
	testClientID     = "hrbc-app-client"
	testClientSecret = "hrbc-app-secret-0123456789abcdef"
	testStoreHash    = "abc123"
)

// testNow is a fixed instant the JWTs are minted and checked at; it is
// never compared with the real clock.
var testNow = time.Unix(1_900_000_000, 0)

func validClaims() jwt.MapClaims {
	return bigcommercetest.SignedClaims(testClientID, testStoreHash, bigcommercetest.StoreOwner, testNow)
}

func mint(t *testing.T, secret string, claims jwt.MapClaims) string {
	t.Helper()
	raw, err := bigcommercetest.MintSignedPayload(secret, claims)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// with returns valid claims changed by f.
func with(f func(jwt.MapClaims)) jwt.MapClaims {
	c := validClaims()
	f(c)
	return c
}

// unsignedNone is a token with alg "none" and no signature.
func unsignedNone(claims jwt.MapClaims) string {
	raw, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		panic(err)
	}
	return raw
}

// withHeaderAlg re-signs claims with HMAC-SHA256 but announces alg in the
// header (an algorithm-confusion attempt).
func withHeaderAlg(t *testing.T, alg string) string {
	t.Helper()
	var m jwt.SigningMethod = jwt.SigningMethodHS512
	if alg == "HS384" {
		m = jwt.SigningMethodHS384
	}
	raw, err := jwt.NewWithClaims(m, validClaims()).SignedString([]byte(testClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestVerifySignedPayloadAccepts(t *testing.T) {
	got, err := verifySignedPayload(mint(t, testClientSecret, validClaims()), testClientID, testClientSecret, func() time.Time { return testNow })
	if err != nil {
		t.Fatal(err)
	}
	if got.StoreHash != testStoreHash || got.UserEmail != bigcommercetest.StoreOwner.Email || got.UserID != bigcommercetest.StoreOwner.ID {
		t.Errorf("verified %+v", got)
	}
	// Within the leeway either side.
	for _, skew := range []time.Duration{-20 * time.Second, bigcommercetest.SignedPayloadTTL + 20*time.Second} {
		if _, err := verifySignedPayload(mint(t, testClientSecret, validClaims()), testClientID, testClientSecret,
			func() time.Time { return testNow.Add(skew) }); err != nil {
			t.Errorf("skew %v: %v", skew, err)
		}
	}
}

// TestVerifySignedPayloadRefuses: every token that is not BigCommerce's,
// for this app and a store, is refused.
func TestVerifySignedPayloadRefuses(t *testing.T) {
	valid := mint(t, testClientSecret, validClaims())
	parts := strings.Split(valid, ".")
	cases := map[string]string{
		"empty":                "",
		"garbage":              "not-a-jwt",
		"three garbage parts":  "a.b.c",
		"oversized":            strings.Repeat("a", maxSignedPayload+1),
		"alg none":             unsignedNone(validClaims()),
		"alg none, valid sig":  base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2],
		"alg HS512":            withHeaderAlg(t, "HS512"),
		"alg HS384":            withHeaderAlg(t, "HS384"),
		"wrong secret":         mint(t, "another-secret-0123456789abcdef", validClaims()),
		"tampered claims":      parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"aud":"`+testClientID+`","iss":"bc","sub":"stores/other","exp":9999999999}`)) + "." + parts[2],
		"signature cut":        parts[0] + "." + parts[1] + ".",
		"wrong audience":       mint(t, testClientSecret, with(func(c jwt.MapClaims) { c["aud"] = "another-app" })),
		"no audience":          mint(t, testClientSecret, with(func(c jwt.MapClaims) { delete(c, "aud") })),
		"wrong issuer":         mint(t, testClientSecret, with(func(c jwt.MapClaims) { c["iss"] = "evil" })),
		"expired":              mint(t, testClientSecret, with(func(c jwt.MapClaims) { c["exp"] = testNow.Add(-time.Minute).Unix() })),
		"no expiry":            mint(t, testClientSecret, with(func(c jwt.MapClaims) { delete(c, "exp") })),
		"not yet valid":        mint(t, testClientSecret, with(func(c jwt.MapClaims) { c["nbf"] = testNow.Add(time.Minute).Unix() })),
		"missing subject":      mint(t, testClientSecret, with(func(c jwt.MapClaims) { delete(c, "sub") })),
		"subject not a store":  mint(t, testClientSecret, with(func(c jwt.MapClaims) { c["sub"] = "users/1" })),
		"subject walks a path": mint(t, testClientSecret, with(func(c jwt.MapClaims) { c["sub"] = "stores/../x" })),
		"subject uppercase":    mint(t, testClientSecret, with(func(c jwt.MapClaims) { c["sub"] = "stores/ABC" })),
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := verifySignedPayload(raw, testClientID, testClientSecret, func() time.Time { return testNow })
			if !errors.Is(err, errBadPayload) {
				t.Errorf("verify: %v, want a refusal", err)
			}
		})
	}
	if _, err := verifySignedPayload(valid, testClientID, "", func() time.Time { return testNow }); !errors.Is(err, errBadPayload) {
		t.Errorf("an app without a secret accepted a token: %v", err)
	}
}

// TestAppCallbacksRefuseBadPayloads: load, uninstall and remove_user
// answer a bare 401 to a bad token, with no reason in the body, and call
// no workflow.
func TestAppCallbacksRefuseBadPayloads(t *testing.T) {
	conn := &fakeConnector{}
	in := newAppIntake(t, conn, nil, "")
	bad := map[string]string{
		"missing":      "",
		"garbage":      "garbage",
		"alg none":     unsignedNone(validClaims()),
		"wrong secret": mint(t, "another-secret-0123456789abcdef", validClaims()),
		"wrong aud":    mint(t, testClientSecret, with(func(c jwt.MapClaims) { c["aud"] = "x" })),
		"expired":      mint(t, testClientSecret, with(func(c jwt.MapClaims) { c["exp"] = testNow.Add(-time.Hour).Unix() })),
		"no sub":       mint(t, testClientSecret, with(func(c jwt.MapClaims) { delete(c, "sub") })),
	}
	for _, path := range []string{"/bigcommerce/load", "/bigcommerce/uninstall", "/bigcommerce/remove_user"} {
		for name, raw := range bad {
			req := httptest.NewRequest(http.MethodGet, path+"?signed_payload_jwt="+url.QueryEscape(raw), nil)
			// Each case from its own address, so the guard's lockout
			// does not answer for the verifier.
			req.RemoteAddr = "192.0.2." + string(rune('1'+len(name)%9)) + ":1234"
			rec := httptest.NewRecorder()
			in.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized && rec.Code != http.StatusTooManyRequests {
				t.Errorf("%s %s: %d, want 401", path, name, rec.Code)
			}
			if body := strings.TrimSpace(rec.Body.String()); body != "unauthorized" && body != "too many failed authentications" {
				t.Errorf("%s %s: body %q tells more than unauthorized", path, name, body)
			}
		}
	}
	if calls := conn.Calls(); len(calls) != 0 {
		t.Errorf("refused callbacks called workflows: %q", calls)
	}
}
