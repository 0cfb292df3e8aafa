package main

import "github.com/spf13/cobra"

func newSyncCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "sync", Short: "Launch full syncs of a connection"}
	cmd.AddCommand(newSyncInventoryCommand(a), newSyncCatalogCommand(a))
	return cmd
}
