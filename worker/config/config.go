// Package config reads and validates cmd/worker's configuration from
// environment variables: the process settings, each connection's
// credentials, and the Secret type that keeps those credentials out of
// logs. It knows nothing of Temporal, the APIs or the process; it imports
// only the standard library, the env parser and worker/logging (to accept
// exactly the log levels the logger accepts).
package config

import (
	"time"
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
	// MetricsAddr is where the Prometheus endpoint (/metrics) listens;
	// empty serves none. It is a listener of its own, not the intake's:
	// the intake faces the internet, the metrics only the operator's
	// Prometheus.
	MetricsAddr string `env:"HRBC_METRICS_ADDR"`
	// Pprof serves Go's /debug/pprof/ beside /metrics on MetricsAddr, to
	// see where a worker's CPU and memory go. Off by default: a profile
	// costs the worker while it is taken, and the endpoint shows internals.
	Pprof bool `env:"HRBC_PPROF"`
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
	// TaskPollers is how many long polls this worker keeps open on its task
	// queue, for workflow tasks and again for activity tasks. The SDK's
	// default of 2 held a busy cluster's orders back by minutes (bench
	// cluster --stores); each poll is one idle gRPC call.
	TaskPollers int `env:"HRBC_TASK_POLLERS" envDefault:"10"`
	// ShutdownTimeout is how long running activities get to finish on stop.
	ShutdownTimeout time.Duration `env:"HRBC_SHUTDOWN_TIMEOUT" envDefault:"10s"`
	// PayloadKeys is the key ring every payload is encrypted with
	// ("id=base64key,..."; see starter/codec). The sandbox generates one
	// beside its state when it is empty; any other setup refuses to start.
	PayloadKeys Secret `env:"HRBC_PAYLOAD_KEYS"`
	// CodecToken authorizes calls to the codec server (/codec/...) the Web
	// UI decrypts through; empty in the embedded default generates one.
	CodecToken Secret `env:"HRBC_CODEC_TOKEN"`
	// CodecOrigins are the browser origins (scheme://host:port) of Web UIs
	// served elsewhere, such as deployments/compose.yaml's, that CORS lets
	// call the codec server; the embedded UI is always allowed.
	CodecOrigins []string `env:"HRBC_CODEC_ORIGINS" envSeparator:","`

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
	// SandboxInstall leaves the sandbox's demo connection to the app
	// install (`starter sandbox install`) instead of creating it from the
	// environment at start.
	SandboxInstall bool `env:"HRBC_SANDBOX_INSTALL"`

	// BigCommerceApp is the BigCommerce single-click app (app.go):
	// connections installed through it live in their workflows.
	BigCommerceApp BigCommerceApp

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
	// BigCommerceWebhookSecret authenticates the store's webhooks to the
	// HTTP intake (BigCommerce sends it in a header hrbc registers).
	BigCommerceWebhookSecret Secret `env:"BIGCOMMERCE_WEBHOOK_SECRET"`
	// BigCommerceWebhookSecretPrevious is the store's secret before a
	// rotation: the intake still accepts it, hooks are registered with the
	// new one. Remove it once the rotation is over (see README).
	BigCommerceWebhookSecretPrevious Secret `env:"BIGCOMMERCE_WEBHOOK_SECRET_PREVIOUS"`
	// HeartlandWebhookSecret authenticates Heartland's webhooks (Heartland
	// sends it in the registered URL's query, which it stores in clear, so
	// it must not be the store's secret).
	HeartlandWebhookSecret Secret `env:"HEARTLAND_WEBHOOK_SECRET"`
	// HeartlandWebhookSecretPrevious is Heartland's secret before a
	// rotation, accepted until it is removed.
	HeartlandWebhookSecretPrevious Secret `env:"HEARTLAND_WEBHOOK_SECRET_PREVIOUS"`
	// WebhookSecret is the deprecated shared secret of both platforms,
	// used for a platform whose own secret is not set.
	WebhookSecret Secret `env:"WEBHOOK_SECRET"`
	// HeartlandRPS paces calls to the Heartland account (requests per
	// second). Heartland publishes no limit and parallel writes have been
	// seen throttled, so the default is conservative; 0 keeps it, a negative
	// value turns pacing off.
	HeartlandRPS float64 `env:"HEARTLAND_RPS" envDefault:"5"`
	// HeartlandBurst is how many Heartland calls may go out back to back
	// before the pacing spaces them; the average stays HeartlandRPS. An
	// order's few calls then go out at once instead of one every 200 ms,
	// which is most of the time between an invoice and its shipment.
	// 0 means DefaultHeartlandBurst.
	HeartlandBurst int `env:"HEARTLAND_BURST" envDefault:"10"`
	// HeartlandPageSize is how many rows one Heartland list call asks for.
	// Heartland's maximum is unpublished; integrators read 500 to 5000 rows
	// a page, and a server that answers fewer is still walked correctly.
	// 0 means DefaultHeartlandPageSize.
	HeartlandPageSize int `env:"HEARTLAND_PAGE_SIZE" envDefault:"5000"`
	// HeartlandCreateOrdersOpen creates sales orders open in one call
	// instead of creating and then releasing them (UNCONFIRMED that
	// Heartland honours a status on create, so off by default).
	HeartlandCreateOrdersOpen bool `env:"HEARTLAND_CREATE_ORDERS_OPEN"`
	// HeartlandCancelStatus is the account's spelling of a cancelled sales
	// order (e.g. "cancelled"). Empty: hrbc learns it from the account's
	// orders or from the answer to a cancel (UNCONFIRMED spelling).
	HeartlandCancelStatus string `env:"HEARTLAND_CANCEL_STATUS"`
}

// DefaultHeartlandPageSize is the Heartland page size of a connection that
// sets none: what Heartland's own importer asks for. An account that
// refuses or caps it is read at a size it takes (the client learns it).
const DefaultHeartlandPageSize = 5000

// DefaultHeartlandBurst is the Heartland burst of a connection that sets
// none: two seconds' worth of calls at the default pacing, enough for an
// order's import (about nine calls: customer, item, lookup, create,
// release) to go out unspaced. At 5 the last calls of each import waited
// 200 ms apart: one store's intake p95 was 1.59 s, at 10 it is 561 ms
// (bench orders, 40 ms latency).
const DefaultHeartlandBurst = 10

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
