package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

func newOrdersCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "orders", Short: "List, inspect, distribute, retry and resolve web orders"}
	cmd.PersistentFlags().String("connection", "demo", "connection the orders belong to")
	cmd.AddCommand(newOrdersListCommand(a), newOrdersShowCommand(a), newOrdersDistributeCommand(a),
		newOrdersRetryCommand(a), newOrdersResolveCommand(a), newOrdersImportCommand(a))
	return cmd
}

func connectionFlag(cmd *cobra.Command) string {
	v, _ := cmd.Flags().GetString("connection")
	return v
}

func orderArg(args []string) (int, error) {
	id, err := strconv.Atoi(args[0])
	if err != nil || id <= 0 {
		return 0, &usageError{fmt.Errorf("%q is not a BigCommerce order number", args[0])}
	}
	return id, nil
}

func newOrdersListCommand(a *app) *cobra.Command {
	var f starter.OrderFilter
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List orders from the Temporal visibility store",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.ConnectionID = connectionFlag(cmd)
			if err := checkStage(f.Stage); err != nil {
				return err
			}
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				orders, err := st.ListOrders(ctx, f)
				if err != nil {
					return err
				}
				if a.json {
					return a.printJSON(orders)
				}
				w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ORDER\tSTAGE\tHEARTLAND\tATTENTION")
				for _, o := range orders {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", o.OrderID, o.Stage, dash(o.HeartlandOrderID), o.Attention)
				}
				fmt.Fprintf(w, "\n(Temporal UI query: %s)\n", f.Query())
				return w.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&f.Stage, "stage", "", "only orders in this stage (e.g. awaiting_distribution)")
	cmd.Flags().BoolVar(&f.Attention, "attention", false, "only orders that need a person")
	return cmd
}

func newOrdersShowCommand(a *app) *cobra.Command {
	return orderCommand(a, "show <order>", "Show an order's stage, lines, locations, shipments and payments",
		func(ctx context.Context, st *starter.Client, conn string, id int) (workflows.OrderState, error) {
			return st.OrderStatus(ctx, conn, id)
		})
}

// orderCommand is a command that acts on one order and prints what the
// order says afterwards.
func orderCommand(a *app, use, short string, act func(ctx context.Context, st *starter.Client, conn string, id int) (workflows.OrderState, error)) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := orderArg(args)
			if err != nil {
				return err
			}
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				o, err := act(ctx, st, connectionFlag(cmd), id)
				if err != nil {
					return err
				}
				return a.printOrder(o)
			})
		},
	}
}

func newOrdersDistributeCommand(a *app) *cobra.Command {
	var location string
	var lines []string
	cmd := orderCommand(a, "distribute <order> --location L [--line ID=L ...]", "Choose the Heartland locations an order ships from",
		func(ctx context.Context, st *starter.Client, conn string, id int) (workflows.OrderState, error) {
			// Names are resolved against the order's own locations.
			o, err := st.OrderStatus(ctx, conn, id)
			if err != nil {
				return o, err
			}
			req, err := distributeRequest(o, location, lines)
			if err != nil {
				return workflows.OrderState{}, err
			}
			return st.DistributeOrder(ctx, conn, id, req)
		})
	cmd.Flags().StringVar(&location, "location", "", `Heartland location, id or name ("1" or "Main Street"), for every line not named by --line`)
	cmd.Flags().StringArrayVar(&lines, "line", nil, "LINE_ID=LOCATION for one Heartland order line, location by id or name (repeatable)")
	return cmd
}

func newOrdersImportCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "import <order>",
		Short: "Bring a BigCommerce order in by hand (the same workflow a webhook would reach)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := orderArg(args)
			if err != nil {
				return err
			}
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				conn := connectionFlag(cmd)
				status, err := st.ConnectionStatus(ctx, conn)
				if err != nil {
					return err
				}
				if status.Settings == nil || !status.Settings.OrderSync {
					return fmt.Errorf("connection %q has order sync off: `starter connection configure %s --order-sync --source-location L`", conn, conn)
				}
				err = st.OrderChanged(ctx, conn, id, *status.Settings)
				if errors.Is(err, starter.ErrOrderFinished) {
					return fmt.Errorf("order %d was finished by hrbc (see `starter orders show %d`); it is not imported again", id, id)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(a.out, "order %d handed to workflow %s\n", id, workflows.OrderWorkflowID(conn, id))
				return nil
			})
		},
	}
}

