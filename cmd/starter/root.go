package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/starter/codec"
)

// usageError marks mistakes in how the command was called (exit code 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// app carries what every command needs.
type app struct {
	cfg     config
	out     io.Writer
	timeout time.Duration
	json    bool
}

func newRootCommand(out io.Writer) *cobra.Command {
	a := &app{out: out}
	root := &cobra.Command{
		Use:           "starter",
		Short:         "Operate hrbc: connections, syncs and orders",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig()
			if err != nil {
				return &usageError{fmt.Errorf("configuration: %w", err)}
			}
			// Flags win over the environment.
			if f := cmd.Flags().Lookup("address"); f != nil && f.Changed {
				cfg.Address = f.Value.String()
			}
			if f := cmd.Flags().Lookup("namespace"); f != nil && f.Changed {
				cfg.Namespace = f.Value.String()
			}
			a.cfg = cfg
			return nil
		},
	}
	root.SetOut(out)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	pf := root.PersistentFlags()
	pf.String("address", "127.0.0.1:7233", "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	pf.String("namespace", "default", "Temporal namespace (env TEMPORAL_NAMESPACE)")
	pf.DurationVar(&a.timeout, "timeout", 30*time.Second, "how long to wait for an answer")
	pf.BoolVar(&a.json, "json", false, "print JSON instead of text")
	root.AddCommand(newConnectionCommand(a), newSyncCommand(a), newInventoryCommand(a),
		newOrdersCommand(a), newErrorsCommand(a), newSandboxCommand(a), newCatalogCommand(a))
	return root
}

// dial connects to Temporal and returns the starter client with a context
// bounded by --timeout; the returned func releases both.
func (a *app) dial(cmd *cobra.Command) (context.Context, *starter.Client, func(), error) {
	keys, err := loadPayloadKeys()
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := client.Dial(codec.ClientOptions(keys, client.Options{
		HostPort:  a.cfg.Address,
		Namespace: a.cfg.Namespace,
		Logger:    quietLogger{},
	}))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("connect to temporal at %s (is `go run ./cmd/worker` running?): %w", a.cfg.Address, err)
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
	return ctx, starter.New(c, a.cfg.TaskQueue, starter.WithDataConverter(codec.DataConverter(keys))), func() { cancel(); c.Close() }, nil
}

// withStarter dials Temporal, runs f with the starter client and releases
// both; every command that talks to workflows goes through it.
func (a *app) withStarter(cmd *cobra.Command, f func(ctx context.Context, st *starter.Client) error) error {
	ctx, st, done, err := a.dial(cmd)
	if err != nil {
		return err
	}
	defer done()
	return f(ctx, st)
}

// connectionCommand is a command that reads one thing of a connection and
// prints it: as JSON with --json, otherwise with text. fetch is a starter
// method expression such as (*starter.Client).ConnectionStatus.
func connectionCommand[T any](a *app, use, short string, fetch func(st *starter.Client, ctx context.Context, conn string) (T, error), text func(T) error) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				v, err := fetch(st, ctx, args[0])
				if err != nil {
					return err
				}
				if a.json {
					return a.printJSON(v)
				}
				return text(v)
			})
		},
	}
}

// quietLogger keeps the SDK's informational chatter out of CLI output.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
