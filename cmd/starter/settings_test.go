package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/starter"
)

// TestCLIRefusesWrongSettings: values a person types that used to be
// accepted are refused by the same validator the workflow runs, with the
// setting's name, the value and the rule.
func TestCLIRefusesWrongSettings(t *testing.T) {
	run := startBareCLI(t)
	cli := func(args ...string) error {
		_, err := run(args...)
		return err
	}
	if err := cli("connection", "create", "acme"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"connection", "create", "../evil"}, `invalid setting connection_id: "../evil" is not a connection ID`},
		{[]string{"connection", "create", "a/b"}, `"a/b" is not a connection ID`},
		{[]string{"connection", "configure", "acme", "--order-sweep-seconds", "9223372036"}, "order_sweep_seconds: 9223372036 is outside 1-86400"},
		{[]string{"connection", "configure", "acme", "--order-sweep-seconds", "-1"}, "order_sweep_seconds: -1 is outside"},
		{[]string{"sync", "inventory", "acme", "--safety-buffer", "-2"}, "safety_buffer: -2 is negative"},
		{[]string{"connection", "configure", "acme", "--capture", "later"}, `capture: "later" is not one of at_checkout, on_first_shipment`},
	} {
		err := cli(tc.args...)
		if !errors.Is(err, starter.ErrInvalidSettings) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want a refusal saying %q", strings.Join(tc.args, " "), err, tc.says)
		}
	}
	if err := cli("connection", "configure", "acme", "--capture", "on_first_shipment"); err != nil {
		t.Errorf("--capture on_first_shipment: %v", err)
	}
	out, err := run("connection", "list")
	if err != nil || strings.Contains(out, "evil") || strings.Contains(out, "a/b") {
		t.Errorf("a refused connection was created anyway: %v\n%s", err, out)
	}
}
