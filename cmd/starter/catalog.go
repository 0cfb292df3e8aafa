package main

import (
	"context"
	"encoding/json"
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

// catalogFlags are the options of `sync catalog`.
type catalogFlags struct {
	push, pull, update, dryRun, noWait, onlineOnly bool
	filter                                         string
	defaults                                       []string
	pageSize                                       int
}

// newSyncCatalogCommand is `starter sync catalog <connection>`.
func newSyncCatalogCommand(a *app) *cobra.Command {
	var fl catalogFlags
	cmd := &cobra.Command{
		Use:   "catalog <connection> --push|--pull [--update] [--dry-run] [--no-wait]",
		Short: "Push Heartland items to BigCommerce, or pull BigCommerce products into Heartland",
		Long: "--push makes every active Heartland item (narrowed by --filter / --online-only) a BigCommerce\n" +
			"product, a grid one product with variants; it only creates unless --update, which also\n" +
			"updates name, price, weight and visibility of linked products.\n" +
			"--pull makes every BigCommerce product and variant a Heartland item (Item # = SKU), creating\n" +
			"the custom fields it needs first; --default NAME=VALUE fills a required Heartland field.\n" +
			"The connection's catalog mode must be the same (except with --dry-run). The run is the\n" +
			"workflow catalog/<connection>/<push|pull>; without --no-wait its progress is drawn until done.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, opts, err := fl.options()
			if err != nil {
				return err
			}
			ctx, st, done, err := a.dial(cmd)
			if err != nil {
				return err
			}
			defer done()
			if err := st.StartCatalogSync(ctx, args[0], kind, opts); err != nil {
				return err
			}
			if fl.noWait {
				id := workflows.CatalogWorkflowID(args[0], kind)
				if a.json {
					return a.printJSON(map[string]string{"connection_id": args[0], "workflow_id": id, "status": "started"})
				}
				fmt.Fprintf(a.out, "catalog %s of %s started: follow it with `starter catalog status %s %s` (workflow %s)\n",
					kind, args[0], args[0], kind, id)
				return nil
			}
			p, err := a.waitCatalog(cmd, st, args[0], kind)
			if perr := a.printCatalogProgress(p); perr != nil {
				return perr
			}
			return err
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fl.push, "push", false, "Heartland → BigCommerce")
	f.BoolVar(&fl.pull, "pull", false, "BigCommerce → Heartland (Trigger Full Sync)")
	f.BoolVar(&fl.update, "update", false, "push: also update name, price, weight and visibility of linked products")
	f.BoolVar(&fl.dryRun, "dry-run", false, "write nothing; print what would change")
	f.BoolVar(&fl.noWait, "no-wait", false, "return once the run has started")
	f.StringVar(&fl.filter, "filter", "", `push: Heartland item filter as JSON, e.g. '{"custom@sold_online":"yes"}'`)
	f.BoolVar(&fl.onlineOnly, "online-only", false, `push: only items marked "available online" in Heartland`)
	f.StringArrayVar(&fl.defaults, "default", nil, "pull: NAME=VALUE for a required Heartland item custom field (repeatable)")
	f.IntVar(&fl.pageSize, "page-size", 0, "records per activity (0: 50 products for a pull, 100 items for a push)")
	return cmd
}

// options checks the flags and turns them into a run.
func (fl catalogFlags) options() (string, workflows.CatalogRunOptions, error) {
	opts := workflows.CatalogRunOptions{Update: fl.update, DryRun: fl.dryRun, PageSize: fl.pageSize}
	if fl.push == fl.pull {
		return "", opts, &usageError{errors.New("give exactly one of --push and --pull")}
	}
	kind := workflows.CatalogKindPush
	if fl.pull {
		kind = workflows.CatalogKindPull
		if fl.update || fl.filter != "" || fl.onlineOnly {
			return "", opts, &usageError{errors.New("--update, --filter and --online-only go with --push")}
		}
	} else if len(fl.defaults) > 0 {
		return "", opts, &usageError{errors.New("--default goes with --pull")}
	}
	var filters []map[string]any
	if fl.filter != "" {
		var f map[string]any
		if err := json.Unmarshal([]byte(fl.filter), &f); err != nil {
			return "", opts, &usageError{fmt.Errorf("--filter must be a JSON object: %w", err)}
		}
		filters = append(filters, f)
	}
	if fl.onlineOnly {
		filters = append(filters, map[string]any{"available_online": true})
	}
	switch len(filters) {
	case 0:
	case 1:
		opts.Filter, _ = json.Marshal(filters[0])
	default:
		opts.Filter, _ = json.Marshal(map[string]any{"$and": filters})
	}
	for _, d := range fl.defaults {
		name, value, ok := strings.Cut(d, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return "", opts, &usageError{fmt.Errorf("--default %q: want NAME=VALUE", d)}
		}
		if opts.Defaults == nil {
			opts.Defaults = map[string]string{}
		}
		opts.Defaults[strings.TrimSpace(name)] = value
	}
	return kind, opts, nil
}

// waitCatalog polls the run's progress until it is done, drawing a bar on
// stderr (not with --json), then returns its result.
func (a *app) waitCatalog(cmd *cobra.Command, st *starter.Client, connectionID, kind string) (workflows.CatalogProgress, error) {
	var bar *progressbar.ProgressBar
	if !a.json {
		bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(cmd.ErrOrStderr()),
			progressbar.OptionSetDescription("catalog "+kind),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond))
	}
	tick := time.NewTicker(progressPollInterval)
	defer tick.Stop()
	for {
		ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
		p, err := st.CatalogProgress(ctx, connectionID, kind)
		cancel()
		if err == nil && bar != nil {
			if p.TotalPages > 0 {
				bar.ChangeMax64(int64(p.TotalPages))
			}
			bar.Describe(fmt.Sprintf("catalog %s: %d created, %d updated, %d skipped, %d failed",
				kind, p.Counts.Created, p.Counts.Updated, p.Counts.Skipped, p.Counts.Failed))
			_ = bar.Set64(int64(p.Pages))
		}
		if err == nil && p.Done() {
			if bar != nil {
				_ = bar.Finish()
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
			defer cancel()
			return st.WaitCatalogSync(ctx, connectionID, kind)
		}
		select {
		case <-cmd.Context().Done():
			return p, cmd.Context().Err()
		case <-tick.C:
		}
	}
}

