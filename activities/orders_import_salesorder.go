package activities

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/heartland"
)

// ensureSalesOrder creates the order unless existing is it, then completes
// what a crash may have left undone: missing lines, the pending status.
// Lines are matched to BigCommerce lines by position: hrbc is the only
// writer of an order's lines, and adds them in BigCommerce's order.
// leave, when set, is called once the writes are done and only the stamp
// (req.Stamp) is left to read: the import gives its turn to the next one
// rather than hold it through the stamp's second.
func (a *Orders) ensureSalesOrder(ctx context.Context, hl *heartland.Client, existing *heartland.SalesOrder, req EnsureSalesOrderRequest, leave func()) (SalesOrderRef, error) {
	if leave == nil {
		leave = func() {}
	}
	var ref SalesOrderRef
	if existing != nil {
		ref.ID, ref.Status = existing.ID, existing.Status
	} else {
		o, created, err := a.createSalesOrder(ctx, hl, req)
		if err != nil {
			return SalesOrderRef{}, err
		}
		ref.ID, ref.Status, ref.Created = o.ID, o.Status, created
	}

	// An order just created has its lines (the create carries them):
	// asked for a stamp, it is released at once, then stamped, then its
	// lines read, so the stamp costs one call (two where the lines came
	// before the release) and the stock is committed a call sooner. It
	// stays good when nothing is written after (a nested price Heartland
	// dropped, a line it lost).
	var stamp *HeartlandStamp
	if req.Stamp && ref.Created && !req.Cancelled {
		if ref.Status == heartland.OrderPending {
			if err := hl.SetSalesOrderStatus(ctx, ref.ID, heartland.OrderOpen); err != nil {
				return SalesOrderRef{}, heartlandError("open Heartland order "+req.PublicID, err)
			}
			ref.Status = heartland.OrderOpen
		}
		leave()
		var err error
		if stamp, err = a.readStamp(ctx, req.ConnectionID, hl, ref.ID, req.PublicID); err != nil {
			return SalesOrderRef{}, err
		}
	}
	wrote := false
	lines, err := hl.ListSalesOrderLines(ctx, ref.ID)
	if err != nil {
		return SalesOrderRef{}, heartlandError("list lines of Heartland order "+req.PublicID, err)
	}
	if len(lines) > len(req.Lines) {
		return SalesOrderRef{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("Heartland order %s has %d lines, the BigCommerce order %d", req.PublicID, len(lines), len(req.Lines)),
			"LinesMismatch", nil)
	}
	for i, want := range req.Lines {
		if i < len(lines) {
			if lines[i].ItemID != want.ItemID {
				return SalesOrderRef{}, temporal.NewNonRetryableApplicationError(
					fmt.Sprintf("line %d of Heartland order %s is item %d, expected %d", i+1, req.PublicID, lines[i].ItemID, want.ItemID),
					"LinesMismatch", nil)
			}
			set, err := ensureLinePrice(ctx, hl, ref.ID, lines[i], want, req.PublicID, i)
			if err != nil {
				return SalesOrderRef{}, err
			}
			wrote = wrote || set
			continue
		}
		fields, err := lineFields(want)
		if err != nil {
			return SalesOrderRef{}, err
		}
		id, err := hl.AddSalesOrderLine(ctx, ref.ID, fields)
		if err != nil {
			return SalesOrderRef{}, heartlandError(fmt.Sprintf("add line %d to Heartland order %s", i+1, req.PublicID), err)
		}
		lines = append(lines, heartland.OrderLine{ID: id, ItemID: want.ItemID, Qty: hlQty(want.Quantity)})
		wrote = true
	}
	ref.Status = a.hrbcStatus(req.ConnectionID, hl, ref.Status)
	if req.Cancelled && !orderFinished(ref.Status) {
		// A sale the web store cancelled is kept for the record and commits
		// nothing. Where Heartland creates orders open it was committed for
		// the moment between the two calls.
		if err := a.setOrderStatus(ctx, req.ConnectionID, hl, ref.ID, heartland.OrderCanceled, "cancel Heartland order "+req.PublicID); err != nil {
			return SalesOrderRef{}, err
		}
		ref.Status = heartland.OrderCanceled
		wrote = true
	}
	if ref.Status == heartland.OrderPending {
		// Only an open order commits stock; a pending one lets the website oversell.
		if err := hl.SetSalesOrderStatus(ctx, ref.ID, heartland.OrderOpen); err != nil {
			return SalesOrderRef{}, heartlandError("open Heartland order "+req.PublicID, err)
		}
		ref.Status = heartland.OrderOpen
		wrote = true
	}
	if req.Stamp && !req.Cancelled && (stamp == nil || wrote) {
		leave()
		if stamp, lines, err = a.restamp(ctx, req.ConnectionID, hl, ref.ID, req.PublicID, lines); err != nil {
			return SalesOrderRef{}, err
		}
	}
	ref.Stamp = stamp
	for i, l := range lines {
		sl := SalesOrderLine{LineID: l.ID, OrderProductID: req.Lines[i].OrderProductID, ItemID: l.ItemID, Quantity: req.Lines[i].Quantity}
		if l.ShipFromLocationID != nil {
			sl.ShipFromLocationID = *l.ShipFromLocationID
		}
		ref.Lines = append(ref.Lines, sl)
	}
	return ref, nil
}

