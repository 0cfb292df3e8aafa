package activities

import (
	"context"
	"fmt"

	"github.com/hrbc/hrbc/activities/heartland"
)

// RefreshShipFromLocations lists the Heartland locations afresh, past the
// cache: an admin distributing to a location opened since the order was
// imported must find it.
func (a *Orders) RefreshShipFromLocations(ctx context.Context, req ConnectionRequest) ([]Location, error) {
	a.cache.locations.forget(req.ConnectionID)
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) ([]Location, error) {
		return a.shipFromLocations(ctx, req.ConnectionID, cl.Heartland)
	})
}

// shipFromLocations lists the Heartland locations orders may ship from,
// from the connection's cache.
func (a *Orders) shipFromLocations(ctx context.Context, connectionID string, hl *heartland.Client) ([]Location, error) {
	locs, err := a.locations(ctx, connectionID, hl)
	if err != nil {
		return nil, err
	}
	return toLocations(locs), nil
}

// DistributeLines sets each line's ship-from location. Writing the same
// location again is harmless, so a retry after a crash is too.
func (a *Orders) DistributeLines(ctx context.Context, req DistributeRequest) error {
	return withClientsDo(a.Connections, req.ConnectionID, func(cl Clients) error {
		for _, l := range req.Lines {
			if err := cl.Heartland.SetLineShipFrom(ctx, req.HeartlandOrderID, l.LineID, l.LocationID); err != nil {
				return heartlandError(fmt.Sprintf("distribute line %d of Heartland order %d to location %d", l.LineID, req.HeartlandOrderID, l.LocationID), err)
			}
		}
		return nil
	})
}

// LineLocation assigns a Heartland order line to a ship-from location.
type LineLocation struct {
	LineID     int64 `json:"line_id"`
	LocationID int64 `json:"location_id"`
}

// DistributeRequest sets ship-from locations of a sales order's lines.
type DistributeRequest struct {
	ConnectionID     string         `json:"connection_id"`
	HeartlandOrderID int64          `json:"heartland_order_id"`
	Lines            []LineLocation `json:"lines"`
}
