package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// errCheckFailed makes `connection check` exit 1 after printing its report.
var errCheckFailed = errors.New("connection check failed")

func newConnectionCheckCommand(a *app) *cobra.Command {
	var fix bool
	cmd := &cobra.Command{
		Use:   "check <connection>",
		Short: "Check a connection against both live accounts, one line per check",
		Long: "Checks the tokens and the BigCommerce token's scopes, the Heartland account, the locations\n" +
			"the settings name, the payment type hrbc records payments with (--fix creates it), how the\n" +
			"store captures payments, customized and gift-wrapped products, SKUs that cannot link, what\n" +
			"a first full inventory sync would do to the store, and the webhook address. Prints ok, warn\n" +
			"or fail per check with what was found and what fixes it; exits 1 if any check fails.\n" +
			"The report becomes part of the connection's status.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				rep, err := st.CheckConnection(ctx, args[0], starter.CheckOptions{Fix: fix, Record: true})
				if err != nil {
					return err
				}
				if a.json {
					if err := a.printJSON(rep); err != nil {
						return err
					}
				} else {
					printCheck(a.out, rep)
				}
				if rep.Fails > 0 {
					return fmt.Errorf("%w: %d of %d checks failed", errCheckFailed, rep.Fails, len(rep.Lines))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&fix, "fix", false, "create what is missing and hrbc may create (the Heartland payment type)")
	return cmd
}

// printCheck prints one line per check: outcome, check, what was found,
// and on the next line what fixes it.
func printCheck(out io.Writer, rep workflows.CheckReport) {
	for _, l := range rep.Lines {
		fmt.Fprintf(out, "%-4s  %s: %s\n", l.Status, l.Check, l.Found)
		if l.Fix != "" && l.Status != workflows.CheckOK {
			fmt.Fprintf(out, "      fix: %s\n", l.Fix)
		}
	}
	for _, f := range rep.Fixed {
		fmt.Fprintf(out, "fixed: %s\n", f)
	}
	fmt.Fprintf(out, "%d checks: %d failed, %d warnings\n", len(rep.Lines), rep.Fails, rep.Warns)
}

// preflight checks settings against the live accounts before a create or
// configure sends them: a location the account lacks is refused, naming
// the valid ones; other findings (no credentials while a sync is on, a
// token the account refuses) are printed as warnings on w.
func preflight(ctx context.Context, st *starter.Client, w io.Writer, connectionID string, s workflows.Settings) error {
	rep, err := st.CheckConnection(ctx, connectionID, starter.CheckOptions{Settings: &s, SettingsOnly: true})
	if err != nil {
		return err
	}
	if err := starter.SettingsRefusal(rep); err != nil {
		return err
	}
	for _, l := range rep.Lines {
		if l.Status == workflows.CheckOK {
			continue
		}
		msg := "warning: " + l.Found
		if l.Fix != "" {
			msg += " (fix: " + l.Fix + ")"
		}
		fmt.Fprintln(w, strings.TrimSpace(msg))
	}
	return nil
}
