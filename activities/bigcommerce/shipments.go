package bigcommerce

import (
	"context"
	"fmt"
	"net/http"
)

// Shipment is a v2 order shipment.
type Shipment struct {
	ID                   int            `json:"id"`
	OrderID              int            `json:"order_id"`
	CustomerID           FlexInt        `json:"customer_id"`
	OrderAddressID       int            `json:"order_address_id"`
	DateCreated          V2Time         `json:"date_created"`
	TrackingNumber       string         `json:"tracking_number"`
	TrackingCarrier      string         `json:"tracking_carrier"`
	TrackingLink         string         `json:"tracking_link"`
	ShippingMethod       string         `json:"shipping_method"`
	ShippingProvider     string         `json:"shipping_provider"`
	MerchantShippingCost Money          `json:"merchant_shipping_cost"`
	Comments             string         `json:"comments"`
	Items                []ShipmentItem `json:"items"`
}

// ShipmentItem is a shipped quantity of one order line.
type ShipmentItem struct {
	OrderProductID int `json:"order_product_id"`
	ProductID      int `json:"product_id,omitempty"`
	Quantity       int `json:"quantity"`
}

// ShipmentCreate is the body of POST /v2/orders/{id}/shipments.
// OrderAddressID and Items are required.
type ShipmentCreate struct {
	OrderAddressID   int            `json:"order_address_id"`
	TrackingNumber   string         `json:"tracking_number,omitempty"`
	TrackingCarrier  string         `json:"tracking_carrier,omitempty"`
	TrackingLink     string         `json:"tracking_link,omitempty"`
	ShippingProvider string         `json:"shipping_provider,omitempty"`
	ShippingMethod   string         `json:"shipping_method,omitempty"`
	Comments         string         `json:"comments,omitempty"`
	Items            []ShipmentItem `json:"items"`
}

// CreateShipment ships some lines of an order. BigCommerce then moves the
// order to Shipped or Partially Shipped.
func (c *Client) CreateShipment(ctx context.Context, orderID int, s ShipmentCreate) (Shipment, error) {
	return v2Call[Shipment](ctx, c, http.MethodPost, fmt.Sprintf("%s/%d/shipments", ordersPath, orderID), s)
}

// ListShipments returns an order's shipments (none is a 204, returned as nil).
func (c *Client) ListShipments(ctx context.Context, orderID int) ([]Shipment, error) {
	return v2Walk[Shipment](ctx, c, fmt.Sprintf("%s/%d/shipments", ordersPath, orderID), nil, MaxPageLimit)
}
