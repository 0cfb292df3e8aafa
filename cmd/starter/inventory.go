package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// errSyncHeld: the full sync would empty the store and waits for --confirm.
var errSyncHeld = errors.New("full sync held back, nothing written")

// progressPollInterval is how often `sync inventory` asks for progress.
const progressPollInterval = 500 * time.Millisecond

// newSyncInventoryCommand is `starter sync inventory <connection>`.
func newSyncInventoryCommand(a *app) *cobra.Command {
	var noWait, confirm bool
	var opts workflows.InventoryOptions
	cmd := &cobra.Command{
		Use:   "inventory <connection>",
		Short: "Push every linked SKU's Heartland quantity to BigCommerce, then follow changes",
		Long: "Starts a full inventory sync of the connection (starting its inventory workflow if needed)\n" +
			"and draws its progress until it is done, unless --no-wait. The tuning flags given replace\n" +
			"the sync's options, also of a sync that is running.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				before, err := st.InventoryProgress(ctx, args[0])
				if err != nil && !errors.Is(err, starter.ErrInventoryNotRunning) {
					return err
				}
				if before.Stage == workflows.StageStopped {
					before = workflows.InventoryProgress{}
				}
				if err := st.RequestFullInventorySync(ctx, args[0], opts, confirm); err != nil {
					return err
				}
				if noWait {
					if a.json {
						return a.printJSON(map[string]string{"connection_id": args[0], "status": "full sync requested"})
					}
					fmt.Fprintf(a.out, "full sync of %s requested\n", args[0])
					return nil
				}
				p, err := a.waitFullSync(cmd, st, args[0], before.FullSyncs, before.Holds)
				if err != nil {
					return err
				}
				return a.printProgress(p)
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&noWait, "no-wait", false, "return once the sync is requested")
	f.DurationVar(&opts.PollInterval, "poll-interval", 0, "how often Heartland is polled for changes (default 2s)")
	f.DurationVar(&opts.ReconcileInterval, "reconcile-interval", 0, "how often every SKU is compared on both sides (default 15m)")
	f.IntVar(&opts.SafetyBuffer, "safety-buffer", 0, "units held back per SKU")
	f.IntVar(&opts.BigCommerceLocationID, "bigcommerce-location", 0, "BigCommerce location receiving the quantities (default: the store's default location)")
	f.BoolVar(&confirm, "confirm", false, "let this full sync write even if it would empty the store (releases a held sync)")
	f.IntVar(&opts.GuardZeroPercent, "guard-zero-percent", 0, "hold back a sync that would set more than this share of in-stock SKUs to 0 (default 20, 100: no limit)")
	f.IntVar(&opts.GuardDropPercent, "guard-drop-percent", 0, "hold back a sync that would lower the store's total stock by more than this share (default 50, 100: no limit)")
	return cmd
}

// waitFullSync polls the progress until a full sync that completed after
// the request is done, drawing a bar on stderr (not with --json).
func (a *app) waitFullSync(cmd *cobra.Command, st *starter.Client, connectionID string, completedBefore, heldBefore int) (workflows.InventoryProgress, error) {
	var bar *progressbar.ProgressBar
	if !a.json {
		bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(cmd.ErrOrStderr()),
			progressbar.OptionSetDescription("full sync"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond))
	}
	tick := time.NewTicker(progressPollInterval)
	defer tick.Stop()
	for {
		ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
		p, err := st.InventoryProgress(ctx, connectionID)
		cancel()
		if err != nil && !errors.Is(err, starter.ErrInventoryNotRunning) {
			return p, err
		}
		if bar != nil && err == nil {
			drawProgress(bar, p)
		}
		switch {
		case err != nil:
		case p.Stage == workflows.StageStopped:
			return p, fmt.Errorf("inventory sync of %q stopped before the full sync finished", connectionID)
		case p.Hold != nil && p.Holds > heldBefore:
			if bar != nil {
				_ = bar.Finish()
			}
			if err := a.printProgress(p); err != nil {
				return p, err
			}
			return p, fmt.Errorf("%w: %s", errSyncHeld, p.Attention)
		case p.FullSyncs > completedBefore && !p.FullSync.Running && !p.FullSyncPending:
			if bar != nil {
				_ = bar.Finish()
			}
			return p, nil
		}
		select {
		case <-cmd.Context().Done():
			return p, cmd.Context().Err()
		case <-tick.C:
		}
	}
}

func drawProgress(bar *progressbar.ProgressBar, p workflows.InventoryProgress) {
	fs := p.FullSync
	if fs.Total > 0 {
		bar.ChangeMax64(int64(max(fs.Total, fs.Read)))
	}
	desc := fmt.Sprintf("full sync: %d written, %d skipped, %d unmatched", fs.Written, fs.Skipped, fs.Unmatched)
	if p.LastError != "" {
		desc += " (retrying: " + p.LastError + ")"
	}
	bar.Describe(desc)
	_ = bar.Set64(int64(fs.Read))
}

