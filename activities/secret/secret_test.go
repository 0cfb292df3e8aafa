package secret

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretNeverPrints(t *testing.T) {
	const raw = "tok-0123456789"
	s := Secret(raw)
	v := struct{ Token Secret }{s}
	var out []string
	for _, f := range []string{"%v", "%s", "%+v", "%#v"} {
		out = append(out, fmt.Sprintf(f, s), fmt.Sprintf(f, v))
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(b))
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("cfg", "token", s, "v", v)
	out = append(out, logged.String())
	for _, o := range out {
		if strings.Contains(o, raw) {
			t.Errorf("secret leaked: %s", o)
		}
		if !strings.Contains(o, Mask) {
			t.Errorf("mask missing: %s", o)
		}
	}
	if s.Reveal() != raw {
		t.Errorf("Reveal = %q", s.Reveal())
	}
}
