package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/worker/logging"
)

// validConnection is a complete static connection definition at index 0.
var validConnection = []string{
	"HRBC_CONNECTION_0_ID=acme",
	"HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN=acme",
	"HRBC_CONNECTION_0_HEARTLAND_TOKEN=hl-secret-token",
	"HRBC_CONNECTION_0_BIGCOMMERCE_STORE_HASH=abc123",
	"HRBC_CONNECTION_0_BIGCOMMERCE_TOKEN=bc-secret-token",
	"HRBC_CONNECTION_0_WEBHOOK_SECRET=hook-secret-0123456789",
}

func TestLoadConfigDefaults(t *testing.T) {
	cfg, err := LoadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Embedded() || cfg.Namespace != "default" || cfg.TaskQueue != "hrbc" ||
		cfg.DevFrontendPort != 7233 || cfg.DevUIPort != 8233 || cfg.DevDatabase != ".hrbc/temporal.db" ||
		cfg.ShutdownTimeout != 10*time.Second || len(cfg.Connections) != 0 {
		t.Errorf("defaults = %+v", cfg)
	}
}

func TestLoadConfigConnections(t *testing.T) {
	environ := append([]string{
		"TEMPORAL_ADDRESS=temporal.internal:7233",
		"HRBC_CONNECTION_1_ID=second",
		"HRBC_CONNECTION_1_HEARTLAND_URL=http://127.0.0.1:9000/api/",
		"HRBC_CONNECTION_1_HEARTLAND_TOKEN=t1",
		"HRBC_CONNECTION_1_BIGCOMMERCE_URL=http://127.0.0.1:9001/stores/x",
		"HRBC_CONNECTION_1_BIGCOMMERCE_TOKEN=t2",
		"HRBC_CONNECTION_1_WEBHOOK_SECRET=0123456789abcdef",
		"HRBC_CONNECTION_1_HEARTLAND_RPS=12.5",
		"HRBC_CONNECTION_1_HEARTLAND_BURST=1",
		"HRBC_CONNECTION_1_HEARTLAND_PAGE_SIZE=250",
		"HRBC_CONNECTION_1_HEARTLAND_CREATE_ORDERS_OPEN=true",
	}, validConnection...)
	cfg, err := LoadConfig(environ)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Embedded() || len(cfg.Connections) != 2 {
		t.Fatalf("config = %+v", cfg)
	}
	acme, second := cfg.Connections[0], cfg.Connections[1]
	if acme.HeartlandBaseURL() != "https://acme.retail.heartland.us/api/" ||
		acme.BigCommerceBaseURL() != "https://api.bigcommerce.com/stores/abc123" ||
		acme.HeartlandToken.Reveal() != "hl-secret-token" {
		t.Errorf("acme = %+v", acme)
	}
	if second.HeartlandBaseURL() != "http://127.0.0.1:9000/api/" || second.BigCommerceBaseURL() != "http://127.0.0.1:9001/stores/x" {
		t.Errorf("second = %+v", second)
	}
	if acme.HeartlandRPS != 5 || acme.HeartlandPageSize != DefaultHeartlandPageSize || second.HeartlandRPS != 12.5 || second.HeartlandPageSize != 250 ||
		acme.HeartlandBurst != DefaultHeartlandBurst || second.HeartlandBurst != 1 ||
		acme.HeartlandCreateOrdersOpen || !second.HeartlandCreateOrdersOpen {
		t.Errorf("heartland pacing: acme %v rps %d rows, second %v rps %d rows", acme.HeartlandRPS, acme.HeartlandPageSize, second.HeartlandRPS, second.HeartlandPageSize)
	}
}

