package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// shipmentMarker ties a BigCommerce shipment to the Heartland invoice it
// records, in the shipment's comments, so a rerun finds it.
func shipmentMarker(invoiceID int64) string {
	return fmt.Sprintf("Heartland invoice %d", invoiceID)
}

// CapturePayment captures an authorized payment, once: BigCommerce captures
// the whole authorization in one go and refuses a second capture.
func (a *Orders) CapturePayment(ctx context.Context, req OrderRequest) (CaptureResult, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return CaptureResult{}, err
	}
	o, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
	if err != nil {
		return CaptureResult{}, bigCommerceError(fmt.Sprintf("read BigCommerce order %d", req.OrderID), err)
	}
	if !strings.EqualFold(o.PaymentStatus, bigcommerce.PaymentAuthorized) {
		return CaptureResult{PaymentStatus: o.PaymentStatus}, nil
	}
	if err := cl.BigCommerce.CapturePayment(ctx, req.OrderID); err != nil {
		return CaptureResult{}, bigCommerceError(fmt.Sprintf("capture payment of BigCommerce order %d", req.OrderID), err)
	}
	after, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
	if err != nil {
		return CaptureResult{Captured: true}, nil
	}
	return CaptureResult{Captured: true, PaymentStatus: after.PaymentStatus}, nil
}

// CreateShipment records an invoice as a shipment of exactly its lines,
// unless a shipment for that invoice exists already.
func (a *Orders) CreateShipment(ctx context.Context, req ShipmentRequest) (ShipmentResult, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return ShipmentResult{}, err
	}
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
}

// SetOrderStatus moves a BigCommerce order to a status unless it is there.
func (a *Orders) SetOrderStatus(ctx context.Context, req OrderStatusRequest) error {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return err
	}
	o, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
	if err != nil {
		return bigCommerceError(fmt.Sprintf("read BigCommerce order %d", req.OrderID), err)
	}
	if o.StatusID == req.StatusID {
		return nil
	}
	if _, err := cl.BigCommerce.UpdateOrderStatus(ctx, req.OrderID, req.StatusID); err != nil {
		return bigCommerceError(fmt.Sprintf("set BigCommerce order %d to status %d", req.OrderID, req.StatusID), err)
	}
	return nil
}

// ListModifiedOrders returns orders modified at or after the watermark,
// oldest first, at most Limit of them.
func (a *Orders) ListModifiedOrders(ctx context.Context, req ModifiedOrdersRequest) (ModifiedOrdersResult, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return ModifiedOrdersResult{}, err
	}
	res := ModifiedOrdersResult{Watermark: req.Since}
	var since time.Time
	if req.Since != "" {
		if since, err = time.Parse(time.RFC3339, req.Since); err != nil {
			return res, fmt.Errorf("watermark %q: %w", req.Since, err)
		}
	}
	limit := req.Limit
	if limit <= 0 || limit > bigcommerce.MaxPageLimit {
		limit = bigcommerce.MaxPageLimit
	}
	orders, err := cl.BigCommerce.ListOrdersPage(ctx, bigcommerce.OrderFilter{MinDateModified: since, Limit: limit}, 1)
	if err != nil {
		return res, bigCommerceError("list BigCommerce orders modified since "+req.Since, err)
	}
	for _, o := range orders {
		modified := o.DateModified.Time.UTC()
		res.Orders = append(res.Orders, ModifiedOrder{OrderID: o.ID, StatusID: o.StatusID, DateModified: modified.Format(time.RFC3339)})
		if w := modified.Format(time.RFC3339); w > res.Watermark {
			res.Watermark = w
		}
	}
	return res, nil
}
