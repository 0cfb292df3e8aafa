package heartland

import (
	"context"
	"time"
)

// Sales-order statuses. Pending orders do not commit stock; open orders do.
const (
	// OrderPending is a created, unreleased order (commits no stock).
	OrderPending = "pending"
	// OrderOpen is a released order (commits its undelivered stock).
	OrderOpen = "open"
	// OrderClosed is a finished order.
	OrderClosed = "closed"
	// OrderCanceled is UNCONFIRMED for sales orders (purchase orders use this
	// spelling); the fake accepts it and releases the commitment.
	OrderCanceled = "canceled"
)

// SalesOrder is a Heartland sales order (e-commerce orders land here).
type SalesOrder struct {
	ID                int64          `json:"id"`
	PublicID          string         `json:"public_id"`
	Status            string         `json:"status"`
	CustomerID        *int64         `json:"customer_id,omitempty"`
	SourceLocationID  int64          `json:"source_location_id"`
	StationID         int64          `json:"station_id"`
	BillingAddressID  *int64         `json:"billing_address_id,omitempty"`
	ShippingAddressID *int64         `json:"shipping_address_id,omitempty"`
	ShippingCharge    Money          `json:"shipping_charge"`
	Subtotal          Money          `json:"subtotal"`
	Total             Money          `json:"total"`
	TotalPaid         Money          `json:"total_paid"`
	Balance           Money          `json:"balance"`
	Custom            map[string]any `json:"custom,omitempty"`
	CreatedAt         time.Time      `json:"created_at,omitzero"`
	UpdatedAt         time.Time      `json:"updated_at,omitzero"`
}

// UnmarshalJSON accepts "?"-style boolean names.
func (o *SalesOrder) UnmarshalJSON(b []byte) error {
	type plain SalesOrder
	return decodeWire(b, (*plain)(o))
}

// OrderLine is an item line of a sales order. ShipFromLocationID nil means
// the line is not distributed yet.
type OrderLine struct {
	ID                 int64  `json:"id"`
	OrderID            int64  `json:"order_id"`
	ItemID             int64  `json:"item_id"`
	ItemPublicID       string `json:"item_public_id,omitempty"`
	Description        string `json:"description,omitempty"`
	Qty                Qty    `json:"qty"`
	QtyInvoiced        Qty    `json:"qty_invoiced"`
	UnitPrice          Money  `json:"unit_price"`
	AdjustedUnitPrice  Money  `json:"adjusted_unit_price"`
	ShipFromLocationID *int64 `json:"ship_from_location_id,omitempty"`
}

// UnmarshalJSON accepts "?"-style boolean names.
func (l *OrderLine) UnmarshalJSON(b []byte) error {
	type plain OrderLine
	return decodeWire(b, (*plain)(l))
}

// OrderLineFields is the body of a new order line (nested in
// SalesOrderFields.Lines or posted to /lines). Set ItemID or ItemLookup.
type OrderLineFields struct {
	ItemID             int64  `json:"item_id,omitempty"`
	ItemLookup         string `json:"item_lookup,omitempty"`
	Qty                Qty    `json:"qty"`
	AdjustedUnitPrice  *Money `json:"adjusted_unit_price,omitempty"`
	Description        string `json:"description,omitempty"`
	ShipFromLocationID *int64 `json:"ship_from_location_id,omitempty"`
}

// SalesOrderFields is a create or partial-update body for a sales order.
// Setting PublicID (hrbc uses "BC-<orderID>") makes creation idempotent:
// a second create is rejected as a conflict.
type SalesOrderFields struct {
	PublicID          *string           `json:"public_id,omitempty"`
	Status            *string           `json:"status,omitempty"`
	CustomerID        *int64            `json:"customer_id,omitempty"`
	SourceLocationID  *int64            `json:"source_location_id,omitempty"`
	StationID         *int64            `json:"station_id,omitempty"`
	BillingAddressID  *int64            `json:"billing_address_id,omitempty"`
	ShippingAddressID *int64            `json:"shipping_address_id,omitempty"`
	ShippingCharge    *Money            `json:"shipping_charge,omitempty"`
	Custom            map[string]any    `json:"custom,omitempty"`
	Lines             []OrderLineFields `json:"lines,omitempty"`
}

// CreateSalesOrder creates a sales order (optionally with nested lines) and
// returns its id.
func (c *Client) CreateSalesOrder(ctx context.Context, f SalesOrderFields) (int64, error) {
	return c.create(ctx, "sales/orders", f)
}

// GetSalesOrder reads one sales order.
func (c *Client) GetSalesOrder(ctx context.Context, id int64) (SalesOrder, error) {
	var o SalesOrder
	err := c.get(ctx, idPath("sales/orders", id), nil, &o)
	return o, err
}

