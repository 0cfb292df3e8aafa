package main

import (
	"os"

	"github.com/caarlos0/env/v11"
)

// config is the starter CLI's configuration from the environment; flags
// override it. The defaults reach the embedded server of cmd/worker.
type config struct {
	// Address is the Temporal frontend.
	Address string `env:"TEMPORAL_ADDRESS" envDefault:"127.0.0.1:7233"`
	// Namespace is the Temporal namespace.
	Namespace string `env:"TEMPORAL_NAMESPACE" envDefault:"default"`
	// TaskQueue is the queue hrbc's worker polls.
	TaskQueue string `env:"HRBC_TASK_QUEUE" envDefault:"hrbc"`
}

func loadConfig() (config, error) {
	var c config
	err := env.Parse(&c)
	return c, err
}

// envOr returns the environment variable's value, or def when unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}
