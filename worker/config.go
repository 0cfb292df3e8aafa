package worker

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is the configuration of cmd/worker, read from environment
// variables. Every field names its variable in the env tag.
type Config struct {
	// TemporalAddress is the host:port of a Temporal frontend; empty starts
	// the embedded development server.
	TemporalAddress string `env:"TEMPORAL_ADDRESS"`
	// Namespace is the Temporal namespace workflows run in.
	Namespace string `env:"TEMPORAL_NAMESPACE" envDefault:"default"`
	// TaskQueue is the queue this worker polls.
	TaskQueue string `env:"HRBC_TASK_QUEUE" envDefault:"hrbc"`
	// HTTPAddr is where the webhook and app-callback intake listens.
	HTTPAddr string `env:"HRBC_HTTP_ADDR" envDefault:"127.0.0.1:8080"`
	// PublicURL is where BigCommerce and Heartland reach the intake (the
	// base of the webhook URLs hrbc registers). Empty registers no
	// webhooks, except in the embedded default, which uses HTTPAddr.
	PublicURL string `env:"HRBC_PUBLIC_URL"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `env:"HRBC_LOG_LEVEL" envDefault:"info"`
	// LogFormat is console (human) or json.
	LogFormat string `env:"HRBC_LOG_FORMAT" envDefault:"console"`
	// MaxConcurrentActivities bounds activities running at once in this worker.
	MaxConcurrentActivities int `env:"HRBC_MAX_CONCURRENT_ACTIVITIES" envDefault:"50"`
	// ShutdownTimeout is how long running activities get to finish on stop.
	ShutdownTimeout time.Duration `env:"HRBC_SHUTDOWN_TIMEOUT" envDefault:"10s"`

	// DevDatabase is the embedded server's SQLite file.
	DevDatabase string `env:"HRBC_DEV_DB" envDefault:".hrbc/temporal.db"`
	// DevIP is the address the embedded server, its UI and the sandbox fakes bind to.
	DevIP string `env:"HRBC_DEV_IP" envDefault:"127.0.0.1"`
	// DevFrontendPort is the embedded server's gRPC port.
	DevFrontendPort int `env:"HRBC_DEV_FRONTEND_PORT" envDefault:"7233"`
	// DevUIPort is the embedded Web UI's port; -1 turns the UI off.
	DevUIPort int `env:"HRBC_DEV_UI_PORT" envDefault:"8233"`
	// SandboxBigCommercePort is where the fake BigCommerce store listens in
	// dev mode when no connection is configured.
	SandboxBigCommercePort int `env:"HRBC_SANDBOX_BIGCOMMERCE_PORT" envDefault:"8234"`
	// SandboxHeartlandPort is where the fake Heartland account listens.
	SandboxHeartlandPort int `env:"HRBC_SANDBOX_HEARTLAND_PORT" envDefault:"8235"`

	// Connections are the statically configured connections, read from
	// HRBC_CONNECTION_0_*, HRBC_CONNECTION_1_* and so on.
	Connections []ConnectionConfig `envPrefix:"HRBC_CONNECTION_"`
}

// ConnectionConfig holds one connection's credentials. Settings live in the
// connection's workflow; only what must stay out of workflow history is here.
type ConnectionConfig struct {
	// ID names the connection (letters, digits, '-' and '_').
	ID string `env:"ID"`
	// HeartlandSubdomain gives https://{subdomain}.retail.heartland.us/api/.
	HeartlandSubdomain string `env:"HEARTLAND_SUBDOMAIN"`
	// HeartlandURL overrides the base URL built from the subdomain.
	HeartlandURL string `env:"HEARTLAND_URL"`
	// HeartlandToken is the Heartland API token.
	HeartlandToken Secret `env:"HEARTLAND_TOKEN"`
	// BigCommerceStoreHash gives https://api.bigcommerce.com/stores/{hash}.
	BigCommerceStoreHash string `env:"BIGCOMMERCE_STORE_HASH"`
	// BigCommerceURL overrides the base URL built from the store hash.
	BigCommerceURL string `env:"BIGCOMMERCE_URL"`
	// BigCommerceToken is the store-level API account's access token.
	BigCommerceToken Secret `env:"BIGCOMMERCE_TOKEN"`
	// WebhookSecret authenticates webhooks from both platforms to the HTTP
	// intake: BigCommerce sends it in a header, Heartland in the URL query.
	WebhookSecret Secret `env:"WEBHOOK_SECRET"`
	// HeartlandRPS paces calls to the Heartland account (requests per
	// second). Heartland publishes no limit and parallel writes have been
	// seen throttled, so the default is conservative; 0 keeps it, a negative
	// value turns pacing off.
	HeartlandRPS float64 `env:"HEARTLAND_RPS" envDefault:"5"`
	// HeartlandPageSize is how many rows one Heartland list call asks for.
	// Heartland's maximum is unpublished; integrators read 500 to 5000 rows
	// a page, and a server that answers fewer is still walked correctly.
	// 0 means DefaultHeartlandPageSize.
	HeartlandPageSize int `env:"HEARTLAND_PAGE_SIZE" envDefault:"1000"`
	// HeartlandCreateOrdersOpen creates sales orders open in one call
	// instead of creating and then releasing them (UNCONFIRMED that
	// Heartland honours a status on create, so off by default).
	HeartlandCreateOrdersOpen bool `env:"HEARTLAND_CREATE_ORDERS_OPEN"`
}

// DefaultHeartlandPageSize is the Heartland page size of a connection that
// sets none: analyzer integrations read 1000 rows a page.
const DefaultHeartlandPageSize = 1000

// HeartlandBaseURL is the Heartland API root of this connection.
func (c ConnectionConfig) HeartlandBaseURL() string {
	if c.HeartlandURL != "" {
		return c.HeartlandURL
	}
	return "https://" + c.HeartlandSubdomain + ".retail.heartland.us/api/"
}

// BigCommerceBaseURL is the BigCommerce API root of this connection.
func (c ConnectionConfig) BigCommerceBaseURL() string {
	if c.BigCommerceURL != "" {
		return c.BigCommerceURL
	}
	return "https://api.bigcommerce.com/stores/" + c.BigCommerceStoreHash
}

// Embedded reports whether the worker starts its own Temporal server.
func (c Config) Embedded() bool { return c.TemporalAddress == "" }

// WebhookBaseURL is the base of the webhook URLs hrbc registers: the public
// URL, or in the embedded default the local intake (the sandbox fakes post
// to it on loopback).
func (c Config) WebhookBaseURL() string {
	if c.PublicURL != "" || !c.Embedded() {
		return c.PublicURL
	}
	return "http://" + c.HTTPAddr
}

// ConfigError names the environment variable whose value is unusable.
type ConfigError struct {
	// Variable is the environment variable's name.
	Variable string
	// Problem says what is wrong with its value (never the value of a secret).
	Problem string
}

func (e *ConfigError) Error() string { return e.Variable + ": " + e.Problem }

// LoadConfig reads Config from environ (KEY=value pairs, as os.Environ
// returns) and validates it.
func LoadConfig(environ []string) (Config, error) {
	var cfg Config
	if err := env.ParseWithOptions(&cfg, env.Options{Environment: env.ToMap(environ)}); err != nil {
		return Config{}, explainParseError(reflect.TypeOf(cfg), environ, err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// explainParseError turns env's field-named parse errors into ones that name
// the variable a person has to fix.
func explainParseError(t reflect.Type, environ []string, err error) error {
	var pe env.ParseError
	if errors.As(err, &pe) {
		problem := fmt.Sprintf("not a valid %s", describeKind(pe.Type))
		if f, ok := t.FieldByName(pe.Name); ok {
			return &ConfigError{Variable: f.Tag.Get("env"), Problem: problem}
		}
		// env names only the field of a connection, not which connection:
		// the variable is the one whose value does not parse.
		if f, ok := reflect.TypeOf(ConnectionConfig{}).FieldByName(pe.Name); ok {
			suffix := "_" + f.Tag.Get("env")
			for _, kv := range environ {
				name, value, _ := strings.Cut(kv, "=")
				if strings.HasPrefix(name, "HRBC_CONNECTION_") && strings.HasSuffix(name, suffix) && !parses(value, pe.Type) {
					return &ConfigError{Variable: name, Problem: problem}
				}
			}
		}
	}
	return fmt.Errorf("configuration: %w", err)
}

// parses reports whether value is a valid number or boolean of kind t
// (other kinds always parse).
func parses(value string, t reflect.Type) bool {
	var err error
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		_, err = strconv.ParseInt(value, 10, 64)
	case reflect.Float64:
		_, err = strconv.ParseFloat(value, 64)
	case reflect.Bool:
		_, err = strconv.ParseBool(value)
	}
	return err == nil
}

func describeKind(t reflect.Type) string {
	if t == reflect.TypeOf(time.Duration(0)) {
		return "duration (for example 10s)"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return "whole number"
	case reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	}
	return t.String()
}

var connectionIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`)