// FindSalesOrderByPublicID returns the order with this public_id or a
// apierror.KindNotFound error; it is the lookup-before-create of order intake.
func (c *Client) FindSalesOrderByPublicID(ctx context.Context, publicID string) (SalesOrder, error) {
	return first[SalesOrder](ctx, c, "sales/orders", Query{Filters: []Filter{{"public_id": publicID}}}, "sales order with public_id "+publicID)
}

// ListSalesOrders reads one page of sales orders.
func (c *Client) ListSalesOrders(ctx context.Context, q Query) (Page[SalesOrder], error) {
	return list[SalesOrder](ctx, c, "sales/orders", q)
}

// UpdateSalesOrder applies a partial update.
func (c *Client) UpdateSalesOrder(ctx context.Context, id int64, f SalesOrderFields) error {
	return c.put(ctx, idPath("sales/orders", id), f)
}

// SetSalesOrderStatus PUTs {"status": status}; "open" releases a pending
// order and commits its stock.
func (c *Client) SetSalesOrderStatus(ctx context.Context, id int64, status string) error {
	return c.put(ctx, idPath("sales/orders", id), map[string]string{"status": status})
}

// ListSalesOrderLines walks an order's lines.
func (c *Client) ListSalesOrderLines(ctx context.Context, orderID int64) ([]OrderLine, error) {
	return newWalker(c, idPath("sales/orders", orderID)+"/lines", Query{}, Cursor{}, func(l *OrderLine) int64 { return l.ID }).All(ctx)
}

// AddSalesOrderLine adds a line and returns its id.
func (c *Client) AddSalesOrderLine(ctx context.Context, orderID int64, l OrderLineFields) (int64, error) {
	return c.create(ctx, idPath("sales/orders", orderID)+"/lines", l)
}

// SetLineShipFrom distributes a line to a fulfilling location
// (PUT {"ship_from_location_id": …}, the only distribution mechanism seen).
func (c *Client) SetLineShipFrom(ctx context.Context, orderID, lineID, locationID int64) error {
	return c.put(ctx, idPath(idPath("sales/orders", orderID)+"/lines", lineID), map[string]int64{"ship_from_location_id": locationID})
}

// SetLinePrice sets a line's adjusted unit price
// (PUT {"adjusted_unit_price": …}).
func (c *Client) SetLinePrice(ctx context.Context, orderID, lineID int64, price Money) error {
	return c.put(ctx, idPath(idPath("sales/orders", orderID)+"/lines", lineID), map[string]Money{"adjusted_unit_price": price})
}

// Transaction is a completed POS transaction (Ticket, Return, Invoice) as
// REST and the sales_transaction_completed webhook print it.
type Transaction struct {
	ID               int64     `json:"id"`
	Type             string    `json:"type"`
	PublicID         string    `json:"public_id"`
	CustomerID       *int64    `json:"customer_id,omitempty"`
	SourceLocationID int64     `json:"source_location_id"`
	StationID        int64     `json:"station_id"`
	Status           string    `json:"status"`
	Completed        bool      `json:"completed"`
	CompletedAt      time.Time `json:"completed_at,omitzero"`
	Total            Money     `json:"total"`
	Subtotal         Money     `json:"subtotal"`
	TaxTotal         Money     `json:"tax_total"`
	CreatedAt        time.Time `json:"created_at,omitzero"`
	UpdatedAt        time.Time `json:"updated_at,omitzero"`
}

// UnmarshalJSON accepts "completed?".
func (t *Transaction) UnmarshalJSON(b []byte) error {
	type plain Transaction
	return decodeWire(b, (*plain)(t))
}

// TicketLine is an item line of a POS ticket.
type TicketLine struct {
	ID                int64  `json:"id"`
	Type              string `json:"type,omitempty"`
	ItemID            int64  `json:"item_id"`
	ItemPublicID      string `json:"item_public_id,omitempty"`
	Description       string `json:"description,omitempty"`
	Qty               Qty    `json:"qty"`
	UnitPrice         Money  `json:"unit_price"`
	AdjustedUnitPrice Money  `json:"adjusted_unit_price"`
	Value             Money  `json:"value"`
}

// UnmarshalJSON accepts "?"-style boolean names.
func (l *TicketLine) UnmarshalJSON(b []byte) error {
	type plain TicketLine
	return decodeWire(b, (*plain)(l))
}

// GetTicket reads one POS ticket.
func (c *Client) GetTicket(ctx context.Context, id int64) (Transaction, error) {
	var t Transaction
	err := c.get(ctx, idPath("sales/tickets", id), nil, &t)
	return t, err
}

// ListTicketLines walks a ticket's lines, e.g. to learn which items a
// sales_transaction_completed webhook moved.
func (c *Client) ListTicketLines(ctx context.Context, ticketID int64) ([]TicketLine, error) {
	return newWalker(c, idPath("sales/tickets", ticketID)+"/lines", Query{}, Cursor{}, func(l *TicketLine) int64 { return l.ID }).All(ctx)
}
