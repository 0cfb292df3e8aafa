package main

import "github.com/spf13/cobra"

// newSyncCatalogCommand is `starter sync catalog <connection>`.
func newSyncCatalogCommand(a *app) *cobra.Command {
	return &cobra.Command{Use: "catalog <connection>", Short: "Push or pull the catalog", Hidden: true}
}

// newCatalogCommand is `starter catalog …`.
func newCatalogCommand(a *app) *cobra.Command {
	return &cobra.Command{Use: "catalog", Short: "Inspect catalog links", Hidden: true}
}
