package activities

import (
	"context"
	"fmt"
)

// ReadHeartlandOrder reads a sales order's status and where each line
// ships from: what store staff may have changed in Heartland's screens
// (distributed, cancelled, closed). Two calls.
func (a *Orders) ReadHeartlandOrder(ctx context.Context, req HeartlandOrderRequest) (HeartlandOrderSnapshot, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (HeartlandOrderSnapshot, error) {
		o, err := cl.Heartland.GetSalesOrder(ctx, req.HeartlandOrderID)
		if err != nil {
			return HeartlandOrderSnapshot{}, heartlandError(fmt.Sprintf("read Heartland order %d", req.HeartlandOrderID), err)
		}
		lines, err := cl.Heartland.ListSalesOrderLines(ctx, req.HeartlandOrderID)
		if err != nil {
			return HeartlandOrderSnapshot{}, heartlandError(fmt.Sprintf("list lines of Heartland order %d", req.HeartlandOrderID), err)
		}
		snap := HeartlandOrderSnapshot{Status: a.hrbcStatus(req.ConnectionID, cl.Heartland, o.Status)}
		for _, l := range lines {
			hl := HeartlandLine{LineID: l.ID}
			if l.ShipFromLocationID != nil {
				hl.LocationID = *l.ShipFromLocationID
			}
			snap.Lines = append(snap.Lines, hl)
		}
		return snap, nil
	})
}

// HeartlandOrderRequest names one Heartland sales order of a connection.
type HeartlandOrderRequest struct {
	ConnectionID     string `json:"connection_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
}

// HeartlandOrderSnapshot is a sales order as Heartland has it now.
type HeartlandOrderSnapshot struct {
	// Status is Heartland's in the workflow's words: pending, open, closed,
	// canceled (the account's own spelling translated, orders_status.go).
	Status string          `json:"status"`
	Lines  []HeartlandLine `json:"lines"`
}

// HeartlandLine is where one order line ships from; 0 while undistributed.
type HeartlandLine struct {
	LineID     int64 `json:"line_id"`
	LocationID int64 `json:"location_id,omitempty"`
}
