package config

import (
	"fmt"
	"strings"
)

// minWebhookSecret is the shortest webhook secret accepted: it is all that
// stands between the internet and a forged order event.
const minWebhookSecret = 16

// BigCommerceSecret is the secret the store's hooks are registered with:
// BIGCOMMERCE_WEBHOOK_SECRET, or the deprecated shared WEBHOOK_SECRET.
func (c ConnectionConfig) BigCommerceSecret() Secret {
	if c.BigCommerceWebhookSecret != "" {
		return c.BigCommerceWebhookSecret
	}
	return c.WebhookSecret
}

// HeartlandSecret is the secret Heartland's hooks are registered with:
// HEARTLAND_WEBHOOK_SECRET, or the deprecated shared WEBHOOK_SECRET.
func (c ConnectionConfig) HeartlandSecret() Secret {
	if c.HeartlandWebhookSecret != "" {
		return c.HeartlandWebhookSecret
	}
	return c.WebhookSecret
}

// BigCommerceSecrets are the secrets the intake accepts on the store's
// webhooks: the current one, and the previous one while a rotation runs.
func (c ConnectionConfig) BigCommerceSecrets() []Secret {
	return nonEmpty(c.BigCommerceSecret(), c.BigCommerceWebhookSecretPrevious)
}

// HeartlandSecrets are the secrets the intake accepts on Heartland's
// webhooks: the current one, and the previous one while a rotation runs.
func (c ConnectionConfig) HeartlandSecrets() []Secret {
	return nonEmpty(c.HeartlandSecret(), c.HeartlandWebhookSecretPrevious)
}

// UsesSharedWebhookSecret reports whether a platform of the connection
// still authenticates with the deprecated WEBHOOK_SECRET.
func (c ConnectionConfig) UsesSharedWebhookSecret() bool {
	return c.WebhookSecret != "" && (c.BigCommerceWebhookSecret == "" || c.HeartlandWebhookSecret == "")
}

func nonEmpty(secrets ...Secret) []Secret {
	var out []Secret
	for _, s := range secrets {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// validateWebhookSecrets checks the connection's webhook secrets: each set
// one long enough and not blank, each platform with a secret, the two
// platforms' secrets different unless both come from the deprecated shared
// variable, and that variable not left behind where nothing uses it. It
// never quotes a secret.
func (c ConnectionConfig) validateWebhookSecrets(i int) error {
	for _, s := range []struct {
		name  string
		value Secret
	}{
		{"BIGCOMMERCE_WEBHOOK_SECRET", c.BigCommerceWebhookSecret},
		{"BIGCOMMERCE_WEBHOOK_SECRET_PREVIOUS", c.BigCommerceWebhookSecretPrevious},
		{"HEARTLAND_WEBHOOK_SECRET", c.HeartlandWebhookSecret},
		{"HEARTLAND_WEBHOOK_SECRET_PREVIOUS", c.HeartlandWebhookSecretPrevious},
		{"WEBHOOK_SECRET", c.WebhookSecret},
	} {
		v := s.value.Reveal()
		switch {
		case v == "":
		case strings.TrimSpace(v) == "":
			return &ConfigError{connVar(i, s.name), "must not be blank (it is only spaces)"}
		case strings.TrimSpace(v) != v:
			return &ConfigError{connVar(i, s.name), "starts or ends with a space or line break; a pasted secret never does"}
		case len(v) < minWebhookSecret:
			return &ConfigError{connVar(i, s.name), fmt.Sprintf("must be at least %d characters", minWebhookSecret)}
		}
	}
	if c.BigCommerceSecret() == "" {
		return &ConfigError{connVar(i, "BIGCOMMERCE_WEBHOOK_SECRET"), fmt.Sprintf(
			"must be set (at least %d characters; the store's webhooks carry it), as must HEARTLAND_WEBHOOK_SECRET", minWebhookSecret)}
	}
	if c.HeartlandSecret() == "" {
		return &ConfigError{connVar(i, "HEARTLAND_WEBHOOK_SECRET"), fmt.Sprintf(
			"must be set (at least %d characters; Heartland's webhooks carry it), another secret than BIGCOMMERCE_WEBHOOK_SECRET", minWebhookSecret)}
	}
	if c.WebhookSecret != "" && !c.UsesSharedWebhookSecret() {
		return &ConfigError{connVar(i, "WEBHOOK_SECRET"),
			"is not used once BIGCOMMERCE_WEBHOOK_SECRET and HEARTLAND_WEBHOOK_SECRET are both set: while hooks move to them, " +
				"give it as BIGCOMMERCE_WEBHOOK_SECRET_PREVIOUS and HEARTLAND_WEBHOOK_SECRET_PREVIOUS, then remove it"}
	}
	if c.BigCommerceSecret() == c.HeartlandSecret() && (c.BigCommerceWebhookSecret != "" || c.HeartlandWebhookSecret != "") {
		return &ConfigError{connVar(i, "HEARTLAND_WEBHOOK_SECRET"),
			"must differ from the BigCommerce webhook secret: Heartland keeps its secret in a URL, which must not open the store's door"}
	}
	return nil
}