// newInventoryCommand is `starter inventory …`.
func newInventoryCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "inventory", Short: "Inspect inventory sync"}
	cmd.AddCommand(newInventoryStatusCommand(a), newInventoryUnmatchedCommand(a))
	return cmd
}

func newInventoryStatusCommand(a *app) *cobra.Command {
	return connectionCommand(a, "status <connection>", "Print the progress of a connection's inventory sync",
		(*starter.Client).InventoryProgress, a.printProgress)
}

func newInventoryUnmatchedCommand(a *app) *cobra.Command {
	return connectionCommand(a, "unmatched <connection>", "List SKUs found on one side only by the last full sync or reconciliation",
		(*starter.Client).InventoryUnmatched, func(u workflows.InventoryUnmatched) error { return printUnmatched(a.out, u) })
}

func (a *app) printProgress(p workflows.InventoryProgress) error {
	if a.json {
		return a.printJSON(p)
	}
	w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "connection\t%s\n", p.ConnectionID)
	fmt.Fprintf(w, "stage\t%s\n", p.Stage)
	fmt.Fprintf(w, "attention\t%s\n", dash(p.Attention))
	if p.Hold != nil {
		fmt.Fprintf(w, "held\t%s since %s, nothing written: %s\n", p.Hold.Kind, formatTime(p.Hold.Since), p.Hold.Blast)
	}
	if p.LastBlast != nil {
		fmt.Fprintf(w, "blast radius\t%s\n", p.LastBlast)
	}
	if p.RejectedCount > 0 {
		fmt.Fprintf(w, "rejected by BigCommerce\t%d (%s)\n", p.RejectedCount, strings.Join(p.Rejected, "; "))
	}
	fmt.Fprintf(w, "locations\t%s\n", describeLocations(p.Settings))
	fmt.Fprintf(w, "safety buffer\t%d\n", p.SafetyBuffer)
	fmt.Fprintf(w, "full sync\t%s\n", describePass(p.FullSync))
	fmt.Fprintf(w, "full syncs done\t%d\n", p.FullSyncs)
	fmt.Fprintf(w, "reconciliation\t%s\n", describePass(p.Reconcile))
	fmt.Fprintf(w, "corrections\tlast %d, total %d in %d reconciliations\n", p.LastCorrections, p.TotalCorrections, p.Reconciles)
	fmt.Fprintf(w, "next reconciliation\t%s\n", formatTime(p.NextReconcileAt))
	fmt.Fprintf(w, "watermark\t%s\n", formatTime(p.Watermark))
	fmt.Fprintf(w, "incremental\t%d rounds, %d movements, %d levels written (last %s)\n",
		p.Polls, p.Movements, p.IncrementalWrites, formatTime(p.LastWriteAt))
	fmt.Fprintf(w, "generation\t%d\n", p.Generation)
	return w.Flush()
}

func describePass(p workflows.InventoryPassProgress) string {
	state := "done " + formatTime(p.FinishedAt)
	switch {
	case p.Running:
		state = fmt.Sprintf("running since %s, %d/%d read", formatTime(p.StartedAt), p.Read, p.Total)
	case p.StartedAt.IsZero():
		return "-"
	case p.FinishedAt.IsZero() || p.FinishedAt.Before(p.StartedAt):
		state = "interrupted"
	}
	return fmt.Sprintf("%s: %d read, %d written, %d skipped, %d unmatched, %d untracked, %d not stocked, %d rejected, %d BigCommerce only",
		state, p.Read, p.Written, p.Skipped, p.Unmatched, p.Untracked, p.NotStocked, p.Rejected, p.BigCommerceOnly)
}

func printUnmatched(out io.Writer, u workflows.InventoryUnmatched) error {
	fmt.Fprintf(out, "as of %s\n", formatTime(u.AsOf))
	for _, l := range []struct {
		title string
		skus  []string
		count int
	}{
		{"Heartland only (Item # without BigCommerce SKU)", u.HeartlandOnly, u.HeartlandOnlyCount},
		{"BigCommerce only (a SKU the store keeps stock under, without Heartland item; `catalog links` counts variant SKUs instead)", u.BigCommerceOnly, u.BigCommerceOnlyCount},
		{"untracked on BigCommerce (linked, not written)", u.Untracked, u.UntrackedCount},
	} {
		printSKUs(out, l.title, l.skus, l.count)
	}
	return nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05 MST")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// printSKUs prints a titled list of SKUs that may be a sample of count:
// workflows keep at most a few hundred names in history, never all.
func printSKUs(out io.Writer, title string, skus []string, count int) {
	fmt.Fprintf(out, "%s: %d\n", title, count)
	for _, s := range skus {
		fmt.Fprintf(out, "  %s\n", s)
	}
	if more := count - len(skus); more > 0 {
		fmt.Fprintf(out, "  … and %d more\n", more)
	}
}
