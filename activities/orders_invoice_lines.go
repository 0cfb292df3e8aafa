package activities

import (
	"context"
	"fmt"

	"github.com/hrbc/hrbc/activities/heartland"
)

// fillInvoice gives an invoice hrbc created the order lines distributed to
// its location that are not invoiced yet, when Heartland did not put them
// there itself: whether an invoice takes its lines on create is
// UNCONFIRMED, and either way the invoice must carry them before it is
// completed, or the goods that left are never taken off the books. Lines
// already on the invoice are left alone, so a rerun adds only what a crash
// left out.
func fillInvoice(ctx context.Context, hl *heartland.Client, invoiceID, orderID, locationID int64) error {
	have, err := hl.ListInvoiceLines(ctx, invoiceID)
	if err != nil {
		return heartlandError(fmt.Sprintf("list lines of Heartland invoice %d", invoiceID), err)
	}
	onInvoice := map[int64]bool{}
	for _, l := range have {
		onInvoice[l.OrderLineID] = true
	}
	lines, err := hl.ListSalesOrderLines(ctx, orderID)
	if err != nil {
		return heartlandError(fmt.Sprintf("list lines of Heartland order %d", orderID), err)
	}
	for _, l := range lines {
		if onInvoice[l.ID] || l.ShipFromLocationID == nil || *l.ShipFromLocationID != locationID {
			continue
		}
		rest := l.Qty.Decimal.Sub(l.QtyInvoiced.Decimal)
		if !rest.IsPositive() {
			continue
		}
		if _, err := hl.AddInvoiceLine(ctx, invoiceID, heartland.InvoiceLineFields{
			OrderLineID: l.ID, ItemID: l.ItemID, Qty: heartland.Decimal{Decimal: rest},
		}); err != nil {
			return heartlandError(fmt.Sprintf("add order line %d to Heartland invoice %d", l.ID, invoiceID), err)
		}
	}
	return nil
}
