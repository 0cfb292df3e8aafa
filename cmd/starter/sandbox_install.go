package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/starter"
)

// sandboxHeartlandToken is the fake Heartland account's token, as
// worker/sandbox serves it (worker/sandbox.HeartlandToken; that package
// is not imported here, it would bring the server into the CLI).
const sandboxHeartlandToken = "sandbox-heartland-token"

// installCommand installs hrbc on the sandbox store as a merchant would:
// the fake's consent step redirects to the worker's auth callback, which
// exchanges the code and creates (or re-authorizes) the demo connection.
func (sb *sandboxClient) installCommand(a *app) *cobra.Command {
	var printOnly bool
	var heartlandToken string
	cmd := &cobra.Command{
		Use:   "install [--print]",
		Short: "Install hrbc as a BigCommerce app on the sandbox store (the demo connection, by OAuth)",
		Long: "Opens the fake store's consent URL, which redirects to the worker's /bigcommerce/auth: the code is\n" +
			"exchanged for the store's token and the demo connection gets it (created when the worker was\n" +
			"started with HRBC_SANDBOX_INSTALL=1, re-authorized otherwise). Then the Heartland credentials are\n" +
			"entered, as the app page would, and verified with one call. --print only prints the consent URL,\n" +
			"to open in a browser.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			consent := strings.TrimSuffix(sb.bigCommerce, "/") + "/oauth2/install?client_id=" + bigcommercetest.DemoAppClientID
			fmt.Fprintf(a.out, "consent URL: %s\n", consent)
			if printOnly {
				return nil
			}
			landed, err := sb.followInstall(cmd.Context(), consent)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.out, "installed: %s\n", landed)
			return a.withStarter(cmd, func(ctx context.Context, st *starter.Client) error {
				account := strings.TrimSuffix(sb.heartland, "/") + "/api/"
				if err := st.SetHeartlandCredentials(ctx, "demo", account, heartlandToken); err != nil {
					return fmt.Errorf("heartland credentials of demo: %w", err)
				}
				fmt.Fprintf(a.out, "heartland account %s verified and saved on demo\n", account)
				fmt.Fprintln(a.out, "next: go run ./cmd/starter connection show demo")
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&printOnly, "print", false, "only print the consent URL")
	cmd.Flags().StringVar(&heartlandToken, "heartland-token", sandboxHeartlandToken, "the fake Heartland account's API token")
	return cmd
}

// followInstall opens the consent URL and follows its redirect to the auth
// callback, returning the callback's answer (its first line).
func (sb *sandboxClient) followInstall(ctx context.Context, consent string) (string, error) {
	// The callback verifies the token against the store before it
	// answers: allow it more than the control calls' timeout.
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, consent, nil)
	if err != nil {
		return "", err
	}
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		return "", fmt.Errorf("install through %s (is `go run ./cmd/worker` running the sandbox?): %w", consent, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	first, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("install: %s answered %d: %s", resp.Request.URL.Path, resp.StatusCode, first)
	}
	return first, nil
}
