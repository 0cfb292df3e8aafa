package workflows

import (
	"fmt"
	"slices"
	"time"
)

// CatalogMode decides which side creates catalog items.
type CatalogMode string

// The catalog modes a connection can run in.
const (
	// CatalogManual links items created by hand on both sides by SKU.
	CatalogManual CatalogMode = "manual"
	// CatalogPush creates BigCommerce products from Heartland items.
	CatalogPush CatalogMode = "push"
	// CatalogPull creates Heartland items from BigCommerce products.
	CatalogPull CatalogMode = "pull"
)

// CatalogModes lists the valid catalog modes in the order they are documented.
var CatalogModes = []CatalogMode{CatalogManual, CatalogPush, CatalogPull}

// Settings is what a merchant configures on a connection. Location IDs are
// Heartland location IDs; zero means "not set".
type Settings struct {
	// CatalogMode is manual, push or pull.
	CatalogMode CatalogMode `json:"catalog_mode"`
	// AllLocations makes every Heartland location contribute inventory.
	AllLocations bool `json:"all_locations"`
	// LocationIDs are the contributing locations when AllLocations is off.
	LocationIDs []int64 `json:"location_ids,omitempty"`
	// SourceLocationID is the location web orders are created at in
	// Heartland (a "Website" location is suggested). Required for order sync.
	SourceLocationID int64 `json:"source_location_id,omitempty"`
	// AutoDistributeLocationID, when set, ships every line of every order
	// from this location; otherwise orders wait for an admin to distribute.
	AutoDistributeLocationID int64 `json:"auto_distribute_location_id,omitempty"`
	// OutsideFulfillment means another service ships orders; hrbc records
	// BigCommerce's shipments as closed invoices in Heartland.
	OutsideFulfillment bool `json:"outside_fulfillment"`
	// FulfillmentLocationID is the single location those invoices are
	// created at. Required with OutsideFulfillment.
	FulfillmentLocationID int64 `json:"fulfillment_location_id,omitempty"`
	// OrderSync turns order import on.
	OrderSync bool `json:"order_sync"`
	// InventorySync turns inventory sync on.
	InventorySync bool `json:"inventory_sync"`
	// OrderSweepSeconds is how often the order sweep looks for orders a
	// webhook did not bring; 0 means DefaultOrderSweepInterval.
	OrderSweepSeconds int `json:"order_sweep_seconds,omitempty"`
	// HeartlandSweepSeconds is how often the Heartland sweep looks for
	// orders and invoices changed in Heartland's own screens; 0 means
	// DefaultHeartlandSweepInterval.
	HeartlandSweepSeconds int `json:"heartland_sweep_seconds,omitempty"`
	// Capture is how the store takes payments: CaptureAtCheckout ("" is
	// the same) or CaptureOnFirstShipment.
	Capture string `json:"capture,omitempty"`
}

func (s Settings) orderSweepInterval() time.Duration {
	if s.OrderSweepSeconds <= 0 {
		return DefaultOrderSweepInterval
	}
	// Settings stored before the bound was checked must not overflow.
	if s.OrderSweepSeconds > MaxOrderSweepSeconds {
		return MaxOrderSweepSeconds * time.Second
	}
	return time.Duration(s.OrderSweepSeconds) * time.Second
}

// DefaultSettings are the settings of a new connection: manual catalog, all
// locations contribute, nothing syncs until the merchant turns it on.
func DefaultSettings() Settings {
	return Settings{CatalogMode: CatalogManual, AllLocations: true}
}

// SettingsError reports one malformed setting, named by its JSON field.
type SettingsError struct {
	// Field is the JSON name of the offending setting.
	Field string
	// Problem says what is wrong with it.
	Problem string
}

func (e *SettingsError) Error() string {
	return fmt.Sprintf("invalid setting %s: %s", e.Field, e.Problem)
}

// Validate reports the first malformed setting, or nil.
func (s Settings) Validate() error {
	if !slices.Contains(CatalogModes, s.CatalogMode) {
		return &SettingsError{"catalog_mode", fmt.Sprintf("%q is not one of manual, push, pull", s.CatalogMode)}
	}
	switch {
	case s.AllLocations && len(s.LocationIDs) > 0:
		return &SettingsError{"location_ids", "must be empty when all_locations is on"}
	case !s.AllLocations && len(s.LocationIDs) == 0:
		return &SettingsError{"location_ids", "is empty and all_locations is off: no location would contribute inventory"}
	}
	seen := make(map[int64]bool, len(s.LocationIDs))
	for _, id := range s.LocationIDs {
		if id <= 0 {
			return &SettingsError{"location_ids", fmt.Sprintf("%d is not a location ID", id)}
		}
		if seen[id] {
			return &SettingsError{"location_ids", fmt.Sprintf("%d is listed twice", id)}
		}
		seen[id] = true
	}
	for _, f := range []struct {
		name string
		id   int64
	}{
		{"source_location_id", s.SourceLocationID},
		{"auto_distribute_location_id", s.AutoDistributeLocationID},
		{"fulfillment_location_id", s.FulfillmentLocationID},
	} {
		if f.id < 0 {
			return &SettingsError{f.name, fmt.Sprintf("%d is not a location ID", f.id)}
		}
	}
	if err := s.validateOrderSweep(); err != nil {
		return err
	}
	if err := s.validateCapture(); err != nil {
		return err
	}
	if s.HeartlandSweepSeconds < 0 {
		return &SettingsError{"heartland_sweep_seconds", "must not be negative"}
	}
	if s.OrderSync && s.SourceLocationID == 0 {
		return &SettingsError{"source_location_id", "is required when order_sync is on"}
	}
	if s.OutsideFulfillment && s.FulfillmentLocationID == 0 {
		return &SettingsError{"fulfillment_location_id", "is required when outside_fulfillment is on"}
	}
	return nil
}
