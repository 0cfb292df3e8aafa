package main

import "github.com/spf13/cobra"

// newSyncInventoryCommand is `starter sync inventory <connection>`.
func newSyncInventoryCommand(a *app) *cobra.Command {
	return &cobra.Command{Use: "inventory <connection>", Short: "Push every linked SKU's Heartland quantity to BigCommerce", Hidden: true}
}

// newInventoryCommand is `starter inventory …`.
func newInventoryCommand(a *app) *cobra.Command {
	return &cobra.Command{Use: "inventory", Short: "Inspect inventory sync", Hidden: true}
}
