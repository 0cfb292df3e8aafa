package activities

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/heartland"
)

// Orders are the activities of the Order workflow: each method is one
// conversation with BigCommerce or Heartland about one order.
type Orders struct {
	// Connections gives each connection's API clients.
	Connections *Connections
	// Runs tells what the Order workflows have read of their orders, so
	// the sweep's listings leave those out (nil: every order is handed over).
	Runs OrderRuns
	// cache keeps what rarely changes (locations, the payment type) per
	// connection, so that each order does not ask again.
	cache orderCache
	// imports queues the imports of each connection (see importsPerConnection).
	imports importSlots
	// vocab keeps each account's order-status spellings (orders_status.go).
	vocab statusVocabulary
	// payClasses keeps each account's payment "type" spelling
	// (orders_payment_type.go).
	payClasses learnedStrings
}

func toLocations(locs []heartland.Location) []Location {
	out := make([]Location, 0, len(locs))
	for _, l := range locs {
		out = append(out, Location{ID: l.ID, Name: l.Name})
	}
	return out
}

// ErrTypeNoStation marks a Heartland location without an active station;
// orders and invoices need one.
const ErrTypeNoStation = "NoStation"

func hlDecimal(s string) (heartland.Decimal, error) {
	if s == "" {
		return heartland.Decimal{}, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return heartland.Decimal{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("amount %q is not a decimal", s), "BadAmount", err)
	}
	return heartland.Decimal{Decimal: d}, nil
}

func hlQty(n int) heartland.Qty { return heartland.Decimal{Decimal: decimal.NewFromInt(int64(n))} }

// stationOf returns the first active station of a location, from the
// cached location list. A location missing there, or without an active
// station, is read afresh before hrbc gives up: a register may have opened
// since the list was cached.
func (a *Orders) stationOf(ctx context.Context, connectionID string, hl *heartland.Client, locationID int64) (int64, error) {
	locs, err := a.locations(ctx, connectionID, hl)
	if err != nil {
		return 0, err
	}
	for _, l := range locs {
		if id, ok := activeStation(l); ok && l.ID == locationID {
			return id, nil
		}
	}
	loc, err := hl.GetLocation(ctx, locationID)
	if err != nil {
		return 0, heartlandError(fmt.Sprintf("read Heartland location %d", locationID), err)
	}
	if id, ok := activeStation(loc); ok {
		a.cache.locations.forget(connectionID)
		return id, nil
	}
	return 0, temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("Heartland location %d (%s) has no active station", locationID, loc.Name), ErrTypeNoStation, nil)
}

func activeStation(loc heartland.Location) (int64, bool) {
	for _, st := range loc.Stations {
		if st.Active {
			return st.ID, true
		}
	}
	return 0, false
}

// SetSalesOrderStatus moves a Heartland order to a status unless it is
// there already. The workflow's "canceled" and "closed" are sent in the
// account's own spelling (orders_status.go); a status Heartland refuses is
// a non-retryable ErrTypeHeartlandStatusRefused with Heartland's message,
// which the Order workflow shows as attention.
func (a *Orders) SetSalesOrderStatus(ctx context.Context, req SalesOrderStatusRequest) error {
	return withClientsDo(a.Connections, req.ConnectionID, func(cl Clients) error {
		o, err := cl.Heartland.GetSalesOrder(ctx, req.HeartlandOrderID)
		if err != nil {
			return heartlandError(fmt.Sprintf("read Heartland order %d", req.HeartlandOrderID), err)
		}
		if a.hrbcStatus(req.ConnectionID, cl.Heartland, o.Status) == req.Status {
			return nil
		}
		return a.setOrderStatus(ctx, req.ConnectionID, cl.Heartland, req.HeartlandOrderID, req.Status,
			fmt.Sprintf("set Heartland order %d to %s", req.HeartlandOrderID, req.Status))
	})
}

// OrderRequest names one BigCommerce order of a connection.
type OrderRequest struct {
	ConnectionID string `json:"connection_id"`
	OrderID      int    `json:"order_id"`
}

// OrderAddress is a postal address with the person it belongs to.
type OrderAddress struct {
	FirstName  string `json:"first_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`
	Company    string `json:"company,omitempty"`
	Line1      string `json:"line_1,omitempty"`
	Line2      string `json:"line_2,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Email      string `json:"email,omitempty"`
}

// Location is a Heartland location.
type Location struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// CustomerRef is a Heartland customer and the address ids of one order.
type CustomerRef struct {
	CustomerID        int64 `json:"customer_id"`
	BillingAddressID  int64 `json:"billing_address_id"`
	ShippingAddressID int64 `json:"shipping_address_id"`
}

// SalesLine is a line to put on the Heartland sales order.
type SalesLine struct {
	OrderProductID int    `json:"order_product_id"`
	ItemID         int64  `json:"item_id"`
	Quantity       int    `json:"quantity"`
	UnitPrice      string `json:"unit_price"`
}

// SalesOrderLine is a Heartland order line and the BigCommerce line it carries.
type SalesOrderLine struct {
	LineID         int64 `json:"line_id"`
	OrderProductID int   `json:"order_product_id"`
	ItemID         int64 `json:"item_id"`
	Quantity       int   `json:"quantity"`
	// ShipFromLocationID is 0 while the line is undistributed.
	ShipFromLocationID int64 `json:"ship_from_location_id,omitempty"`
}

// SalesOrderRef is the Heartland sales order of a BigCommerce order.
type SalesOrderRef struct {
	ID     int64            `json:"id"`
	Status string           `json:"status"`
	Lines  []SalesOrderLine `json:"lines"`
	// Created is true when this call created the order.
	Created bool `json:"created"`
	// Stamp is the order as of the lines above, when the request asked
	// for it (ImportSalesOrderRequest.Stamp) and the server printed one.
	Stamp *HeartlandStamp `json:"stamp,omitempty"`
}

// SalesOrderStatusRequest sets a Heartland sales order's status.
type SalesOrderStatusRequest struct {
	ConnectionID     string `json:"connection_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
	Status           string `json:"status"`
}
