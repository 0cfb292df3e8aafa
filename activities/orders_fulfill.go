package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// outsidePaymentMarker names the payment of an outside-fulfilled order.
const outsidePaymentMarker = "BigCommerce payment, fulfilled outside Heartland"

// RecordOutsideFulfillment turns an order that another service shipped into
// a completed invoice at the one fulfillment location, with its external
// payment. The order's lines must already ship from that location. A rerun
// completes what a crash left half done and creates nothing twice.
func (a *Orders) RecordOutsideFulfillment(ctx context.Context, req OutsideFulfillmentRequest) error {
	return withClientsDo(a.Connections, req.ConnectionID, func(cl Clients) error {
		hl := cl.Heartland
		var guard func([]heartland.Payment) error
		if req.OrderID != 0 {
			if err := requireShipments(ctx, cl.BigCommerce, req.OrderID); err != nil {
				return err
			}
			guard = paymentGuard(ctx, cl.BigCommerce, req.OrderID, req.Amount)
		}
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
			if err := fillInvoice(ctx, hl, inv.ID, req.HeartlandOrderID, req.LocationID); err != nil {
				return err
			}
			if err := hl.CompleteInvoice(ctx, inv.ID); err != nil {
				return heartlandError(fmt.Sprintf("complete Heartland invoice %d", inv.ID), err)
			}
		}
		return a.recordPaymentIf(ctx, req.ConnectionID, hl, req.HeartlandOrderID, outsidePaymentMarker, req.Amount, guard)
	})
}

// ErrTypeNoShipments refuses to record an outside fulfillment of an order
// BigCommerce marked shipped without any shipment.
const ErrTypeNoShipments = "NoShipments"

// requireShipments holds an outside fulfillment back until BigCommerce has
// the order's shipments: a status set by hand without them is not proof
// that anything left the warehouse.
func requireShipments(ctx context.Context, bc *bigcommerce.Client, orderID int) error {
	ships, err := bc.ListShipments(ctx, orderID)
	if err != nil {
		return bigCommerceError(fmt.Sprintf("list shipments of BigCommerce order %d", orderID), err)
	}
	if len(ships) == 0 {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf(
			"BigCommerce order %d is shipped but has no shipments: add them in BigCommerce, then retry", orderID), ErrTypeNoShipments, nil)
	}
	return nil
}

// ListInvoices returns the invoices of a Heartland order with their lines.
func (a *Orders) ListInvoices(ctx context.Context, req InvoicesRequest) ([]InvoiceSummary, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) ([]InvoiceSummary, error) {
		invs, err := cl.Heartland.ListInvoicesByOrder(ctx, req.HeartlandOrderID)
		if err != nil {
			return nil, heartlandError(fmt.Sprintf("list invoices of Heartland order %d", req.HeartlandOrderID), err)
		}
		out := make([]InvoiceSummary, 0, len(invs))
		for _, inv := range invs {
			lines, err := cl.Heartland.ListInvoiceLines(ctx, inv.ID)
			if err != nil {
				return nil, heartlandError(fmt.Sprintf("list lines of Heartland invoice %d", inv.ID), err)
			}
			s := InvoiceSummary{ID: inv.ID, LocationID: inv.SourceLocationID, Completed: inv.Completed || inv.Status == "complete",
				Total: inv.Total.StringFixed(2)}
			for _, l := range lines {
				s.Lines = append(s.Lines, InvoicedLine{OrderLineID: l.OrderLineID, Quantity: int(l.Qty.IntPart())})
			}
			out = append(out, s)
		}
		return out, nil
	})
}

// invoicePaymentMarker names the payment recorded for an invoice, so a
// rerun finds it instead of paying twice.
func invoicePaymentMarker(invoiceID int64) string {
	return fmt.Sprintf("BigCommerce payment for invoice %d", invoiceID)
}

// externalPaymentType finds or creates the "BigCommerce External" type.
func externalPaymentType(ctx context.Context, hl *heartland.Client) (int64, error) {
	pt, err := hl.FindPaymentTypeByName(ctx, ExternalPaymentTypeName)
	if err == nil {
		return pt.ID, nil
	}
	if !errors.Is(err, heartland.ErrNotFound) {
		return 0, heartlandError("find payment type "+ExternalPaymentTypeName, err)
	}
	id, err := hl.CreatePaymentType(ctx, ExternalPaymentTypeName)
	if err != nil {
		// Orders paid at the same moment race to create the type; the loser
		// is told the name is taken and uses the winner's.
		if pt, ferr := hl.FindPaymentTypeByName(ctx, ExternalPaymentTypeName); ferr == nil {
			return pt.ID, nil
		}
		return 0, heartlandError("create payment type "+ExternalPaymentTypeName, err)
	}
	return id, nil
}

