package config

import (
	"strings"
	"testing"
)

// The cancel status is optional (hrbc learns it from the account); when
// set it is one lower-case word, refused otherwise with the variable named.
func TestHeartlandCancelStatus(t *testing.T) {
	cfg, err := LoadConfig(validConnection)
	if err != nil || cfg.Connections[0].HeartlandCancelStatus != "" {
		t.Fatalf("unset: %q %v", cfg.Connections[0].HeartlandCancelStatus, err)
	}
	cfg, err = LoadConfig(append(validConnection, "HRBC_CONNECTION_0_HEARTLAND_CANCEL_STATUS=cancelled"))
	if err != nil || cfg.Connections[0].HeartlandCancelStatus != "cancelled" {
		t.Fatalf("set: %q %v", cfg.Connections[0].HeartlandCancelStatus, err)
	}
	for _, bad := range []string{"Cancelled", "can celled", "void!", strings.Repeat("x", 41)} {
		_, err := LoadConfig(append(validConnection, "HRBC_CONNECTION_0_HEARTLAND_CANCEL_STATUS="+bad))
		if err == nil || !strings.Contains(err.Error(), "HRBC_CONNECTION_0_HEARTLAND_CANCEL_STATUS") {
			t.Errorf("%q: %v, want a refusal naming the variable", bad, err)
		}
	}
}
