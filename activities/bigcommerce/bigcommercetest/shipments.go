package bigcommercetest

import (
	"fmt"
	"net/http"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

func (s *Server) shipmentRoutes() {
	s.api.HandleFunc("GET /v2/orders/{id}/shipments", s.listShipments)
	s.api.HandleFunc("POST /v2/orders/{id}/shipments", s.createShipment)
}

func (s *Server) listShipments(w http.ResponseWriter, r *http.Request) {
	s.st.mu.Lock()
	rec := s.orderOr404(w, r, false)
	if rec == nil {
		s.st.mu.Unlock()
		return
	}
	items := append([]bc.Shipment(nil), rec.shipments...)
	s.st.mu.Unlock()
	v2List(w, r, items)
}

// createShipment records a shipment, raises quantity_shipped, and moves
// the order to Shipped (2) when every line is fully shipped, else to
// Partially Shipped (3).
func (s *Server) createShipment(w http.ResponseWriter, r *http.Request) {
	var in bc.ShipmentCreate
	if err := decodeBody(r, &in); err != nil {
		writeV2Error(w, http.StatusBadRequest, err.Error())
		return
	}
	st := s.st
	st.mu.Lock()
	rec := s.orderOr404(w, r, false)
	if rec == nil {
		st.mu.Unlock()
		return
	}
	fail := func(msg string) {
		st.mu.Unlock()
		writeV2Error(w, http.StatusBadRequest, msg)
	}
	addrOK := false
	for _, a := range rec.addresses {
		addrOK = addrOK || a.ID == in.OrderAddressID
	}
	if !addrOK {
		fail("The field 'order_address_id' is invalid.")
		return
	}
	if len(in.Items) == 0 {
		fail("The field 'items' cannot be empty.")
		return
	}
	want := map[int]int{}
	for _, it := range in.Items {
		idx := lineIndex(rec, it.OrderProductID)
		if idx < 0 || rec.products[idx].OrderAddressID != in.OrderAddressID {
			fail(fmt.Sprintf("The field 'order_product_id' is invalid: %d.", it.OrderProductID))
			return
		}
		if it.Quantity <= 0 {
			fail("The field 'quantity' is invalid.")
			return
		}
		want[idx] += it.Quantity
	}
	for idx, q := range want {
		p := rec.products[idx]
		if p.QuantityShipped+q > p.Quantity {
			fail(fmt.Sprintf("The quantity specified for order product %d exceeds the quantity that can be shipped.", p.ID))
			return
		}
	}
	now := st.now()
	sh := bc.Shipment{
		ID: st.nextID("shipment"), OrderID: rec.order.ID, CustomerID: rec.order.CustomerID,
		OrderAddressID: in.OrderAddressID, DateCreated: bc.V2Time{Time: now},
		TrackingNumber: in.TrackingNumber, TrackingCarrier: in.TrackingCarrier, TrackingLink: in.TrackingLink,
		ShippingMethod: in.ShippingMethod, ShippingProvider: in.ShippingProvider, Comments: in.Comments,
	}
	shipped := 0
	for _, it := range in.Items {
		idx := lineIndex(rec, it.OrderProductID)
		rec.products[idx].QuantityShipped += it.Quantity
		shipped += it.Quantity
		sh.Items = append(sh.Items, bc.ShipmentItem{OrderProductID: it.OrderProductID, ProductID: rec.products[idx].ProductID, Quantity: it.Quantity})
	}
	rec.shipments = append(rec.shipments, sh)
	rec.order.ItemsShipped += shipped
	for i := range rec.addresses {
		if rec.addresses[i].ID == in.OrderAddressID {
			rec.addresses[i].ItemsShipped += shipped
		}
	}
	all := true
	for _, p := range rec.products {
		all = all && p.QuantityShipped >= p.Quantity
	}
	prev := rec.order.StatusID
	next := bc.StatusPartiallyShipped
	if all {
		next = bc.StatusShipped
	}
	st.setStatus(rec, next)
	rec.order.DateShipped = bc.V2Time{Time: now}
	orderID := rec.order.ID
	st.mu.Unlock()
	s.hooks.emit("store/shipment/created", map[string]any{"type": "shipment", "id": sh.ID, "orderId": orderID})
	s.emitOrderChange(orderID, prev, next)
	writeJSON(w, http.StatusCreated, sh)
}

func lineIndex(rec *orderRec, orderProductID int) int {
	for i, p := range rec.products {
		if p.ID == orderProductID {
			return i
		}
	}
	return -1
}

// Shipments returns an order's shipments.
func (s *Server) Shipments(orderID int) []bc.Shipment {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	if rec := s.st.orders[orderID]; rec != nil {
		return append([]bc.Shipment(nil), rec.shipments...)
	}
	return nil
}
