package heartland

import (
	"context"
	"time"
)

// Heartland has no change feed for sales orders or invoices (no webhook is
// known for either), so hrbc finds what store staff did in Heartland's own
// screens by their updated_at, the way inventory changes are found by
// created_at: a keyset walk by id of the records updated at or after a
// watermark. Whether editing an order line moves its order's updated_at is
// UNCONFIRMED; callers must not rely on it alone.

// updatedSince is the filter of records updated at or after since.
func updatedSince(since time.Time) Query {
	return Query{Filters: []Filter{{"updated_at": Gte(since.UTC().Format(time.RFC3339))}}}
}

// WalkSalesOrdersUpdatedSince walks the sales orders updated at or after
// since (status changes, distribution, payments, invoicing).
func (c *Client) WalkSalesOrdersUpdatedSince(since time.Time, from Cursor) *Walker[SalesOrder] {
	return newWalker(c, "sales/orders", updatedSince(since), from, func(o *SalesOrder) int64 { return o.ID })
}

// WalkInvoicesUpdatedSince walks the invoices updated at or after since:
// created or completed, whoever did it.
func (c *Client) WalkInvoicesUpdatedSince(since time.Time, from Cursor) *Walker[Invoice] {
	return newWalker(c, "sales/invoices", updatedSince(since), from, func(i *Invoice) int64 { return i.ID })
}

// ListSalesOrdersByID reads the sales orders with these ids in one call,
// only their id, public_id and status: enough to name the web order an
// invoice belongs to. Ask for at most a page's worth at a time.
func (c *Client) ListSalesOrdersByID(ctx context.Context, ids []int64) ([]SalesOrder, error) {
	q := Query{Filters: []Filter{{"id": In(ids...)}}, Only: []string{"id", "public_id", "status"}, PerPage: len(ids)}
	pg, err := c.ListSalesOrders(ctx, q)
	return pg.Results, err
}
