package codecserver

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// TokenFileName is where the embedded default keeps a generated codec
// token, beside its state and payload keys, mode 0600.
const TokenFileName = "codec-token"

// LoadOrCreateToken returns the token in dir's token file, making one
// when there is none (dir "" gives a token for this run only).
func LoadOrCreateToken(dir string) (string, error) {
	if dir == "" {
		return newToken()
	}
	path := filepath.Join(dir, TokenFileName)
	b, err := os.ReadFile(path)
	if err == nil {
		if t := strings.TrimSpace(string(b)); t != "" {
			return t, nil
		}
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("codec token file: %w", err)
	}
	t, err := newToken()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("codec token file: %w", err)
	}
	if err := os.WriteFile(path, []byte(t+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("codec token file: %w", err)
	}
	return t, nil
}

// newToken is 32 random bytes, URL-safe, so it fits in a path.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
