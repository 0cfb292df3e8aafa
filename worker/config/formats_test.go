package config

import (
	"errors"
	"strings"
	"testing"
)

// replace returns validConnection with one variable set to value.
func replace(name, value string) []string {
	out := []string{name + "=" + value}
	for _, kv := range validConnection {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestLoadConfigRefusesWrongFormats covers values that used to be
// accepted and then did harm: each is refused with a message naming the
// variable, the value (never a secret's) and the rule.
func TestLoadConfigRefusesWrongFormats(t *testing.T) {
	second := []string{
		"HRBC_CONNECTION_2_ID=third", "HRBC_CONNECTION_2_HEARTLAND_SUBDOMAIN=t", "HRBC_CONNECTION_2_HEARTLAND_TOKEN=t",
		"HRBC_CONNECTION_2_BIGCOMMERCE_STORE_HASH=h", "HRBC_CONNECTION_2_BIGCOMMERCE_TOKEN=t",
		"HRBC_CONNECTION_2_WEBHOOK_SECRET=0123456789abcdef",
	}
	cases := []struct {
		name    string
		environ []string
		varName string
		says    []string
	}{
		{"subdomain with a host", replace("HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN", "evil.com/x"),
			"HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN", []string{`"evil.com/x"`, "letters, digits and '-'"}},
		{"subdomain with a dot", replace("HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN", "a.b"),
			"HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN", []string{`"a.b"`}},
		{"subdomain with userinfo", replace("HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN", "x@evil"),
			"HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN", []string{`"x@evil"`}},
		{"store hash with a path", replace("HRBC_CONNECTION_0_BIGCOMMERCE_STORE_HASH", "abc/../x"),
			"HRBC_CONNECTION_0_BIGCOMMERCE_STORE_HASH", []string{`"abc/../x"`, "letters and digits"}},
		{"blank heartland token", replace("HRBC_CONNECTION_0_HEARTLAND_TOKEN", "   "),
			"HRBC_CONNECTION_0_HEARTLAND_TOKEN", []string{"blank"}},
		{"blank bigcommerce token", replace("HRBC_CONNECTION_0_BIGCOMMERCE_TOKEN", "\t"),
			"HRBC_CONNECTION_0_BIGCOMMERCE_TOKEN", []string{"blank"}},
		{"webhook secret of spaces", replace("HRBC_CONNECTION_0_WEBHOOK_SECRET", strings.Repeat(" ", 20)),
			"HRBC_CONNECTION_0_WEBHOOK_SECRET", []string{"blank"}},
		{"token with a line break", replace("HRBC_CONNECTION_0_HEARTLAND_TOKEN", "hl-secret-token\n"),
			"HRBC_CONNECTION_0_HEARTLAND_TOKEN", []string{"line break"}},
		{"NaN rate", replace("HRBC_CONNECTION_0_HEARTLAND_RPS", "NaN"),
			"HRBC_CONNECTION_0_HEARTLAND_RPS", []string{"NaN", "calls per second"}},
		{"infinite rate", replace("HRBC_CONNECTION_0_HEARTLAND_RPS", "+Inf"),
			"HRBC_CONNECTION_0_HEARTLAND_RPS", []string{"Inf"}},
		{"negative burst", replace("HRBC_CONNECTION_0_HEARTLAND_BURST", "-2"),
			"HRBC_CONNECTION_0_HEARTLAND_BURST", []string{"-2", "1 to 50"}},
		{"flood burst", replace("HRBC_CONNECTION_0_HEARTLAND_BURST", "500"),
			"HRBC_CONNECTION_0_HEARTLAND_BURST", []string{"500", "1 to 50"}},
		{"id with dots and slash", replace("HRBC_CONNECTION_0_ID", "../evil"),
			"HRBC_CONNECTION_0_ID", []string{"letters, digits"}},
		{"id with a slash", replace("HRBC_CONNECTION_0_ID", "a/b"),
			"HRBC_CONNECTION_0_ID", []string{"letters, digits"}},
		{"gap in numbering", append(append([]string{}, validConnection...), second...),
			"HRBC_CONNECTION_2_ID", []string{"connection 2 is configured but connection 1 is not"}},
		{"numbering from 1", []string{"HRBC_CONNECTION_1_ID=x"},
			"HRBC_CONNECTION_1_ID", []string{"connection 0 is not"}},
		{"name instead of number", append(append([]string{}, validConnection...), "HRBC_CONNECTION_ACME_ID=acme"),
			"HRBC_CONNECTION_ACME_ID", []string{`"ACME" is not a connection number`}},
		{"leading zero", append(append([]string{}, validConnection...), "HRBC_CONNECTION_01_ID=x"),
			"HRBC_CONNECTION_01_ID", []string{`"01"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := loadRefused(t, tc.environ, tc.varName)
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q does not say %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "hl-secret-token") {
				t.Errorf("message leaks a secret: %q", err)
			}
		})
	}
}

// TestLoadConfigAcceptsGoodFormats keeps the rules from refusing real
// values: a hyphenated subdomain, an uppercase store hash, no pacing.
func TestLoadConfigAcceptsGoodFormats(t *testing.T) {
	environ := replace("HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN", "acme-outdoor")
	environ = append(environ, "HRBC_CONNECTION_0_HEARTLAND_RPS=-1")
	cfg, err := LoadConfig(environ)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Connections[0].HeartlandBaseURL(); got != "https://acme-outdoor.retail.heartland.us/api/" {
		t.Errorf("base URL = %s", got)
	}
}

// loadRefused loads environ and fails the test unless it is refused with a
// ConfigError naming varName; it returns that error.
func loadRefused(t *testing.T, environ []string, varName string) error {
	t.Helper()
	_, err := LoadConfig(environ)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Variable != varName {
		t.Fatalf("LoadConfig error = %v, want one naming %s", err, varName)
	}
	return err
}