// printCatalogProgress prints a run's counts and named problems.
func (a *app) printCatalogProgress(p workflows.CatalogProgress) error {
	if a.json {
		return a.printJSON(p)
	}
	w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	title := "catalog " + p.Kind
	if p.DryRun {
		title += " (dry run: nothing written)"
	}
	fmt.Fprintf(w, "%s\t%s\n", title, p.ConnectionID)
	fmt.Fprintf(w, "stage\t%s\n", p.Stage)
	fmt.Fprintf(w, "records\t%d read, %d created, %d updated, %d skipped, %d failed (%d pages)\n",
		p.Counts.Read, p.Counts.Created, p.Counts.Updated, p.Counts.Skipped, p.Counts.Failed, p.Pages)
	if !p.FinishedAt.IsZero() {
		fmt.Fprintf(w, "took\t%s\n", p.FinishedAt.Sub(p.StartedAt).Round(time.Millisecond))
	}
	fmt.Fprintf(w, "attention\t%s\n", dash(p.Attention))
	if p.Error != "" {
		fmt.Fprintf(w, "error\t%s\n", p.Error)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if len(p.Planned) > 0 {
		fmt.Fprintln(a.out, "\nwould change:")
		w = tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
		for _, pl := range p.Planned {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", pl.Action, pl.SKU, pl.Name, pl.Detail)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if err := printCatalogProblems(a.out, p.Problems); err != nil {
		return err
	}
	if p.Dropped > 0 {
		fmt.Fprintf(a.out, "(%d more not listed)\n", p.Dropped)
	}
	return nil
}

func printCatalogProblems(out io.Writer, problems []workflows.CatalogProblem) error {
	if len(problems) == 0 {
		return nil
	}
	fmt.Fprintln(out, "\nproblems:")
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, pr := range problems {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", pr.Kind, dash(pr.SKU), pr.Name, pr.Reason)
	}
	return w.Flush()
}

// newCatalogCommand is `starter catalog …`.
func newCatalogCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "catalog", Short: "Inspect catalog links and catalog runs"}
	cmd.AddCommand(newCatalogLinksCommand(a), newCatalogStatusCommand(a))
	return cmd
}

func newCatalogLinksCommand(a *app) *cobra.Command {
	return connectionCommand(a, "links <connection>", "List linked, Heartland-only and BigCommerce-only SKUs, and SKUs that cannot be linked",
		(*starter.Client).CatalogLinks, func(rep workflows.CatalogLinksReport) error { return printLinks(a.out, rep) })
}

func printLinks(out io.Writer, rep workflows.CatalogLinksReport) error {
	for _, l := range []struct {
		title string
		skus  []string
		count int
	}{
		{"linked (Heartland Item # = BigCommerce SKU)", rep.LinkedSKUs, rep.Linked},
		{"Heartland only (Item # without BigCommerce SKU)", rep.HeartlandOnly, rep.HeartlandOnlyCount},
		{"BigCommerce only (SKU without Heartland item)", rep.BigCommerceOnly, rep.BigCommerceOnlyCount},
	} {
		printSKUs(out, l.title, l.skus, l.count)
	}
	fmt.Fprintf(out, "cannot be linked: %d\n", rep.ProblemCount)
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, pr := range rep.Problems {
		fmt.Fprintf(w, "  %s\t%s\t%s\n", dash(pr.SKU), pr.Name, pr.Reason)
	}
	return w.Flush()
}

func newCatalogStatusCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "status <connection> <push|pull|follow>",
		Short: "Print the progress or result of the latest catalog run of a kind",
		Args:  exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind := args[1]
			switch kind {
			case workflows.CatalogKindPush, workflows.CatalogKindPull, workflows.CatalogKindFollow:
			default:
				return &usageError{fmt.Errorf("kind %q: want push, pull or follow", kind)}
			}
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				if kind == workflows.CatalogKindFollow {
					s, err := st.CatalogFollowStatus(ctx, args[0])
					if err != nil {
						return err
					}
					return a.printFollowStatus(args[0], s)
				}
				p, err := st.CatalogProgress(ctx, args[0], kind)
				if err != nil {
					return err
				}
				return a.printCatalogProgress(p)
			})
		},
	}
}

func (a *app) printFollowStatus(connectionID string, s workflows.CatalogFollowStatus) error {
	if a.json {
		return a.printJSON(s)
	}
	w := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "catalog follow\t%s\n", connectionID)
	fmt.Fprintf(w, "watermark\t%s\n", formatTime(s.Watermark))
	fmt.Fprintf(w, "sweeps / webhooks\t%d / %d\n", s.Sweeps, s.Signals)
	fmt.Fprintf(w, "records\t%d read, %d created, %d skipped, %d failed\n", s.Counts.Read, s.Counts.Created, s.Counts.Skipped, s.Counts.Failed)
	fmt.Fprintf(w, "attention\t%s\n", dash(s.Attention))
	if err := w.Flush(); err != nil {
		return err
	}
	return printCatalogProblems(a.out, s.Problems)
}
