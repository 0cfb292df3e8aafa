package heartland

import "context"

// Location is a store, warehouse or the e-commerce "Website" location.
type Location struct {
	ID       int64     `json:"id"`
	PublicID string    `json:"public_id"`
	Name     string    `json:"name"`
	Active   bool      `json:"active"`
	Stations []Station `json:"stations,omitempty"`
}

// UnmarshalJSON accepts "active?".
func (l *Location) UnmarshalJSON(b []byte) error {
	type plain Location
	return decodeWire(b, (*plain)(l))
}

// Station is a register at a location; every order and invoice names one.
type Station struct {
	ID         int64  `json:"id"`
	LocationID int64  `json:"location_id"`
	Name       string `json:"name"`
	Active     bool   `json:"active"`
}

// UnmarshalJSON accepts "active?".
func (s *Station) UnmarshalJSON(b []byte) error {
	type plain Station
	return decodeWire(b, (*plain)(s))
}

// ListLocations walks every location the token can see, each with its
// stations (_include[]=stations).
func (c *Client) ListLocations(ctx context.Context) ([]Location, error) {
	q := Query{Include: []string{"stations"}}
	return newWalker(c, "locations", q, Cursor{}, func(l *Location) int64 { return l.ID }).All(ctx)
}

// GetLocation reads one location with its stations.
func (c *Client) GetLocation(ctx context.Context, id int64) (Location, error) {
	var l Location
	err := c.get(ctx, idPath("locations", id), map[string][]string{"_include[]": {"stations"}}, &l)
	return l, err
}