// RecordInvoicePayment records the invoice's amount as a "BigCommerce
// External" payment on the Heartland order, once. With the BigCommerce
// order named, it first makes sure BigCommerce holds that money.
func (a *Orders) RecordInvoicePayment(ctx context.Context, req InvoicePaymentRequest) error {
	return withClientsDo(a.Connections, req.ConnectionID, func(cl Clients) error {
		var guard func([]heartland.Payment) error
		if req.OrderID != 0 {
			guard = paymentGuard(ctx, cl.BigCommerce, req.OrderID, req.Amount)
		}
		return a.recordPaymentIf(ctx, req.ConnectionID, cl.Heartland, req.HeartlandOrderID, invoicePaymentMarker(req.InvoiceID), req.Amount, guard)
	})
}

func (a *Orders) recordPayment(ctx context.Context, connectionID string, hl *heartland.Client, orderID int64, marker, amount string) error {
	return a.recordPaymentIf(ctx, connectionID, hl, orderID, marker, amount, nil)
}

// recordPaymentIf records a payment unless one with its marker exists;
// guard, when set, sees the payments booked so far and may refuse it.
func (a *Orders) recordPaymentIf(ctx context.Context, connectionID string, hl *heartland.Client, orderID int64, marker, amount string, guard func([]heartland.Payment) error) error {
	payments, err := hl.ListSalesOrderPayments(ctx, orderID)
	if err != nil {
		return heartlandError(fmt.Sprintf("list payments of Heartland order %d", orderID), err)
	}
	for _, p := range payments {
		if p.Description == marker {
			return nil
		}
	}
	if guard != nil {
		if err := guard(payments); err != nil {
			return err
		}
	}
	typeID, err := a.cache.paymentTypes.get(ctx, connectionID, hl, paymentTypeTTL, func(ctx context.Context) (int64, error) {
		return externalPaymentType(ctx, hl)
	})
	if err != nil {
		return err
	}
	amt, err := hlDecimal(amount)
	if err != nil {
		return err
	}
	if err := a.addPayment(ctx, connectionID, hl, orderID, payments, heartland.PaymentFields{
		PaymentTypeID: typeID, Amount: amt, Deposit: true, Description: marker,
	}); err != nil {
		// The cached type may be the culprit (deleted in Heartland): the
		// retry looks it up again.
		a.cache.paymentTypes.forget(connectionID)
		return heartlandError(fmt.Sprintf("record payment on Heartland order %d", orderID), err)
	}
	return nil
}

// ExternalPaymentTypeName is the Heartland payment type that records money
// taken by BigCommerce.
const ExternalPaymentTypeName = "BigCommerce External"

// InvoicesRequest lists the invoices of a Heartland sales order.
type InvoicesRequest struct {
	ConnectionID     string `json:"connection_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
}

// InvoicedLine is a quantity of one order line on an invoice.
type InvoicedLine struct {
	OrderLineID int64 `json:"order_line_id"`
	Quantity    int   `json:"quantity"`
}

// InvoiceSummary is one Heartland invoice of an order.
type InvoiceSummary struct {
	ID         int64          `json:"id"`
	LocationID int64          `json:"location_id"`
	Completed  bool           `json:"completed"`
	Total      string         `json:"total"`
	Lines      []InvoicedLine `json:"lines"`
}

// InvoicePaymentRequest records a "BigCommerce External" payment for an
// invoice's amount on the Heartland order.
type InvoicePaymentRequest struct {
	ConnectionID     string `json:"connection_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
	InvoiceID        int64  `json:"invoice_id"`
	Amount           string `json:"amount"`
	// OrderID is the BigCommerce order, whose captured money bounds what
	// is booked; 0 (runs before the money checks) books unchecked.
	OrderID int `json:"order_id,omitempty"`
}

