package apppage

import (
	"strings"
	"testing"
	"time"
)

func TestSessionTokens(t *testing.T) {
	key := []byte("0123456789abcdef0123")
	now := time.Unix(1_800_000_000, 0)
	s := session{ConnectionID: "bc-abc123", User: "owner@example.com", Expires: now.Add(time.Hour)}
	token := sealSession(key, s)
	got, err := openSession(key, token, now)
	if err != nil || got.ConnectionID != s.ConnectionID || got.User != s.User || !got.Expires.Equal(s.Expires) {
		t.Fatalf("open = %+v, %v", got, err)
	}
	other := sealSession(key, session{ConnectionID: "bc-other", Expires: now.Add(time.Hour)})
	payload, mac, _ := strings.Cut(token, ".")
	_, otherMAC, _ := strings.Cut(other, ".")
	for name, bad := range map[string]string{
		"empty":           "",
		"no signature":    payload,
		"other signature": payload + "." + otherMAC,
		"other payload":   strings.Split(other, ".")[0] + "." + mac,
		"not base64":      "***." + mac,
	} {
		if _, err := openSession(key, bad, now); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := openSession([]byte("another-key-of-20-bytes"), token, now); err == nil {
		t.Error("a token signed with another key was accepted")
	}
	if _, err := openSession(key, token, now.Add(time.Hour)); err == nil {
		t.Error("an expired token was accepted")
	}
}
