package heartlandtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/hrbc/hrbc/activities/heartland"
)

// The control API lets a CLI in another process act as store staff on a
// fake served with Listen. It is documented in the package comment.

func (s *Server) controlRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /__fake/sale", s.ctlSale)
	mux.HandleFunc("POST /__fake/receive", s.ctlReceive)
	mux.HandleFunc("POST /__fake/invoice", s.ctlInvoice)
	mux.HandleFunc("POST /__fake/distribute", s.ctlDistribute)
	mux.HandleFunc("GET /__fake/stock", s.ctlStock)
	mux.HandleFunc("GET /__fake/ping", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "api_url": s.URL})
	})
}

type ctlRequest struct {
	SKU      string          `json:"sku"`
	Qty      heartland.Qty   `json:"qty"`
	Location json.RawMessage `json:"location"`
	Order    json.RawMessage `json:"order"`
	// Lines are order line ids (distribute); none means every
	// undistributed line.
	Lines []int64 `json:"lines,omitempty"`
}

func readCtl(r *http.Request) (ctlRequest, error) {
	var c ctlRequest
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		return c, errBadRequest("invalid JSON body: " + err.Error())
	}
	return c, nil
}

// rawKey turns a JSON number or string into its text.
func rawKey(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(string(raw))
}

// resolveLocation finds a location by id, public_id or name.
func (s *Server) resolveLocation(raw json.RawMessage) (int64, error) {
	key := rawKey(raw)
	if key == "" || key == "null" {
		return 0, errField("location", "can't be blank")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.locations.all() {
		id := getInt(l, "id")
		if n, ok := asInt(key); ok && n == id {
			return id, nil
		}
	}
	for _, l := range s.locations.all() {
		if getStr(l, "public_id") == key || strings.EqualFold(getStr(l, "name"), key) {
			return getInt(l, "id"), nil
		}
	}
	return 0, errNotFound("Location " + key)
}

// resolveOrder finds a sales order by public_id or id.
func (s *Server) resolveOrder(raw json.RawMessage) (int64, error) {
	key := rawKey(raw)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders.all() {
		if getStr(o, "public_id") == key {
			return getInt(o, "id"), nil
		}
	}
	if n, ok := asInt(key); ok {
		if _, ok := s.orders.get(n); ok {
			return n, nil
		}
	}
	return 0, errNotFound("Sales order " + key)
}

// ctlError maps POS helper failures to 422 unless already an API error.
func ctlError(w http.ResponseWriter, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		writeError(w, err)
		return
	}
	writeError(w, errValidation(err.Error(), nil))
}

func (s *Server) ctlSale(w http.ResponseWriter, r *http.Request) {
	c, err := readCtl(r)
	if err != nil {
		ctlError(w, err)
		return
	}
	loc, err := s.resolveLocation(c.Location)
	if err != nil {
		ctlError(w, err)
		return
	}
	if c.Qty.IsZero() {
		c.Qty = heartland.DecInt(1)
	}
	t, err := s.RingUpSale(loc, SaleLine{PublicID: c.SKU, Qty: c.Qty})
	if err != nil {
		ctlError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"ticket_id": t.ID, "public_id": t.PublicID, "total": t.Total})
}

func (s *Server) ctlReceive(w http.ResponseWriter, r *http.Request) {
	c, err := readCtl(r)
	if err != nil {
		ctlError(w, err)
		return
	}
	loc, err := s.resolveLocation(c.Location)
	if err != nil {
		ctlError(w, err)
		return
	}
	if err := s.ReceiveStock(loc, c.SKU, c.Qty); err != nil {
		ctlError(w, err)
		return
	}
	s.writeStock(w, c.SKU)
}

// readOrderAt reads a control request naming an order and a location;
// on failure it has answered already.
func (s *Server) readOrderAt(w http.ResponseWriter, r *http.Request) (c ctlRequest, order, location int64, ok bool) {
	c, err := readCtl(r)
	if err == nil {
		order, err = s.resolveOrder(c.Order)
	}
	if err == nil {
		location, err = s.resolveLocation(c.Location)
	}
	if err != nil {
		ctlError(w, err)
		return c, 0, 0, false
	}
	return c, order, location, true
}

func (s *Server) ctlInvoice(w http.ResponseWriter, r *http.Request) {
	_, oid, loc, ok := s.readOrderAt(w, r)
	if !ok {
		return
	}
	inv, err := s.InvoiceOrderAt(oid, loc)
	if err != nil {
		ctlError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"invoice_id": inv.ID, "order_id": oid, "public_id": inv.PublicID, "total": inv.Total})
}

func (s *Server) ctlDistribute(w http.ResponseWriter, r *http.Request) {
	c, oid, loc, ok := s.readOrderAt(w, r)
	if !ok {
		return
	}
	lines, err := s.DistributeLines(oid, loc, c.Lines...)
	if err != nil {
		ctlError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"order_id": oid, "lines": lines})
}

func (s *Server) ctlStock(w http.ResponseWriter, r *http.Request) {
	s.writeStock(w, r.URL.Query().Get("sku"))
}

// StockRow is one location's quantities in the control API's stock answer.
type StockRow struct {
	LocationID int64         `json:"location_id"`
	Location   string        `json:"location"`
	OnHand     heartland.Qty `json:"on_hand"`
	Available  heartland.Qty `json:"available"`
	Committed  heartland.Qty `json:"committed"`
}

func (s *Server) writeStock(w http.ResponseWriter, sku string) {
	it, ok := s.ItemByPublicID(sku)
	if !ok {
		writeError(w, errNotFound("Item "+sku))
		return
	}
	rows := []StockRow{}
	for _, l := range s.Locations() {
		st := s.Stock(sku, l.ID)
		rows = append(rows, StockRow{LocationID: l.ID, Location: l.Name, OnHand: st.OnHand, Available: st.Available, Committed: st.Committed})
	}
	writeJSON(w, http.StatusOK, map[string]any{"sku": sku, "item_id": it.ID, "locations": rows})
}
