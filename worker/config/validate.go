package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/hrbc/hrbc/worker/logging"
)

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
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return &ConfigError{"HRBC_METRICS_ADDR", "must be host:port (or empty for no metrics)"}
		}
	} else if c.Pprof {
		return &ConfigError{"HRBC_PPROF", "is served on HRBC_METRICS_ADDR: set that too"}
	}
	if c.PublicURL != "" {
		if err := checkURL(c.PublicURL); err != nil {
			return &ConfigError{"HRBC_PUBLIC_URL", err.Error()}
		}
		if len(c.Connections) > 0 {
			if err := checkWebhookURL(c.PublicURL); err != nil {
				return &ConfigError{"HRBC_PUBLIC_URL", err.Error()}
			}
		}
	}
	for _, o := range c.CodecOrigins {
		if err := checkOrigin(o); err != nil {
			return &ConfigError{"HRBC_CODEC_ORIGINS", fmt.Sprintf("%q %s", o, err)}
		}
	}
	for _, v := range []struct{ name, value string }{
		{"TEMPORAL_NAMESPACE", c.Namespace}, {"HRBC_TASK_QUEUE", c.TaskQueue}, {"HRBC_DEV_DB", c.DevDatabase},
	} {
		if strings.TrimSpace(v.value) == "" {
			return &ConfigError{v.name, "must not be empty"}
		}
	}
	if _, err := logging.ParseLevel(c.LogLevel); err != nil {
		return &ConfigError{"HRBC_LOG_LEVEL", err.Error()}
	}
	if c.LogFormat != "console" && c.LogFormat != "json" {
		return &ConfigError{"HRBC_LOG_FORMAT", fmt.Sprintf("%q is not console or json", c.LogFormat)}
	}
	if c.MaxConcurrentActivities < 1 {
		return &ConfigError{"HRBC_MAX_CONCURRENT_ACTIVITIES", "must be at least 1"}
	}
	if c.TaskPollers < 1 || c.TaskPollers > 100 {
		return &ConfigError{"HRBC_TASK_POLLERS", fmt.Sprintf("%d is out of range: want 1 to 100", c.TaskPollers)}
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
	if err := c.validateApp(); err != nil {
		return err
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
	if err := c.validateFormats(i); err != nil {
		return err
	}
	if err := c.validateWebhookSecrets(i); err != nil {
		return err
	}
	if c.HeartlandPageSize < 0 || c.HeartlandPageSize > 10000 {
		return &ConfigError{connVar(i, "HEARTLAND_PAGE_SIZE"), "must be from 1 to 10000 (0: the default)"}
	}
	if s := c.HeartlandCancelStatus; s != "" && !cancelStatusPattern.MatchString(s) {
		return &ConfigError{connVar(i, "HEARTLAND_CANCEL_STATUS"), fmt.Sprintf(
			"%q is not a status: want letters, '_' and '-' only, as Heartland spells statuses (e.g. cancelled)", s)}
	}
	return nil
}

// cancelStatusPattern is the shape of a Heartland status word.
var cancelStatusPattern = regexp.MustCompile(`^[a-z][a-z_-]{0,39}$`)

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an absolute http(s) URL")
	}
	return nil
}

// checkWebhookURL refuses a public URL real stores cannot deliver to:
// BigCommerce sends webhooks only to https on port 443. A loopback address
// (a test, or a tunnel's local end) is allowed over http: no store reaches
// it anyway, and the platforms' fakes do.
func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
		return nil
	}
	if u.Scheme != "https" {
		return fmt.Errorf("%q must be https: BigCommerce delivers webhooks only to https on port 443 (put TLS in front of the intake, see deployments/README.md)", raw)
	}
	if p := u.Port(); p != "" && p != "443" {
		return fmt.Errorf("%q uses port %s: BigCommerce delivers webhooks only to https on port 443", raw, p)
	}
	return nil
}

// checkOrigin accepts a browser origin as CORS compares it: scheme and
// host (and port), nothing after.
func checkOrigin(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "/") {
		return errors.New("is not an origin: want scheme://host[:port] as the browser shows it, e.g. http://127.0.0.1:8233")
	}
	return nil
}
