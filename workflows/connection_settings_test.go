package workflows

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSettingsValidate(t *testing.T) {
	mutate := func(f func(*Settings)) Settings {
		s := DefaultSettings()
		f(&s)
		return s
	}
	cases := []struct {
		name  string
		s     Settings
		field string // empty: valid
	}{
		{"defaults", DefaultSettings(), ""},
		{"listed locations", mutate(func(s *Settings) { s.AllLocations = false; s.LocationIDs = []int64{1, 2} }), ""},
		{"unknown mode", mutate(func(s *Settings) { s.CatalogMode = "sync" }), "catalog_mode"},
		{"empty mode", mutate(func(s *Settings) { s.CatalogMode = "" }), "catalog_mode"},
		{"no locations", mutate(func(s *Settings) { s.AllLocations = false }), "location_ids"},
		{"all plus list", mutate(func(s *Settings) { s.LocationIDs = []int64{1} }), "location_ids"},
		{"zero location", mutate(func(s *Settings) { s.AllLocations = false; s.LocationIDs = []int64{0} }), "location_ids"},
		{"duplicate location", mutate(func(s *Settings) { s.AllLocations = false; s.LocationIDs = []int64{3, 3} }), "location_ids"},
		{"order sync without source", mutate(func(s *Settings) { s.OrderSync = true }), "source_location_id"},
		{"negative source", mutate(func(s *Settings) { s.SourceLocationID = -1 }), "source_location_id"},
		{"negative auto-distribute", mutate(func(s *Settings) { s.AutoDistributeLocationID = -2 }), "auto_distribute_location_id"},
		{"outside fulfillment without location", mutate(func(s *Settings) { s.OutsideFulfillment = true }), "fulfillment_location_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.s.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var se *SettingsError
			if !errors.As(err, &se) || se.Field != tc.field {
				t.Fatalf("Validate() = %v, want error on %s", err, tc.field)
			}
		})
	}
}

// TestSettingsBounds covers settings that were accepted but wrong: each is
// refused with a message naming the value and the rule.
func TestSettingsBounds(t *testing.T) {
	huge := DefaultSettings()
	huge.OrderSweepSeconds = 1 << 62 // overflowed into a sweep every 1.5 s
	negative := DefaultSettings()
	negative.OrderSweepSeconds = -5
	for _, tc := range []struct {
		s    Settings
		want string
	}{
		{huge, "4611686018427387904 is outside 1-86400"},
		{negative, "-5 is outside"},
	} {
		var se *SettingsError
		if err := tc.s.Validate(); !errors.As(err, &se) || se.Field != "order_sweep_seconds" || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("OrderSweepSeconds %d: %v, want %q", tc.s.OrderSweepSeconds, err, tc.want)
		}
	}
	// A value stored before the check sweeps daily, never every 1.5 s.
	if got := huge.orderSweepInterval(); got != 24*time.Hour {
		t.Errorf("interval of an overflowing value = %s, want 24h", got)
	}
	ok := DefaultSettings()
	ok.OrderSweepSeconds = MaxOrderSweepSeconds
	if err := ok.Validate(); err != nil {
		t.Errorf("a day: %v", err)
	}
}

func TestValidateConnectionID(t *testing.T) {
	for _, id := range []string{"demo", "acme-2", "A_b"} {
		if err := ValidateConnectionID(id); err != nil {
			t.Errorf("%q: %v", id, err)
		}
	}
	for _, id := range []string{"", "../evil", "a/b", "a.b", "-x", " demo", strings.Repeat("a", 64)} {
		var se *SettingsError
		if err := ValidateConnectionID(id); !errors.As(err, &se) || se.Field != "connection_id" || !strings.Contains(err.Error(), strconv.Quote(id)) {
			t.Errorf("%q: %v, want a refusal quoting it", id, err)
		}
	}
}

func TestInventoryOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		o     InventoryOptions
		field string
	}{
		{InventoryOptions{SafetyBuffer: -1}, "safety_buffer"},
		{InventoryOptions{PollInterval: -time.Second}, "poll_interval"},
		{InventoryOptions{ReconcileInterval: time.Millisecond}, "reconcile_interval"},
		{InventoryOptions{BigCommerceLocationID: -3}, "bigcommerce_location_id"},
	} {
		var se *SettingsError
		if err := tc.o.Validate(); !errors.As(err, &se) || se.Field != tc.field {
			t.Errorf("%+v: %v, want a refusal on %s", tc.o, err, tc.field)
		}
	}
	if err := (InventoryOptions{SafetyBuffer: 2, PollInterval: 2 * time.Second}).Validate(); err != nil {
		t.Errorf("good options: %v", err)
	}
}
