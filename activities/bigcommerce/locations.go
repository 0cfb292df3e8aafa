package bigcommerce

import (
	"context"
	"net/http"
	"net/url"

	"github.com/hrbc/hrbc/activities/apierror"
)

// Location is an inventory location. The object carries no "is default"
// flag; find the default one with DefaultLocation.
type Location struct {
	ID                      int    `json:"id"`
	Code                    string `json:"code"`
	Label                   string `json:"label"`
	Description             string `json:"description"`
	ManagedByExternalSource bool   `json:"managed_by_external_source"`
	TypeID                  string `json:"type_id"`
	Enabled                 bool   `json:"enabled"`
	StorefrontVisibility    bool   `json:"storefront_visibility"`
	TimeZone                string `json:"time_zone"`
	CreatedAt               Time   `json:"created_at"`
	UpdatedAt               Time   `json:"updated_at"`
}

// ListLocations returns every inventory location.
func (c *Client) ListLocations(ctx context.Context) ([]Location, error) {
	return v3Walk[Location](ctx, c, "/v3/inventory/locations", nil, MaxPageLimit)
}

// DefaultLocation returns the store's default location (the one catalog
// inventory_level reflects and the storefront sells from), found with the
// is_default filter because the location object has no such field.
func (c *Client) DefaultLocation(ctx context.Context) (Location, error) {
	const path = "/v3/inventory/locations"
	locs, _, err := v3Page[Location](ctx, c, path, url.Values{"is_default": {"true"}})
	if err != nil {
		return Location{}, err
	}
	if len(locs) == 0 {
		return Location{}, &APIError{Kind: apierror.KindNotFound, Method: http.MethodGet, Path: path, Status: http.StatusNotFound, Message: "no default location"}
	}
	return locs[0], nil
}
