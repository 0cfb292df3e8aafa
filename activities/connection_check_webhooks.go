package activities

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// checkWebhooks checks where the platforms send their webhooks: the public
// URL must be https (BigCommerce delivers to nothing else) and answer
// /healthz. A loopback address is the sandbox's, and only warns.
func (a *ConnectionChecks) checkWebhooks(ctx context.Context, rep *CheckReport, connectionID string) {
	const check = "webhooks"
	if a.PublicURL == "" {
		rep.add(CheckLine{Check: check, Status: CheckWarn,
			Found: "no public URL: no webhooks are registered, so changes arrive by the sweeps and polls only (within a minute)",
			Fix:   "set HRBC_PUBLIC_URL to the https address of the intake and restart the worker"})
		return
	}
	u, err := url.Parse(a.PublicURL)
	if err != nil || u.Host == "" {
		rep.add(CheckLine{Check: check, Status: CheckFail, Found: fmt.Sprintf("HRBC_PUBLIC_URL %q is not a URL", a.PublicURL),
			Fix: "set HRBC_PUBLIC_URL to https://<host> and restart the worker"})
		return
	}
	local := isLoopback(u.Hostname())
	dest := strings.TrimRight(a.PublicURL, "/") + "/webhooks/bigcommerce/" + url.PathEscape(connectionID)
	var problems, fixes []string
	if u.Scheme != "https" {
		problems = append(problems, "webhooks go to "+dest+", which is not https: BigCommerce delivers only to https")
		fixes = append(fixes, "put the intake behind a TLS proxy and set HRBC_PUBLIC_URL=https://…")
	}
	if err := a.healthz(ctx, strings.TrimRight(a.PublicURL, "/")+"/healthz"); err != nil {
		problems = append(problems, fmt.Sprintf("the intake does not answer at %s: %v", a.PublicURL, err))
		fixes = append(fixes, "make HRBC_PUBLIC_URL reach the worker's HRBC_HTTP_ADDR (proxy, firewall, DNS)")
	}
	if len(problems) == 0 {
		rep.add(CheckLine{Check: check, Status: CheckOK, Found: "webhooks go to " + dest + ", which answers"})
		return
	}
	found := strings.Join(problems, "; ")
	status := CheckFail
	if local {
		status, found = CheckWarn, found+" (a local address: fine for the sandbox, not for a real store)"
	}
	rep.add(CheckLine{Check: check, Status: status, Found: found, Fix: strings.Join(fixes, "; ")})
}

// healthz GETs the intake's health route.
func (a *ConnectionChecks) healthz(ctx context.Context, target string) error {
	hc := a.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// isLoopback reports whether host is this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
