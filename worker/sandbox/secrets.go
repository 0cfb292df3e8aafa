package sandbox

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// webhookSecretsFile keeps the demo connection's webhook secrets beside
// the fakes' state (0600, like every file there): the fakes' saved hooks
// carry them, so a restart must not change them under a delivery.
const webhookSecretsFile = "sandbox-webhook-secrets.json"

// demoWebhookSecrets are the demo connection's two webhook secrets, one per
// platform, as a real connection has them.
type demoWebhookSecrets struct {
	BigCommerce string `json:"bigcommerce"`
	Heartland   string `json:"heartland"`
}

// webhookSecrets returns the demo connection's secrets: those kept in
// stateDir, or new random ones (kept there when there is a stateDir). A
// file that cannot be read is replaced: the fakes' hooks follow the new
// secrets when RegisterWebhooks runs.
func webhookSecrets(stateDir string) (demoWebhookSecrets, error) {
	path := ""
	if stateDir != "" {
		path = filepath.Join(stateDir, webhookSecretsFile)
		var kept demoWebhookSecrets
		b, err := os.ReadFile(path)
		switch {
		case err == nil && json.Unmarshal(b, &kept) == nil && len(kept.BigCommerce) >= 16 && len(kept.Heartland) >= 16 &&
			kept.BigCommerce != kept.Heartland:
			return kept, nil
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return demoWebhookSecrets{}, fmt.Errorf("sandbox webhook secrets %s: %w", path, err)
		}
	}
	var s demoWebhookSecrets
	var err error
	if s.BigCommerce, err = randomSecret(); err != nil {
		return s, err
	}
	if s.Heartland, err = randomSecret(); err != nil {
		return s, err
	}
	if path != "" {
		b, _ := json.Marshal(s)
		if err := writeFileAtomic(path, b); err != nil {
			return demoWebhookSecrets{}, fmt.Errorf("sandbox webhook secrets: %w", err)
		}
	}
	return s, nil
}

// randomSecret is 24 random bytes, URL-safe (Heartland's is in a query).
func randomSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("sandbox webhook secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