func TestLoadConfigRejectsInvalidValues(t *testing.T) {
	without := func(prefix string) []string {
		var out []string
		for _, kv := range validConnection {
			if !strings.HasPrefix(kv, prefix+"=") {
				out = append(out, kv)
			}
		}
		return out
	}
	cases := []struct {
		name    string
		environ []string
		varName string
	}{
		{"temporal address without port", []string{"TEMPORAL_ADDRESS=temporal"}, "TEMPORAL_ADDRESS"},
		{"empty namespace", []string{"TEMPORAL_NAMESPACE= "}, "TEMPORAL_NAMESPACE"},
		{"empty task queue", []string{"HRBC_TASK_QUEUE= "}, "HRBC_TASK_QUEUE"},
		{"http addr", []string{"HRBC_HTTP_ADDR=8080"}, "HRBC_HTTP_ADDR"},
		{"metrics addr", []string{"HRBC_METRICS_ADDR=9464"}, "HRBC_METRICS_ADDR"},
		{"pprof without a metrics addr", []string{"HRBC_PPROF=true"}, "HRBC_PPROF"},
		{"pprof not a boolean", []string{"HRBC_METRICS_ADDR=127.0.0.1:9464", "HRBC_PPROF=please"}, "HRBC_PPROF"},
		{"public url", []string{"HRBC_PUBLIC_URL=hrbc.example.com"}, "HRBC_PUBLIC_URL"},
		{"public url not https for a real store", append(validConnection, "HRBC_PUBLIC_URL=http://hrbc.example.com"), "HRBC_PUBLIC_URL"},
		{"public url not on 443", append(validConnection, "HRBC_PUBLIC_URL=https://hrbc.example.com:8443"), "HRBC_PUBLIC_URL"},
		{"log level", []string{"HRBC_LOG_LEVEL=loud"}, "HRBC_LOG_LEVEL"},
		{"log format", []string{"HRBC_LOG_FORMAT=xml"}, "HRBC_LOG_FORMAT"},
		{"activities not a number", []string{"HRBC_MAX_CONCURRENT_ACTIVITIES=many"}, "HRBC_MAX_CONCURRENT_ACTIVITIES"},
		{"activities zero", []string{"HRBC_MAX_CONCURRENT_ACTIVITIES=0"}, "HRBC_MAX_CONCURRENT_ACTIVITIES"},
		{"pollers zero", []string{"HRBC_TASK_POLLERS=0"}, "HRBC_TASK_POLLERS"},
		{"shutdown timeout", []string{"HRBC_SHUTDOWN_TIMEOUT=soon"}, "HRBC_SHUTDOWN_TIMEOUT"},
		{"negative shutdown timeout", []string{"HRBC_SHUTDOWN_TIMEOUT=-1s"}, "HRBC_SHUTDOWN_TIMEOUT"},
		{"blank dev db", []string{"HRBC_DEV_DB= "}, "HRBC_DEV_DB"},
		{"dev ip", []string{"HRBC_DEV_IP=localhost"}, "HRBC_DEV_IP"},
		{"frontend port text", []string{"HRBC_DEV_FRONTEND_PORT=x"}, "HRBC_DEV_FRONTEND_PORT"},
		{"frontend port range", []string{"HRBC_DEV_FRONTEND_PORT=70000"}, "HRBC_DEV_FRONTEND_PORT"},
		{"frontend port off", []string{"HRBC_DEV_FRONTEND_PORT=-1"}, "HRBC_DEV_FRONTEND_PORT"},
		{"ui port", []string{"HRBC_DEV_UI_PORT=-2"}, "HRBC_DEV_UI_PORT"},
		{"sandbox bigcommerce port", []string{"HRBC_SANDBOX_BIGCOMMERCE_PORT=65536"}, "HRBC_SANDBOX_BIGCOMMERCE_PORT"},
		{"sandbox heartland port", []string{"HRBC_SANDBOX_HEARTLAND_PORT=-5"}, "HRBC_SANDBOX_HEARTLAND_PORT"},
		{"connection id", append(without("HRBC_CONNECTION_0_ID"), "HRBC_CONNECTION_0_ID=a b"), "HRBC_CONNECTION_0_ID"},
		{"connection id missing", without("HRBC_CONNECTION_0_ID"), "HRBC_CONNECTION_0_ID"},
		{"heartland subdomain missing", without("HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN"), "HRBC_CONNECTION_0_HEARTLAND_SUBDOMAIN"},
		{"heartland url", append(validConnection, "HRBC_CONNECTION_0_HEARTLAND_URL=ftp://x"), "HRBC_CONNECTION_0_HEARTLAND_URL"},
		{"heartland token missing", without("HRBC_CONNECTION_0_HEARTLAND_TOKEN"), "HRBC_CONNECTION_0_HEARTLAND_TOKEN"},
		{"store hash missing", without("HRBC_CONNECTION_0_BIGCOMMERCE_STORE_HASH"), "HRBC_CONNECTION_0_BIGCOMMERCE_STORE_HASH"},
		{"bigcommerce url", append(validConnection, "HRBC_CONNECTION_0_BIGCOMMERCE_URL=not a url"), "HRBC_CONNECTION_0_BIGCOMMERCE_URL"},
		{"bigcommerce token missing", without("HRBC_CONNECTION_0_BIGCOMMERCE_TOKEN"), "HRBC_CONNECTION_0_BIGCOMMERCE_TOKEN"},
		{"webhook secret missing", without("HRBC_CONNECTION_0_WEBHOOK_SECRET"), "HRBC_CONNECTION_0_BIGCOMMERCE_WEBHOOK_SECRET"},
		{"webhook secret short", append(without("HRBC_CONNECTION_0_WEBHOOK_SECRET"), "HRBC_CONNECTION_0_WEBHOOK_SECRET=short"), "HRBC_CONNECTION_0_WEBHOOK_SECRET"},
		{"heartland page size", append(validConnection, "HRBC_CONNECTION_0_HEARTLAND_PAGE_SIZE=20000"), "HRBC_CONNECTION_0_HEARTLAND_PAGE_SIZE"},
		{"heartland page size text", append(validConnection, "HRBC_CONNECTION_0_HEARTLAND_PAGE_SIZE=big"), "HRBC_CONNECTION_0_HEARTLAND_PAGE_SIZE"},
		{"create orders open text", append(validConnection, "HRBC_CONNECTION_0_HEARTLAND_CREATE_ORDERS_OPEN=maybe"), "HRBC_CONNECTION_0_HEARTLAND_CREATE_ORDERS_OPEN"},
		{"heartland rps text", append(validConnection, "HRBC_CONNECTION_0_HEARTLAND_RPS=fast"), "HRBC_CONNECTION_0_HEARTLAND_RPS"},
		{"duplicate connection", append(append([]string{}, validConnection...),
			"HRBC_CONNECTION_1_ID=acme", "HRBC_CONNECTION_1_HEARTLAND_SUBDOMAIN=a", "HRBC_CONNECTION_1_HEARTLAND_TOKEN=t",
			"HRBC_CONNECTION_1_BIGCOMMERCE_STORE_HASH=h", "HRBC_CONNECTION_1_BIGCOMMERCE_TOKEN=t",
			"HRBC_CONNECTION_1_WEBHOOK_SECRET=0123456789abcdef"), "HRBC_CONNECTION_1_ID"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := loadRefused(t, tc.environ, tc.varName)
			if !strings.HasPrefix(err.Error(), tc.varName+": ") {
				t.Errorf("message %q does not start with the variable", err)
			}
			for _, secret := range []string{"hl-secret-token", "bc-secret-token"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("message leaks a secret: %q", err)
				}
			}
		})
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	cfg, err := LoadConfig(validConnection)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%v %+v %#v %s\n", cfg, cfg, cfg, cfg.Connections[0].BigCommerceToken)
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	buf.Write(b)
	for _, format := range []string{"json", "console"} {
		logger, zl, err := logging.NewLogger(&buf, "debug", format)
		if err != nil {
			t.Fatal(err)
		}
		logger.Debug("config", "cfg", cfg, "token", cfg.Connections[0].HeartlandToken, "conn", cfg.Connections[0])
		_ = zl.Sync()
	}
	for _, secret := range []string{"hl-secret-token", "bc-secret-token", "hook-secret-0123456789"} {
		if strings.Contains(buf.String(), secret) {
			t.Fatalf("secret %q printed in:\n%s", secret, buf.String())
		}
	}
	if !strings.Contains(buf.String(), mask) {
		t.Error("mask missing: the test printed nothing of the secret fields")
	}
}

// A connection to a real store needs an https public URL on port 443 (the
// only kind BigCommerce delivers to); loopback stays open to tests.
func TestPublicURLForRealStores(t *testing.T) {
	for _, u := range []string{"https://hrbc.example.com", "https://hrbc.example.com:443/", "http://127.0.0.1:8080", "http://localhost:9999"} {
		if _, err := LoadConfig(append(append([]string{}, validConnection...), "HRBC_PUBLIC_URL="+u)); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	if _, err := LoadConfig([]string{"HRBC_PUBLIC_URL=http://hrbc.example.com"}); err != nil {
		t.Errorf("sandbox with an http public URL: %v", err)
	}
}