// OutsideFulfillmentRequest records BigCommerce's own shipments of an order
// as one closed invoice at a single Heartland location.
type OutsideFulfillmentRequest struct {
	ConnectionID     string `json:"connection_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
	LocationID       int64  `json:"location_id"`
	Amount           string `json:"amount"`
	// OrderID is the BigCommerce order, which must have its shipments and
	// whose captured money bounds the payment; 0 (runs before the money
	// checks) records unchecked.
	OrderID int `json:"order_id,omitempty"`
}

// shipmentMarker ties a BigCommerce shipment to the Heartland invoice it
// records, in the shipment's comments, so a rerun finds it.
func shipmentMarker(invoiceID int64) string {
	return fmt.Sprintf("Heartland invoice %d", invoiceID)
}

// CreateShipment records an invoice as a shipment of exactly its lines,
// unless a shipment for that invoice exists already.
func (a *Orders) CreateShipment(ctx context.Context, req ShipmentRequest) (ShipmentResult, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (ShipmentResult, error) {
		marker := shipmentMarker(req.InvoiceID)
		existing, err := cl.BigCommerce.ListShipments(ctx, req.OrderID)
		if err != nil {
			return ShipmentResult{}, bigCommerceError(fmt.Sprintf("list shipments of BigCommerce order %d", req.OrderID), err)
		}
		for _, s := range existing {
			if strings.Contains(s.Comments, marker) {
				return ShipmentResult{ShipmentID: s.ID}, nil
			}
		}
		items := make([]bigcommerce.ShipmentItem, 0, len(req.Items))
		for _, it := range req.Items {
			items = append(items, bigcommerce.ShipmentItem{OrderProductID: it.OrderProductID, Quantity: it.Quantity})
		}
		s, err := cl.BigCommerce.CreateShipment(ctx, req.OrderID, bigcommerce.ShipmentCreate{
			OrderAddressID: req.OrderAddressID,
			Comments:       marker,
			Items:          items,
		})
		if err != nil {
			return ShipmentResult{}, bigCommerceError(fmt.Sprintf("create shipment of BigCommerce order %d for invoice %d", req.OrderID, req.InvoiceID), err)
		}
		return ShipmentResult{ShipmentID: s.ID, Created: true}, nil
	})
}

// SetOrderStatus moves a BigCommerce order to a status unless it is there.
func (a *Orders) SetOrderStatus(ctx context.Context, req OrderStatusRequest) error {
	return withClientsDo(a.Connections, req.ConnectionID, func(cl Clients) error {
		o, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
		if err != nil {
			return bigCommerceError(fmt.Sprintf("read BigCommerce order %d", req.OrderID), err)
		}
		if o.StatusID == req.StatusID {
			return nil
		}
		if slices.Contains(finalStatuses, o.StatusID) {
			// Moving a refunded or cancelled order on (to Shipped) would show
			// money BigCommerce gave back, or never took, as a sale.
			return temporal.NewNonRetryableApplicationError(fmt.Sprintf(
				"BigCommerce order %d status_id is %d (%s): hrbc does not move it to status %d", req.OrderID, o.StatusID, o.Status, req.StatusID),
				ErrTypeFinalStatus, nil)
		}
		if _, err := cl.BigCommerce.UpdateOrderStatus(ctx, req.OrderID, req.StatusID); err != nil {
			return bigCommerceError(fmt.Sprintf("set BigCommerce order %d to status %d", req.OrderID, req.StatusID), err)
		}
		return nil
	})
}

// ShipmentItem is a quantity of one BigCommerce order product.
type ShipmentItem struct {
	OrderProductID int `json:"order_product_id"`
	Quantity       int `json:"quantity"`
}

// ShipmentRequest records one Heartland invoice as one BigCommerce shipment.
type ShipmentRequest struct {
	ConnectionID   string         `json:"connection_id"`
	OrderID        int            `json:"order_id"`
	InvoiceID      int64          `json:"invoice_id"`
	OrderAddressID int            `json:"order_address_id"`
	Items          []ShipmentItem `json:"items"`
}

// ShipmentResult is the shipment of an invoice.
type ShipmentResult struct {
	ShipmentID int  `json:"shipment_id"`
	Created    bool `json:"created"`
}

// OrderStatusRequest sets a BigCommerce order's status.
type OrderStatusRequest struct {
	ConnectionID string `json:"connection_id"`
	OrderID      int    `json:"order_id"`
	StatusID     int    `json:"status_id"`
}
