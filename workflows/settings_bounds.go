package workflows

import (
	"fmt"
	"time"
)

// MaxOrderSweepSeconds bounds order_sweep_seconds at a day: the sweep is
// the backstop for missed webhooks, and a longer period (or one so large
// that seconds overflow a time.Duration, which used to turn into a sweep
// every second and a half) is never what a person meant.
const MaxOrderSweepSeconds = 24 * 60 * 60

// MinOrderSweepSeconds is the shortest sweep period: a second, which
// tests use; operators keep the default minute.
const MinOrderSweepSeconds = 1

// validateOrderSweep checks order_sweep_seconds (0 picks the default).
func (s Settings) validateOrderSweep() error {
	n := s.OrderSweepSeconds
	if n != 0 && (n < MinOrderSweepSeconds || n > MaxOrderSweepSeconds) {
		return &SettingsError{"order_sweep_seconds", fmt.Sprintf("%d is outside %d-%d (0: every %s)",
			n, MinOrderSweepSeconds, MaxOrderSweepSeconds, DefaultOrderSweepInterval)}
	}
	return nil
}

// Validate refuses options a person typed that the sync would otherwise
// quietly replace: a negative safety buffer or interval, an interval
// below a second. Zero values pick the defaults.
func (o InventoryOptions) Validate() error {
	if o.SafetyBuffer < 0 {
		return &SettingsError{"safety_buffer", fmt.Sprintf("%d is negative: give the units held back per SKU, 0 or more", o.SafetyBuffer)}
	}
	if o.BigCommerceLocationID < 0 {
		return &SettingsError{"bigcommerce_location_id", fmt.Sprintf("%d is not a location ID (0: the store's default location)", o.BigCommerceLocationID)}
	}
	for _, d := range []struct {
		name  string
		value time.Duration
	}{{"poll_interval", o.PollInterval}, {"reconcile_interval", o.ReconcileInterval}, {"retry_interval", o.RetryInterval}} {
		if d.value != 0 && d.value < time.Second {
			return &SettingsError{d.name, fmt.Sprintf("%v is below one second (0: the default)", d.value)}
		}
	}
	return o.validateGuard()
}
