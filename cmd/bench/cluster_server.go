package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/temporal"
)

// clusterServerCommand is the hidden `bench cluster-server`: the Temporal
// server of the pinned go.temporal.io/server module, configured by a
// server configuration file (deployments/temporal/config.yaml, rendered
// from the environment), in this process until SIGINT or SIGTERM. `bench
// cluster` runs it as a child of its own, so it can be killed and
// restarted like a real cluster's server.
func clusterServerCommand() *cobra.Command {
	var configFile string
	cmd := &cobra.Command{
		Use:    "cluster-server",
		Short:  "Run the Temporal server from a configuration file (used by bench cluster)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(config.WithConfigFile(configFile))
			if err != nil {
				return fmt.Errorf("load server configuration %s: %w", configFile, err)
			}
			logger := log.NewZapLogger(log.BuildZapLogger(cfg.Log))
			srv, err := temporal.NewServer(
				temporal.ForServices(temporal.DefaultServices),
				temporal.WithConfig(cfg),
				temporal.WithLogger(logger),
				temporal.InterruptOn(temporal.InterruptCh()),
			)
			if err != nil {
				return fmt.Errorf("create temporal server: %w", err)
			}
			fmt.Fprintf(os.Stderr, "cluster-server: starting (pid %d)\n", os.Getpid())
			// Start blocks until an interrupt, then stops every service.
			if err := srv.Start(); err != nil {
				return fmt.Errorf("temporal server: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&configFile, "config-file", "deployments/temporal/config.yaml", "server configuration file (Go template over the environment)")
	return cmd
}