func newErrorsCommand(a *app) *cobra.Command {
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "errors",
		Short: "List everything that needs a person, with the reason",
		Long: "List everything that needs a person, with the reason, and the orders waiting for distribution\n" +
			"longer than --distribution-wait (0 leaves them out).",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				items, err := st.NeedsAttention(ctx)
				if err != nil {
					return err
				}
				if wait > 0 {
					waiting, err := st.WaitingDistribution(ctx, wait, time.Now())
					if err != nil {
						return err
					}
					items = append(items, waiting...)
				}
				if a.json {
					return a.printJSON(items)
				}
				w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "WORKFLOW\tSTAGE\tREASON")
				for _, it := range items {
					fmt.Fprintf(w, "%s\t%s\t%s\n", it.WorkflowID, it.Stage, it.Reason)
				}
				if len(items) == 0 {
					fmt.Fprintln(w, "(nothing needs attention)")
				}
				return w.Flush()
			})
		},
	}
	cmd.Flags().DurationVar(&wait, "distribution-wait", starter.DefaultDistributionWait,
		"list orders waiting for distribution longer than this")
	return cmd
}

func (a *app) printOrder(o workflows.OrderState) error {
	if a.json {
		return a.printJSON(o)
	}
	w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "order\t%d (connection %s)\n", o.OrderID, o.ConnectionID)
	fmt.Fprintf(w, "stage\t%s\n", o.Stage)
	if o.Attention != "" {
		fmt.Fprintf(w, "attention\t%s\n", o.Attention)
	}
	if r := o.Resolution; r != nil {
		fmt.Fprintf(w, "resolved by hand	%s: %s (it needed: %s)\n", r.At.UTC().Format(time.RFC3339), dash(r.Note), r.Attention)
	}
	if r := o.LastRejected; r != nil {
		fmt.Fprintf(w, "last refused signal\t%s at %s: %s\n", r.Command, r.At.UTC().Format(time.RFC3339), r.Reason)
	}
	fmt.Fprintf(w, "heartland order\t%s\n", describeID(o.HeartlandOrderID))
	fmt.Fprintf(w, "bigcommerce status\t%s\n", describeBigCommerceStatus(o.BigCommerceStatus))
	fmt.Fprintf(w, "payment\t%s (captured by hrbc: %t)\n", dash(o.PaymentStatus), o.Captured)
	fmt.Fprintf(w, "total\t%s\n", dash(o.Total))
	fmt.Fprintln(w, "\nLINE\tSKU\tQTY\tSHIPPED\tLOCATION\tNAME")
	for _, l := range o.Lines {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\t%s\n", describeID(l.LineID), l.SKU, l.Quantity, l.Shipped, locationName(o, l.LocationID), l.Name)
	}
	if len(o.Invoices) > 0 {
		fmt.Fprintln(w, "\nINVOICE\tLOCATION\tTOTAL\tSHIPMENT\tPAID")
		for _, inv := range o.Invoices {
			fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%t\n", inv.InvoiceID, locationName(o, inv.LocationID), inv.Total, inv.ShipmentID, inv.Paid)
		}
	}
	if o.Stage == workflows.OrderStageAwaitingDistribution && len(o.Locations) > 0 {
		fmt.Fprintln(w, "\nLOCATIONS")
		for _, l := range o.Locations {
			fmt.Fprintf(w, "%d\t%s\n", l.ID, l.Name)
		}
	}
	return w.Flush()
}

func locationName(o workflows.OrderState, id int64) string {
	if id == 0 {
		return "-"
	}
	for _, l := range o.Locations {
		if l.ID == id {
			return fmt.Sprintf("%d %s", id, l.Name)
		}
	}
	return strconv.FormatInt(id, 10)
}
