package workflows

import (
	"errors"
	"testing"
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
