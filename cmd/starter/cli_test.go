package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

func TestCLIConnectionCommands(t *testing.T) {
	cli := startBareCLI(t)

	out, err := cli("connection", "create", "acme", "--catalog-mode", "push", "--locations", "2,5")
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if !strings.Contains(out, "catalog mode              push") || !strings.Contains(out, "locations                 2, 5") {
		t.Errorf("create output:\n%s", out)
	}

	if _, err := cli("connection", "configure", "acme", "--catalog-mode", "mirror"); !errors.Is(err, starter.ErrInvalidSettings) ||
		!strings.Contains(err.Error(), "catalog_mode") {
		t.Errorf("bad mode: %v, want a refusal naming catalog_mode", err)
	}
	if _, err := cli("connection", "configure", "acme", "--locations", ""); !errors.Is(err, starter.ErrInvalidSettings) ||
		!strings.Contains(err.Error(), "location_ids") {
		t.Errorf("empty locations: %v, want a refusal naming location_ids", err)
	}
	var usage *usageError
	if _, err := cli("connection", "configure", "acme", "--locations", "two"); !errors.As(err, &usage) {
		t.Errorf("unparsable --locations: %v, want a usage error", err)
	}
	if _, err := cli("connection", "show"); !errors.As(err, &usage) {
		t.Errorf("show without an id: %v, want a usage error", err)
	}

	// configure changes only what it names.
	if _, err := cli("connection", "configure", "acme", "--order-sync", "--source-location", "5"); err != nil {
		t.Fatal(err)
	}
	out, err = cli("--json", "connection", "show", "acme")
	if err != nil {
		t.Fatal(err)
	}
	var st workflows.ConnectionStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	if st.Version != 2 || st.Settings.CatalogMode != workflows.CatalogPush || !st.Settings.OrderSync ||
		st.Settings.SourceLocationID != 5 || len(st.Settings.LocationIDs) != 2 {
		t.Errorf("after configure: %+v", st.Settings)
	}
	if _, err := cli("connection", "create", "acme"); !errors.Is(err, starter.ErrConnectionExists) {
		t.Errorf("second create: %v", err)
	}
	if _, err := cli("orders", "show", "7", "--connection", "acme"); !errors.Is(err, starter.ErrOrderNotFound) {
		t.Errorf("unknown order: %v", err)
	}
}

func TestParseLocations(t *testing.T) {
	for _, tc := range []struct {
		in   string
		all  bool
		ids  int
		fail bool
	}{{"all", true, 0, false}, {"ALL", true, 0, false}, {"1, 2,3", false, 3, false}, {"", false, 0, false}, {"1,x", false, 0, true}} {
		all, ids, err := parseLocations(tc.in)
		if (err != nil) != tc.fail || all != tc.all || len(ids) != tc.ids {
			t.Errorf("parseLocations(%q) = %v %v %v", tc.in, all, ids, err)
		}
	}
}
