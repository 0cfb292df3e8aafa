package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// openCommand prints where a browser opens hrbc's app page as a merchant
// does from the control panel: the fake store's stand-in for the Apps
// menu, which redirects to the worker's load callback with a signed
// payload, which opens the page of the demo connection.
func (sb *sandboxClient) openCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "open",
		Short: "Print the URL that opens hrbc's app page on the sandbox store (as the control panel's Apps menu does)",
		Args:  exactArgs(0),
		RunE: func(_ *cobra.Command, _ []string) error {
			u := strings.TrimSuffix(sb.bigCommerce, "/") + "/oauth2/open?client_id=" + bigcommercetest.DemoAppClientID
			fmt.Fprintf(a.out, "open in a browser: %s\n", u)
			return nil
		},
	}
}
