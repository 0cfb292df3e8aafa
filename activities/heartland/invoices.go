package heartland

import (
	"context"
	"time"
)

// Invoice fulfils the lines of a sales order distributed to one location.
// Heartland will not invoice two locations in one step, so hrbc creates one
// invoice per fulfilling location; completing it consumes the stock.
type Invoice struct {
	ID               int64     `json:"id"`
	PublicID         string    `json:"public_id"`
	OrderID          int64     `json:"order_id"`
	Status           string    `json:"status"`
	SourceLocationID int64     `json:"source_location_id"`
	StationID        int64     `json:"station_id"`
	Total            Money     `json:"total"`
	Completed        bool      `json:"completed"`
	CompletedAt      time.Time `json:"completed_at,omitzero"`
	CreatedAt        time.Time `json:"created_at,omitzero"`
	// UpdatedAt moves when the invoice is created, completed or edited
	// (transactions print it, like orders).
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// UnmarshalJSON accepts "completed?".
func (i *Invoice) UnmarshalJSON(b []byte) error {
	type plain Invoice
	return decodeWire(b, (*plain)(i))
}

// InvoiceLine is a line of an invoice, pointing back at the order line.
type InvoiceLine struct {
	ID          int64  `json:"id"`
	InvoiceID   int64  `json:"invoice_id"`
	OrderLineID int64  `json:"order_line_id"`
	ItemID      int64  `json:"item_id"`
	Qty         Qty    `json:"qty"`
	UnitPrice   Money  `json:"unit_price"`
	Description string `json:"description,omitempty"`
}

// UnmarshalJSON accepts "?"-style boolean names.
func (l *InvoiceLine) UnmarshalJSON(b []byte) error {
	type plain InvoiceLine
	return decodeWire(b, (*plain)(l))
}

// InvoiceFields is the create body of an invoice. The fulfilling location
// must be the source location (and its station), or stock is consumed at
// the wrong place. Whether Heartland pulls the order lines distributed to
// that location onto the invoice by itself (as the UI pre-lists them) is
// UNCONFIRMED: read the invoice's lines back and AddInvoiceLine the
// missing ones.
type InvoiceFields struct {
	OrderID          int64   `json:"order_id"`
	SourceLocationID int64   `json:"source_location_id"`
	StationID        int64   `json:"station_id"`
	PublicID         *string `json:"public_id,omitempty"`
}

// ListInvoicesByOrder walks every invoice of a sales order.
func (c *Client) ListInvoicesByOrder(ctx context.Context, orderID int64) ([]Invoice, error) {
	q := Query{Filters: []Filter{{"order_id": orderID}}}
	return newWalker(c, "sales/invoices", q, Cursor{}, func(i *Invoice) int64 { return i.ID }).All(ctx)
}

// GetInvoice reads one invoice.
func (c *Client) GetInvoice(ctx context.Context, id int64) (Invoice, error) {
	var inv Invoice
	err := c.get(ctx, idPath("sales/invoices", id), nil, &inv)
	return inv, err
}

// ListInvoiceLines walks an invoice's lines.
func (c *Client) ListInvoiceLines(ctx context.Context, invoiceID int64) ([]InvoiceLine, error) {
	return newWalker(c, idPath("sales/invoices", invoiceID)+"/lines", Query{}, Cursor{}, func(l *InvoiceLine) int64 { return l.ID }).All(ctx)
}

// InvoiceLineFields is the body of a new invoice line: an order line
// distributed to the invoice's location and how much of it to invoice.
type InvoiceLineFields struct {
	OrderLineID int64 `json:"order_line_id"`
	ItemID      int64 `json:"item_id,omitempty"`
	Qty         Qty   `json:"qty"`
}

// AddInvoiceLine adds a line to an invoice that is not complete yet and
// returns its id.
func (c *Client) AddInvoiceLine(ctx context.Context, invoiceID int64, l InvoiceLineFields) (int64, error) {
	return c.create(ctx, idPath("sales/invoices", invoiceID)+"/lines", l)
}

// CreateInvoice creates an invoice for an order at one location and returns its id.
func (c *Client) CreateInvoice(ctx context.Context, f InvoiceFields) (int64, error) {
	return c.create(ctx, "sales/invoices", f)
}

// CompleteInvoice PUTs Config.InvoiceCompleteStatus ("complete"), which posts
// the invoice and consumes its stock.
func (c *Client) CompleteInvoice(ctx context.Context, id int64) error {
	return c.put(ctx, idPath("sales/invoices", id), map[string]string{"status": c.cfg.InvoiceCompleteStatus})
}