// Validate reports the first unusable setting, naming its variable.
func (c Config) Validate() error {
	if c.TemporalAddress != "" {
		if _, _, err := net.SplitHostPort(c.TemporalAddress); err != nil {
			return &ConfigError{"TEMPORAL_ADDRESS", "must be host:port"}
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return &ConfigError{"HRBC_HTTP_ADDR", "must be host:port"}
	}
	if c.PublicURL != "" {
		if err := checkURL(c.PublicURL); err != nil {
			return &ConfigError{"HRBC_PUBLIC_URL", err.Error()}
		}
	}
	for _, v := range []struct{ name, value string }{
		{"TEMPORAL_NAMESPACE", c.Namespace}, {"HRBC_TASK_QUEUE", c.TaskQueue}, {"HRBC_DEV_DB", c.DevDatabase},
	} {
		if strings.TrimSpace(v.value) == "" {
			return &ConfigError{v.name, "must not be empty"}
		}
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return &ConfigError{"HRBC_LOG_LEVEL", err.Error()}
	}
	if c.LogFormat != "console" && c.LogFormat != "json" {
		return &ConfigError{"HRBC_LOG_FORMAT", fmt.Sprintf("%q is not console or json", c.LogFormat)}
	}
	if c.MaxConcurrentActivities < 1 {
		return &ConfigError{"HRBC_MAX_CONCURRENT_ACTIVITIES", "must be at least 1"}
	}
	if c.ShutdownTimeout < 0 {
		return &ConfigError{"HRBC_SHUTDOWN_TIMEOUT", "must not be negative"}
	}
	if net.ParseIP(c.DevIP) == nil {
		return &ConfigError{"HRBC_DEV_IP", "must be an IP address"}
	}
	for _, p := range []struct {
		name string
		port int
		min  int // 0 asks for any free port; -1 turns the UI off
	}{
		{"HRBC_DEV_FRONTEND_PORT", c.DevFrontendPort, 0},
		{"HRBC_DEV_UI_PORT", c.DevUIPort, -1},
		{"HRBC_SANDBOX_BIGCOMMERCE_PORT", c.SandboxBigCommercePort, 0},
		{"HRBC_SANDBOX_HEARTLAND_PORT", c.SandboxHeartlandPort, 0},
	} {
		if p.port < p.min || p.port > 65535 {
			return &ConfigError{p.name, fmt.Sprintf("must be a port from %d to 65535", p.min)}
		}
	}
	seen := map[string]bool{}
	for i, conn := range c.Connections {
		if err := conn.validate(i); err != nil {
			return err
		}
		if seen[conn.ID] {
			return &ConfigError{connVar(i, "ID"), fmt.Sprintf("connection %q is defined twice", conn.ID)}
		}
		seen[conn.ID] = true
	}
	return nil
}

func connVar(i int, name string) string {
	return "HRBC_CONNECTION_" + strconv.Itoa(i) + "_" + name
}

func (c ConnectionConfig) validate(i int) error {
	if !connectionIDPattern.MatchString(c.ID) {
		return &ConfigError{connVar(i, "ID"), "must be 1-63 letters, digits, '-' or '_'"}
	}
	if c.HeartlandURL == "" && c.HeartlandSubdomain == "" {
		return &ConfigError{connVar(i, "HEARTLAND_SUBDOMAIN"), "set it or HEARTLAND_URL"}
	}
	if c.HeartlandURL != "" {
		if err := checkURL(c.HeartlandURL); err != nil {
			return &ConfigError{connVar(i, "HEARTLAND_URL"), err.Error()}
		}
	}
	if c.HeartlandToken == "" {
		return &ConfigError{connVar(i, "HEARTLAND_TOKEN"), "must not be empty"}
	}
	if c.BigCommerceURL == "" && c.BigCommerceStoreHash == "" {
		return &ConfigError{connVar(i, "BIGCOMMERCE_STORE_HASH"), "set it or BIGCOMMERCE_URL"}
	}
	if c.BigCommerceURL != "" {
		if err := checkURL(c.BigCommerceURL); err != nil {
			return &ConfigError{connVar(i, "BIGCOMMERCE_URL"), err.Error()}
		}
	}
	if c.BigCommerceToken == "" {
		return &ConfigError{connVar(i, "BIGCOMMERCE_TOKEN"), "must not be empty"}
	}
	if len(c.WebhookSecret) < 16 {
		return &ConfigError{connVar(i, "WEBHOOK_SECRET"), "must be at least 16 characters"}
	}
	if c.HeartlandPageSize < 0 || c.HeartlandPageSize > 10000 {
		return &ConfigError{connVar(i, "HEARTLAND_PAGE_SIZE"), "must be from 1 to 10000 (0: the default)"}
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an absolute http(s) URL")
	}
	return nil
}
