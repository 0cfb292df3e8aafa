package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

func newConnectionCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "connection", Short: "Create, configure and inspect connections"}
	cmd.AddCommand(newConnectionCreateCommand(a), newConnectionConfigureCommand(a),
		newConnectionShowCommand(a), newConnectionListCommand(a), newConnectionCheckCommand(a))
	return cmd
}

func newConnectionCreateCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create <connection>",
		Short: "Create a connection with default settings changed by the flags",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			settings := workflows.DefaultSettings()
			if err := applySettingFlags(cmd.Flags(), &settings); err != nil {
				return err
			}
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				if err := preflight(ctx, st, cmd.ErrOrStderr(), args[0], settings); err != nil {
					return err
				}
				status, err := st.CreateConnection(ctx, args[0], settings)
				if err != nil {
					return err
				}
				return a.printStatus(status)
			})
		},
	}
	addSettingFlags(cmd.Flags())
	return cmd
}

func newConnectionConfigureCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "configure <connection>",
		Short: "Change the settings named by the flags; the others stay as they are",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				current, err := st.ConnectionStatus(ctx, args[0])
				if err != nil {
					return err
				}
				settings := workflows.DefaultSettings()
				if current.Settings != nil {
					settings = *current.Settings
				}
				if err := applySettingFlags(cmd.Flags(), &settings); err != nil {
					return err
				}
				if err := preflight(ctx, st, cmd.ErrOrStderr(), args[0], settings); err != nil {
					return err
				}
				// The version read above guards against overwriting a change made
				// by someone else between the read and this write.
				status, err := st.ConfigureConnection(ctx, args[0], settings, current.Version)
				if err != nil {
					return err
				}
				return a.printStatus(status)
			})
		},
	}
	addSettingFlags(cmd.Flags())
	return cmd
}

func newConnectionShowCommand(a *app) *cobra.Command {
	return connectionCommand(a, "show <connection>", "Print a connection's settings and status",
		(*starter.Client).ConnectionStatus, a.printStatus)
}

func newConnectionListCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List running connections",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				ids, err := st.ListConnections(ctx)
				if err != nil {
					return err
				}
				if a.json {
					return a.printJSON(ids)
				}
				for _, id := range ids {
					fmt.Fprintln(a.out, id)
				}
				return nil
			})
		},
	}
}

func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return &usageError{fmt.Errorf("%s: %w", cmd.UseLine(), err)}
		}
		return nil
	}
}

func addSettingFlags(f *pflag.FlagSet) {
	f.String("catalog-mode", "", "manual, push or pull")
	f.String("locations", "", `contributing Heartland locations: "all" or IDs separated by commas`)
	f.Int64("source-location", 0, "Heartland location web orders are created at (0: unset)")
	f.Int64("auto-distribute-location", 0, "ship every order line from this location (0: distribute by hand)")
	f.Bool("outside-fulfillment", false, "orders are fulfilled outside Heartland")
	f.Int64("fulfillment-location", 0, "location for invoices of outside fulfillment (0: unset)")
	f.Bool("order-sync", false, "import BigCommerce orders into Heartland")
	f.Bool("inventory-sync", false, "push Heartland quantities to BigCommerce")
	f.Int("order-sweep-seconds", 0, "how often to look for orders a webhook missed (0: every 60 s)")
	f.String("capture", "", "how the store takes payments: at_checkout (the default) or on_first_shipment (an authorize-only gateway)")
}

// applySettingFlags changes only the settings whose flags were given.
func applySettingFlags(f *pflag.FlagSet, s *workflows.Settings) error {
	if f.Changed("catalog-mode") {
		v, _ := f.GetString("catalog-mode")
		s.CatalogMode = workflows.CatalogMode(v)
	}
	if f.Changed("locations") {
		v, _ := f.GetString("locations")
		all, ids, err := parseLocations(v)
		if err != nil {
			return &usageError{fmt.Errorf("--locations: %w", err)}
		}
		s.AllLocations, s.LocationIDs = all, ids
	}
	for name, dst := range map[string]*int64{
		"source-location":          &s.SourceLocationID,
		"auto-distribute-location": &s.AutoDistributeLocationID,
		"fulfillment-location":     &s.FulfillmentLocationID,
	} {
		if f.Changed(name) {
			*dst, _ = f.GetInt64(name)
		}
	}
	if f.Changed("order-sweep-seconds") {
		s.OrderSweepSeconds, _ = f.GetInt("order-sweep-seconds")
	}
	if f.Changed("capture") {
		s.Capture, _ = f.GetString("capture")
	}
	for name, dst := range map[string]*bool{
		"outside-fulfillment": &s.OutsideFulfillment,
		"order-sync":          &s.OrderSync,
		"inventory-sync":      &s.InventorySync,
	} {
		if f.Changed(name) {
			*dst, _ = f.GetBool(name)
		}
	}
	return nil
}

// parseLocations reads "all", "" (no locations) or "1,2,3".
func parseLocations(v string) (all bool, ids []int64, err error) {
	v = strings.TrimSpace(v)
	if strings.EqualFold(v, "all") {
		return true, nil, nil
	}
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return false, nil, fmt.Errorf("%q is not a location ID", part)
		}
		ids = append(ids, id)
	}
	return false, ids, nil
}

func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (a *app) printStatus(st workflows.ConnectionStatus) error {
	if a.json {
		return a.printJSON(st)
	}
	w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "connection\t%s\n", st.ConnectionID)
	fmt.Fprintf(w, "stage\t%s\n", st.Stage)
	fmt.Fprintf(w, "version\t%d\n", st.Version)
	if !st.ConfiguredAt.IsZero() {
		fmt.Fprintf(w, "configured at\t%s\n", st.ConfiguredAt.UTC().Format("2006-01-02 15:04:05 MST"))
	}
	if s := st.Settings; s != nil {
		fmt.Fprintf(w, "catalog mode\t%s\n", s.CatalogMode)
		fmt.Fprintf(w, "locations\t%s\n", describeLocations(*s))
		fmt.Fprintf(w, "source location\t%s\n", describeID(s.SourceLocationID))
		fmt.Fprintf(w, "auto-distribute location\t%s\n", describeID(s.AutoDistributeLocationID))
		fmt.Fprintf(w, "outside fulfillment\t%t\n", s.OutsideFulfillment)
		fmt.Fprintf(w, "fulfillment location\t%s\n", describeID(s.FulfillmentLocationID))
		fmt.Fprintf(w, "order sync\t%t\n", s.OrderSync)
		fmt.Fprintf(w, "inventory sync\t%t\n", s.InventorySync)
	}
	fmt.Fprintf(w, "attention\t%s\n", dash(st.Attention))
	if c := st.Check; c != nil {
		fmt.Fprintf(w, "last check\t%s: %d failed, %d warnings (starter connection check %s)\n",
			formatTime(c.CheckedAt), c.Fails, c.Warns, st.ConnectionID)
		for _, l := range c.Lines {
			if l.Status != workflows.CheckOK {
				fmt.Fprintf(w, "  %s\t%s: %s\n", l.Status, l.Check, l.Found)
			}
		}
	}
	return w.Flush()
}

func describeLocations(s workflows.Settings) string {
	if s.AllLocations {
		return "all"
	}
	parts := make([]string, len(s.LocationIDs))
	for i, id := range s.LocationIDs {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

func describeID(id int64) string {
	if id == 0 {
		return "-"
	}
	return strconv.FormatInt(id, 10)
}
