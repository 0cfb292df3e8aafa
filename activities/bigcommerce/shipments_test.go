package bigcommerce_test

import (
	"errors"
	"testing"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

func TestShipmentsMoveOrderStatus(t *testing.T) {
	srv, c := orderStore(t)
	o := srv.MustAddOrder(bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 2}, {SKU: "TEE-S", Quantity: 1}}})
	if sh := must(c.ListShipments(ctx(t), o.ID)); len(sh) != 0 {
		t.Fatalf("no shipments yet (204), got %+v", sh)
	}
	lines := must(c.ListOrderProducts(ctx(t), o.ID))
	addr := lines[0].OrderAddressID
	first := must(c.CreateShipment(ctx(t), o.ID, bc.ShipmentCreate{
		OrderAddressID: addr, TrackingNumber: "1Z999", ShippingProvider: "ups",
		Items: []bc.ShipmentItem{{OrderProductID: lines[0].ID, Quantity: 1}},
	}))
	if first.ID == 0 || first.TrackingNumber != "1Z999" || first.DateCreated.IsZero() {
		t.Fatalf("shipment = %+v", first)
	}
	if got, _ := srv.Order(o.ID); got.StatusID != bc.StatusPartiallyShipped || got.ItemsShipped != 1 {
		t.Fatalf("after first shipment: status %d shipped %d", got.StatusID, got.ItemsShipped)
	}
	// Shipping more than ordered is rejected and changes nothing.
	_, err := c.CreateShipment(ctx(t), o.ID, bc.ShipmentCreate{OrderAddressID: addr, Items: []bc.ShipmentItem{{OrderProductID: lines[0].ID, Quantity: 2}}})
	if ae, ok := bc.AsAPIError(err); !ok || ae.Status != 400 {
		t.Fatalf("overship: %v", err)
	}
	_, err = c.CreateShipment(ctx(t), o.ID, bc.ShipmentCreate{OrderAddressID: addr + 1000, Items: []bc.ShipmentItem{{OrderProductID: lines[0].ID, Quantity: 1}}})
	if ae, ok := bc.AsAPIError(err); !ok || ae.Status != 400 || errors.Is(err, bc.ErrValidation) {
		t.Fatalf("bad address: %v", err)
	}
	must(c.CreateShipment(ctx(t), o.ID, bc.ShipmentCreate{OrderAddressID: addr, Items: []bc.ShipmentItem{
		{OrderProductID: lines[0].ID, Quantity: 1}, {OrderProductID: lines[1].ID, Quantity: 1},
	}}))
	if got, _ := srv.Order(o.ID); got.StatusID != bc.StatusShipped || got.ItemsShipped != 3 || got.DateShipped.IsZero() {
		t.Fatalf("after second shipment: %+v", got)
	}
	for _, l := range must(c.ListOrderProducts(ctx(t), o.ID)) {
		if l.QuantityShipped != l.Quantity {
			t.Fatalf("line %d shipped %d of %d", l.ID, l.QuantityShipped, l.Quantity)
		}
	}
	if sh := must(c.ListShipments(ctx(t), o.ID)); len(sh) != 2 || len(srv.Shipments(o.ID)) != 2 {
		t.Fatalf("shipments = %+v", sh)
	}
}
