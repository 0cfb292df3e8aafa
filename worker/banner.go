package worker

import (
	"fmt"
	"path/filepath"

	"github.com/hrbc/hrbc/worker/sandbox"
)

// printBanner tells a person at the terminal what runs where and what to
// try first; logs say the same for machines.
func (p *Process) printBanner(intake, metrics string) {
	sb := p.sandbox
	if p.banner == nil {
		return
	}
	fmt.Fprintf(p.banner, `
hrbc is running on the embedded Temporal server.

  Temporal Web UI   %s
  Temporal frontend %s
  HTTP intake       http://%s
  Metrics           %s
  Database          %s
`, p.uiURL(), p.dev.FrontendAddress(), intake, metrics, p.cfg.DevDatabase)
	if sb != nil {
		fmt.Fprintf(p.banner, `  Sandbox store     %s (fake BigCommerce, token %s)
  Sandbox POS       %s (fake Heartland, token %s)
`, sb.BigCommerce.BaseURL(), sb.BigCommerce.Token, sb.Heartland.URL, sandbox.HeartlandToken)
		if dir := sandbox.StateDir(p.cfg.DevDatabase); dir != "" {
			fmt.Fprintf(p.banner, "  Sandbox state     %s\n", filepath.Join(dir, "sandbox-*.json"))
		}
	}
	fmt.Fprintf(p.banner, `
Try, in another terminal:
  go run ./cmd/starter connection show %[1]s
  go run ./cmd/starter sandbox order --sku HR-MUG-01 --qty 2
  go run ./cmd/starter orders list
  go run ./cmd/starter errors

Press Ctrl-C to stop.
`, sandbox.DemoConnectionID)
}

// uiURL is where the Web UI shows this namespace's workflows, or why
// there is none (a URL without a host helps nobody).
func (p *Process) uiURL() string {
	if p.dev.UIAddress() == "" {
		return "off (HRBC_DEV_UI_PORT=-1)"
	}
	return "http://" + p.dev.UIAddress() + "/namespaces/" + p.cfg.Namespace + "/workflows"
}
