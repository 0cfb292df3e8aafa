package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// errStillNeedsAttention makes `orders retry` exit 1 when the retried
// order is in attention again; the order's new reason is printed above it.
var errStillNeedsAttention = errors.New("the order still needs attention")

func newOrdersRetryCommand(a *app) *cobra.Command {
	var noWait bool
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "retry <order>",
		Short: "Resume an order that needs attention, once its cause is fixed, and tell how it went",
		Long: "Resume an order that needs attention, once its cause is fixed. The order takes the connection's\n" +
			"current settings and runs again what had failed; the command waits for the outcome (at most --wait)\n" +
			"and exits 1 when the order needs attention again, with the new reason. --no-wait returns at once.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := orderArg(args)
			if err != nil {
				return err
			}
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				conn := connectionFlag(cmd)
				o, err := st.RetryOrder(ctx, conn, id)
				if err != nil {
					return err
				}
				if noWait {
					fmt.Fprintf(a.out, "retry of order %d accepted; `starter orders show %d` tells how it goes\n", id, id)
					return nil
				}
				wctx, cancel := context.WithTimeout(ctx, wait)
				defer cancel()
				o, err = st.WaitForRetry(wctx, conn, id, o.RetriesAsked)
				if err != nil {
					return err
				}
				if err := a.printOrder(o); err != nil {
					return err
				}
				if o.Attention != "" {
					return fmt.Errorf("%w: %s", errStillNeedsAttention, o.Attention)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&noWait, "no-wait", false, "return once the retry is accepted, without waiting for the outcome")
	cmd.Flags().DurationVar(&wait, "wait", 2*time.Minute, "how long to wait for the outcome")
	return cmd
}

func newOrdersResolveCommand(a *app) *cobra.Command {
	var note string
	cmd := orderCommand(a, "resolve <order> [--note TEXT]",
		"Record that you settled an order in attention by hand; hrbc then leaves it alone",
		func(ctx context.Context, st *starter.Client, conn string, id int) (workflows.OrderState, error) {
			return st.ResolveOrder(ctx, conn, id, note)
		})
	cmd.Long = "Record that you settled an order in attention by hand (refunded it, cancelled it in Heartland,\n" +
		"shipped it yourself): the order ends with stage resolved, keeps your note, and hrbc writes nothing more\n" +
		"for it in either system."
	cmd.Flags().StringVar(&note, "note", "", "what you did, for whoever looks next")
	return cmd
}
