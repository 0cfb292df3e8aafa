package bigcommercetest

import (
	"net/http"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// routes registers every API route the client uses.
func (s *Server) routes() {
	s.catalogRoutes()
	s.inventoryRoutes()
	s.orderRoutes()
	s.hookRoutes()
	s.api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeV3Error(w, http.StatusNotFound, "Route not found", nil)
	})
}

// ControlOrder is the body of POST /__fake/orders.
type ControlOrder struct {
	CustomerEmail string             `json:"customer_email"`
	Lines         []ControlOrderLine `json:"lines"`
	StatusID      int                `json:"status_id,omitempty"`
	PaymentStatus string             `json:"payment_status,omitempty"`
	// PartialRefund refunds one unit of the first line after creation.
	PartialRefund bool `json:"partial_refund,omitempty"`
	// AuthorizeOnly checks out through an authorize-only gateway: the order
	// waits at Awaiting Payment (7) with its payment authorized.
	AuthorizeOnly bool `json:"authorize_only,omitempty"`
}

// ControlOrderLine is one line of a ControlOrder.
type ControlOrderLine struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
	// GiftWrap, when set, gift-wraps the line with paper of that name.
	GiftWrap string `json:"gift_wrap,omitempty"`
	// Engraving, when set, customizes the line with a Text field modifier.
	Engraving string `json:"engraving,omitempty"`
}

// ControlStatus is the body of PUT /__fake/orders/{id}/status.
type ControlStatus struct {
	StatusID int `json:"status_id"`
}

// ControlInventory is the answer of GET /__fake/inventory?sku=.
type ControlInventory struct {
	SKU       string                     `json:"sku"`
	Tracking  string                     `json:"tracking"`
	Locations []ControlInventoryLocation `json:"locations"`
}

// ControlInventoryLocation is a SKU's stock at one location.
type ControlInventoryLocation struct {
	LocationID      int    `json:"location_id"`
	Code            string `json:"code"`
	Label           string `json:"label"`
	IsDefault       bool   `json:"is_default"`
	OnHand          int    `json:"on_hand"`
	AvailableToSell int    `json:"available_to_sell"`
}

func controlError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Server) controlRoutes() {
	s.control.HandleFunc("POST /__fake/orders", func(w http.ResponseWriter, r *http.Request) {
		var in ControlOrder
		if err := decodeBody(r, &in); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		seed := OrderSeed{CustomerEmail: in.CustomerEmail, StatusID: in.StatusID, PaymentStatus: in.PaymentStatus, PartialRefund: in.PartialRefund,
			AuthorizeOnly: in.AuthorizeOnly}
		if seed.PaymentStatus == "" {
			seed.PaymentStatus = bc.PaymentAuthorized
		}
		for _, l := range in.Lines {
			seed.Lines = append(seed.Lines, l.seedLine())
		}
		o, err := s.AddOrder(seed)
		if err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusCreated, map[string]int{"id": o.ID, "status_id": o.StatusID})
	})
	s.control.HandleFunc("PUT /__fake/orders/{id}/status", s.controlStatus)
	s.control.HandleFunc("POST /__fake/orders/{id}/status", s.controlStatus)
	s.control.HandleFunc("GET /__fake/inventory", func(w http.ResponseWriter, r *http.Request) {
		sku := r.URL.Query().Get("sku")
		st := s.st
		st.mu.Lock()
		defer st.mu.Unlock()
		k, err := st.itemBySKU(sku)
		if err != nil {
			controlError(w, http.StatusNotFound, err.Error())
			return
		}
		out := ControlInventory{SKU: sku, Tracking: st.products[k.productID].InventoryTracking, Locations: []ControlInventoryLocation{}}
		for _, l := range st.locations {
			cl := ControlInventoryLocation{LocationID: l.ID, Code: l.Code, Label: l.Label, IsDefault: l.ID == st.defaultLoc}
			if lv := st.stock[stockKey{k, l.ID}]; lv != nil {
				cl.OnHand, cl.AvailableToSell = lv.onHand, max(lv.onHand-lv.safety, 0)
			}
			out.Locations = append(out.Locations, cl)
		}
		writeJSON(w, http.StatusOK, out)
	})
	s.control.HandleFunc("GET /__fake/health", func(w http.ResponseWriter, r *http.Request) {
		s.st.mu.Lock()
		defer s.st.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"store_hash": s.StoreHash, "orders": len(s.st.orders), "products": len(s.st.products)})
	})
	s.control.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		controlError(w, http.StatusNotFound, "unknown control route")
	})
}

func (s *Server) controlStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	var in ControlStatus
	if err := decodeBody(r, &in); err != nil || !ok {
		controlError(w, http.StatusBadRequest, "body must be {\"status_id\": N}")
		return
	}
	if _, exists := s.Order(id); !exists {
		controlError(w, http.StatusNotFound, "no such order")
		return
	}
	if err := s.SetOrderStatus(id, in.StatusID); err != nil {
		controlError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"id": id, "status_id": in.StatusID})
}