// createSalesOrder creates the order with its lines in one call, so there
// is no order without lines for a crash to leave behind; with
// CreateOrdersOpen it is created open too, else ensureSalesOrder releases it
// afterwards as working integrations do. When the create fails but the order
// exists after all (another attempt of the import made it, or this one's
// answer was lost), that order is returned with created=false.
func (a *Orders) createSalesOrder(ctx context.Context, hl *heartland.Client, req EnsureSalesOrderRequest) (heartland.SalesOrder, bool, error) {
	station, err := a.stationOf(ctx, req.ConnectionID, hl, req.SourceLocationID)
	if err != nil {
		return heartland.SalesOrder{}, false, err
	}
	shipping, err := hlDecimal(req.ShippingCharge)
	if err != nil {
		return heartland.SalesOrder{}, false, err
	}
	lines := make([]heartland.OrderLineFields, 0, len(req.Lines))
	for _, l := range req.Lines {
		f, err := lineFields(l)
		if err != nil {
			return heartland.SalesOrder{}, false, err
		}
		lines = append(lines, f)
	}
	status := heartland.OrderPending
	fields := heartland.SalesOrderFields{
		PublicID: &req.PublicID, CustomerID: &req.Customer.CustomerID,
		SourceLocationID: &req.SourceLocationID, StationID: &station,
		BillingAddressID: &req.Customer.BillingAddressID, ShippingAddressID: &req.Customer.ShippingAddressID,
		ShippingCharge: &shipping, Lines: lines,
	}
	if hl.CreatesOrdersOpen() {
		status = heartland.OrderOpen
		fields.Status = &status
	}
	id, err := hl.CreateSalesOrder(ctx, fields)
	if err != nil {
		// Another attempt of this import (a timed-out one still running)
		// may have created it meanwhile; its public_id is then taken.
		if o, ferr := findSalesOrder(ctx, hl, req.PublicID); ferr == nil && o != nil {
			return *o, false, nil
		}
		// The cached station may be what Heartland refused (deactivated
		// since): the retry reads the locations afresh.
		a.cache.locations.forget(req.ConnectionID)
		return heartland.SalesOrder{}, false, heartlandError("create Heartland order "+req.PublicID, err)
	}
	return heartland.SalesOrder{ID: id, Status: status}, true, nil
}

// ensureLinePrice makes an existing line carry the web price. Prices on
// nested lines of a create are UNCONFIRMED (only lines posted one by one
// are seen with adjusted_unit_price); a line left at Heartland's own price
// would make the order total differ from the payment and keep it pending.
// It reports whether it wrote the price.
func ensureLinePrice(ctx context.Context, hl *heartland.Client, orderID int64, line heartland.OrderLine, want SalesLine, publicID string, i int) (bool, error) {
	price, err := hlDecimal(want.UnitPrice)
	if err != nil || want.UnitPrice == "" {
		return false, err
	}
	have := line.AdjustedUnitPrice
	if have.IsZero() {
		have = line.UnitPrice // no adjustment: the item's own price applies
	}
	if have.Equal(price) {
		return false, nil
	}
	if err := hl.SetLinePrice(ctx, orderID, line.ID, price); err != nil {
		return false, heartlandError(fmt.Sprintf("set the price of line %d of Heartland order %s", i+1, publicID), err)
	}
	return true, nil
}

func lineFields(l SalesLine) (heartland.OrderLineFields, error) {
	price, err := hlDecimal(l.UnitPrice)
	if err != nil {
		return heartland.OrderLineFields{}, err
	}
	return heartland.OrderLineFields{ItemID: l.ItemID, Qty: hlQty(l.Quantity), AdjustedUnitPrice: &price}, nil
}
