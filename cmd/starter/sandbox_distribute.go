package main

import (
	"net/http"
	"strings"

	"github.com/spf13/cobra"
)

// distributeCommand distributes an order's lines on the fake POS the way
// store staff do from Heartland's dashboard alert, behind hrbc's back: the
// order workflow must notice it by itself.
func (sb *sandboxClient) distributeCommand(a *app) *cobra.Command {
	var location string
	var lines []int64
	cmd := &cobra.Command{
		Use:   "distribute <order> --location L [--line LINE_ID ...]",
		Short: "Distribute an order's lines to a location in Heartland, as store staff do (every undistributed line unless --line names some)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out map[string]any
			if err := sb.call(cmd.Context(), http.MethodPost, sb.heartland+"/__fake/distribute",
				map[string]any{"order": heartlandOrderKey(args[0]), "location": location, "lines": lines}, &out); err != nil {
				return err
			}
			return a.printJSON(out)
		},
	}
	cmd.Flags().StringVar(&location, "location", "", "location id or name")
	cmd.Flags().Int64SliceVar(&lines, "line", nil, "Heartland order line id (repeatable; see orders show)")
	_ = cmd.MarkFlagRequired("location")
	return cmd
}

// heartlandOrderKey is how the fake POS knows a BigCommerce order: by
// hrbc's marker, BC-<BigCommerce order>.
func heartlandOrderKey(order string) string {
	if strings.HasPrefix(order, "BC-") {
		return order
	}
	return "BC-" + order
}
