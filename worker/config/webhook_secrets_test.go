package config

import (
	"slices"
	"strings"
	"testing"
)

// twoSecrets is validConnection with a secret per platform instead of the
// deprecated shared one.
func twoSecrets(extra ...string) []string {
	out := []string{
		"HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET=bc-hook-secret-0123456789",
		"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET=hl-hook-secret-0123456789",
	}
	for _, kv := range validConnection {
		if !strings.HasPrefix(kv, "HRBC_CONNECTION_0_WEBHOOK_SECRET=") {
			out = append(out, kv)
		}
	}
	return append(out, extra...)
}

func reveal(secrets []Secret) []string {
	out := make([]string, len(secrets))
	for i, s := range secrets {
		out[i] = s.Reveal()
	}
	return out
}

func TestWebhookSecretsPerPlatform(t *testing.T) {
	cfg, err := LoadConfig(twoSecrets())
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Connections[0]
	if got := reveal(c.BigCommerceSecrets()); !slices.Equal(got, []string{"bc-hook-secret-0123456789"}) {
		t.Errorf("BigCommerce accepts %q", got)
	}
	if got := reveal(c.HeartlandSecrets()); !slices.Equal(got, []string{"hl-hook-secret-0123456789"}) {
		t.Errorf("Heartland accepts %q", got)
	}
	if c.UsesSharedWebhookSecret() {
		t.Error("two platform secrets reported as the shared one")
	}
}

// TestSharedWebhookSecretStillWorks: a configuration from before the two
// secrets keeps working, the shared secret serving both platforms.
func TestSharedWebhookSecretStillWorks(t *testing.T) {
	cfg, err := LoadConfig(validConnection)
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Connections[0]
	if c.BigCommerceSecret().Reveal() != "hook-secret-0123456789" || c.HeartlandSecret().Reveal() != "hook-secret-0123456789" ||
		!c.UsesSharedWebhookSecret() {
		t.Errorf("shared secret not used for both platforms: %+v", c)
	}
	// One platform moved to its own secret, the other still on the shared one.
	cfg, err = LoadConfig(append(append([]string{}, validConnection...),
		"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET=hl-hook-secret-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	c = cfg.Connections[0]
	if c.BigCommerceSecret().Reveal() != "hook-secret-0123456789" || c.HeartlandSecret().Reveal() != "hl-hook-secret-0123456789" ||
		!c.UsesSharedWebhookSecret() {
		t.Errorf("half-moved connection: %+v", c)
	}
}

func TestWebhookSecretRotationWindow(t *testing.T) {
	cfg, err := LoadConfig(twoSecrets(
		"HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET_PREVIOUS=old-bc-secret-0123456789",
		"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET_PREVIOUS=hook-secret-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Connections[0]
	if got := reveal(c.BigCommerceSecrets()); !slices.Equal(got, []string{"bc-hook-secret-0123456789", "old-bc-secret-0123456789"}) {
		t.Errorf("BigCommerce accepts %q, want the new then the previous secret", got)
	}
	if got := reveal(c.HeartlandSecrets()); !slices.Equal(got, []string{"hl-hook-secret-0123456789", "hook-secret-0123456789"}) {
		t.Errorf("Heartland accepts %q, want the new then the previous secret", got)
	}
	if c.BigCommerceSecret().Reveal() != "bc-hook-secret-0123456789" || c.HeartlandSecret().Reveal() != "hl-hook-secret-0123456789" {
		t.Error("hooks must be registered with the new secrets, never the previous ones")
	}
}

func TestWebhookSecretsRefused(t *testing.T) {
	without := func(env []string, name string) []string {
		var out []string
		for _, kv := range env {
			if !strings.HasPrefix(kv, name+"=") {
				out = append(out, kv)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		environ []string
		varName string
		says    string
	}{
		{"no BigCommerce secret", without(twoSecrets(), "HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET"),
			"HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET", "must be set"},
		{"no Heartland secret", without(twoSecrets(), "HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET"),
			"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET", "must be set"},
		{"same secret for both", twoSecrets("HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET=bc-hook-secret-0123456789"),
			"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET", "must differ"},
		{"platform secret equal to the shared one", append(append([]string{}, validConnection...),
			"HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET=hook-secret-0123456789"),
			"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET", "must differ"},
		{"shared secret left behind", twoSecrets("HRBC_CONNECTION_0_WEBHOOK_SECRET=hook-secret-0123456789"),
			"HRBC_CONNECTION_0_WEBHOOK_SECRET", "_PREVIOUS"},
		{"short BigCommerce secret", twoSecrets("HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET=short"),
			"HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET", "at least 16"},
		{"short previous secret", twoSecrets("HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET_PREVIOUS=short"),
			"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET_PREVIOUS", "at least 16"},
		{"previous secret with a line break", twoSecrets("HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET_PREVIOUS=old-bc-secret-0123456789\n"),
			"HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET_PREVIOUS", "line break"},
		{"blank Heartland secret", twoSecrets("HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET=" + strings.Repeat(" ", 20)),
			"HRBC_CONNECTION_0_HEARTLAND_WEBHOOK_SECRET", "blank"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The last assignment of a name wins, as in a shell.
			env := map[string]string{}
			var order []string
			for _, kv := range tc.environ {
				k, v, _ := strings.Cut(kv, "=")
				if _, ok := env[k]; !ok {
					order = append(order, k)
				}
				env[k] = v
			}
			var environ []string
			for _, k := range order {
				environ = append(environ, k+"="+env[k])
			}
			err := loadRefused(t, environ, tc.varName)
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("message %q does not say %q", err, tc.says)
			}
			for _, secret := range []string{"bc-hook-secret", "hl-hook-secret", "hook-secret-0123456789", "old-bc-secret"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("message leaks a secret: %q", err)
				}
			}
		})
	}
}

func TestCodecOrigins(t *testing.T) {
	cfg, err := LoadConfig([]string{"HRBC_CODEC_ORIGINS=http://127.0.0.1:8233,https://temporal.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.CodecOrigins, []string{"http://127.0.0.1:8233", "https://temporal.example.com"}) {
		t.Errorf("origins = %q", cfg.CodecOrigins)
	}
	for _, bad := range []string{"127.0.0.1:8233", "http://127.0.0.1:8233/", "http://ui.example.com/path", "*"} {
		err := loadRefused(t, []string{"HRBC_CODEC_ORIGINS=" + bad}, "HRBC_CODEC_ORIGINS")
		if !strings.Contains(err.Error(), "not an origin") {
			t.Errorf("%q refused with %q", bad, err)
		}
	}
}
