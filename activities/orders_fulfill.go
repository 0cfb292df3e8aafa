package activities

import (
	"context"
	"fmt"

	"github.com/hrbc/hrbc/activities/heartland"
)

// outsidePaymentMarker names the payment of an outside-fulfilled order.
const outsidePaymentMarker = "BigCommerce payment, fulfilled outside Heartland"

// RecordOutsideFulfillment turns an order that another service shipped into
// a completed invoice at the one fulfillment location, with its external
// payment. The order's lines must already ship from that location. A rerun
// completes what a crash left half done and creates nothing twice.
func (a *Orders) RecordOutsideFulfillment(ctx context.Context, req OutsideFulfillmentRequest) error {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return err
	}
	hl := cl.Heartland
	invs, err := hl.ListInvoicesByOrder(ctx, req.HeartlandOrderID)
	if err != nil {
		return heartlandError(fmt.Sprintf("list invoices of Heartland order %d", req.HeartlandOrderID), err)
	}
	var inv *heartland.Invoice
	for i := range invs {
		if invs[i].SourceLocationID == req.LocationID {
			inv = &invs[i]
			break
		}
	}
	if inv == nil {
		station, err := a.stationOf(ctx, req.ConnectionID, hl, req.LocationID)
		if err != nil {
			return err
		}
		id, err := hl.CreateInvoice(ctx, heartland.InvoiceFields{OrderID: req.HeartlandOrderID, SourceLocationID: req.LocationID, StationID: station})
		if err != nil {
			return heartlandError(fmt.Sprintf("invoice Heartland order %d at location %d", req.HeartlandOrderID, req.LocationID), err)
		}
		created, err := hl.GetInvoice(ctx, id)
		if err != nil {
			return heartlandError(fmt.Sprintf("read Heartland invoice %d", id), err)
		}
		inv = &created
	}
	if !inv.Completed && inv.Status != "complete" {
		if err := hl.CompleteInvoice(ctx, inv.ID); err != nil {
			return heartlandError(fmt.Sprintf("complete Heartland invoice %d", inv.ID), err)
		}
	}
	return a.recordPayment(ctx, req.ConnectionID, hl, req.HeartlandOrderID, outsidePaymentMarker, req.Amount)
}
