package heartlandtest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/shopspring/decimal"
)

// decodeAs converts a stored record to a client type through its wire form,
// so accessors exercise the same decoders the client uses.
func decodeAs[T any](d doc) T {
	var v T
	b, err := json.Marshal(wire(d))
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		panic(fmt.Sprintf("heartlandtest: decoding %T: %v", v, err))
	}
	return v
}

func decodeAll[T any](ds []doc) []T {
	out := make([]T, 0, len(ds))
	for _, d := range ds {
		out = append(out, decodeAs[T](d))
	}
	return out
}

// ---- builder: seeding helpers (no webhooks are emitted; they panic on
// invalid seeds, like httptest does on misuse) ----

// ItemSeed describes an item to seed.
type ItemSeed struct {
	PublicID        string
	Description     string
	Price           heartland.Money
	Cost            heartland.Money
	OriginalPrice   *heartland.Money
	Barcode         string
	Custom          map[string]any
	Inactive        bool
	AvailableOnline bool
}

// AddLocation seeds a location with named stations.
func (s *Server) AddLocation(publicID, name string, stations ...string) heartland.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := doc{"public_id": publicID, "name": name, "active": true}
	id := s.locations.insert(l)
	for _, st := range stations {
		s.stations.insert(doc{"location_id": num(id), "name": st, "active": true})
	}
	return s.locationView(l)
}

func (s *Server) locationView(l doc) heartland.Location {
	v := copyDoc(l)
	sts, _ := s.includeLocation(l, "stations")
	v["stations"] = sts
	return decodeAs[heartland.Location](v)
}

func (s *Server) itemDoc(seed ItemSeed, gridID int64) doc {
	d := s.newItemDoc()
	d["public_id"] = seed.PublicID
	d["description"] = seed.Description
	d["price"] = dnum(seed.Price.Decimal)
	d["cost"] = dnum(seed.Cost.Decimal)
	d["original_price"] = dnum(seed.Price.Decimal)
	if seed.OriginalPrice != nil {
		d["original_price"] = dnum(seed.OriginalPrice.Decimal)
	}
	if seed.Barcode != "" {
		d["primary_barcode"] = seed.Barcode
	}
	if seed.Custom != nil {
		d["custom"] = copyDoc(seed.Custom)
	}
	d["active"] = !seed.Inactive
	d["available_online"] = seed.AvailableOnline
	if gridID != 0 {
		d["grid_id"] = num(gridID)
	}
	return d
}

func (s *Server) insertItem(seed ItemSeed, gridID int64) heartland.Item {
	d := s.itemDoc(seed, gridID)
	if err := s.validateItem(d, 0); err != nil {
		panic("heartlandtest: AddItem " + seed.PublicID + ": " + err.Error())
	}
	id := s.items.insert(d)
	assignPublicID(s.items, d, id)
	return decodeAs[heartland.Item](d)
}

// AddItem seeds one item.
func (s *Server) AddItem(seed ItemSeed) heartland.Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insertItem(seed, 0)
}

// AddGrid seeds the child items of one grid (a style across colours and
// sizes); each is a normal item carrying the returned grid_id.
func (s *Server) AddGrid(seeds ...ItemSeed) (int64, []heartland.Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grids++
	out := make([]heartland.Item, 0, len(seeds))
	for _, seed := range seeds {
		out = append(out, s.insertItem(seed, s.grids))
	}
	return s.grids, out
}

// AddCustomField seeds a custom field; its key is derived from name.
func (s *Server) AddCustomField(group, name string, required bool) heartland.CustomField {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := doc{"name": name, "group_id": group, "required": required, "unique": false, "validation_type": "text", "metadata": map[string]any{}}
	if err := validateCustomField(d); err != nil {
		panic("heartlandtest: AddCustomField: " + err.Error())
	}
	d["key"] = s.customKey(name)
	s.customFields.insert(d)
	return decodeAs[heartland.CustomField](d)
}

// SetStock sets on-hand stock of an item at a location, recording the
// difference as an adjustment transaction.
func (s *Server) SetStock(publicID string, locationID int64, onHand heartland.Qty) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, err := s.itemByPID(publicID)
	if err != nil {
		panic(err.Error())
	}
	if _, ok := s.locations.get(locationID); !ok {
		panic(fmt.Sprintf("heartlandtest: SetStock: no location %d", locationID))
	}
	p := position{getInt(it, "id"), locationID}
	delta := onHand.Decimal.Sub(s.onHand[p])
	if _, ok := s.onHand[p]; !ok {
		s.onHand[p] = decimal.Zero
	}
	s.moveOnHand(p.item, p.loc, delta, "adjustment", "Seed", 0)
}

// AddCustomer seeds a customer.
func (s *Server) AddCustomer(first, last, email string) heartland.Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.stamp()
	d := doc{"public_id": "", "first_name": first, "last_name": last, "email": email, "phone": nil, "active": true,
		"custom": map[string]any{}, "created_at": now, "updated_at": now}
	id := s.customers.insert(d)
	assignPublicID(s.customers, d, id)
	return decodeAs[heartland.Customer](d)
}

// AddPaymentType seeds a payment type.
func (s *Server) AddPaymentType(name string) heartland.PaymentType {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := doc{"name": name, "active": true}
	s.paymentTypes.insert(d)
	return decodeAs[heartland.PaymentType](d)
}

// ---- accessors for assertions ----

// Stock is the quantity picture of one item at one location.
type Stock struct {
	OnHand    heartland.Qty
	Available heartland.Qty
	Committed heartland.Qty
}

// String prints "on_hand/available/committed" for test failure messages.
func (st Stock) String() string {
	return fmt.Sprintf("on_hand=%s available=%s committed=%s", st.OnHand.String(), st.Available.String(), st.Committed.String())
}

// ItemByPublicID returns the item whose Item # is publicID.
func (s *Server) ItemByPublicID(publicID string) (heartland.Item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, err := s.itemByPID(publicID)
	if err != nil {
		return heartland.Item{}, false
	}
	return decodeAs[heartland.Item](it), true
}

// Items returns every item in id order.
func (s *Server) Items() []heartland.Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	return decodeAll[heartland.Item](s.items.all())
}

// Stock returns on hand, available and committed of an item at a location
// (zeros for unknown items or positions).
func (s *Server) Stock(publicID string, locationID int64) Stock {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, err := s.itemByPID(publicID)
	if err != nil {
		return Stock{}
	}
	p := position{getInt(it, "id"), locationID}
	on, com := s.onHand[p], s.committed[p]
	return Stock{OnHand: heartland.Decimal{Decimal: on}, Available: heartland.Decimal{Decimal: on.Sub(com)}, Committed: heartland.Decimal{Decimal: com}}
}

// Locations returns every location with its stations.
func (s *Server) Locations() []heartland.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []heartland.Location
	for _, l := range s.locations.all() {
		out = append(out, s.locationView(l))
	}
	return out
}

// LocationByName returns the location called name (case-insensitive).
func (s *Server) LocationByName(name string) (heartland.Location, bool) {
	for _, l := range s.Locations() {
		if strings.EqualFold(l.Name, name) {
			return l, true
		}
	}
	return heartland.Location{}, false
}

// OrderState is a sales order with its lines and payments.
type OrderState struct {
	Order    heartland.SalesOrder
	Lines    []heartland.OrderLine
	Payments []heartland.Payment
}

func (s *Server) orderState(o doc) OrderState {
	id := getInt(o, "id")
	return OrderState{
		Order:    decodeAs[heartland.SalesOrder](o),
		Lines:    decodeAll[heartland.OrderLine](s.orderLinesOf(id)),
		Payments: decodeAll[heartland.Payment](s.payments.where(func(p doc) bool { return getInt(p, "order_id") == id })),
	}
}

// OrderByPublicID returns the sales order with this public_id.
func (s *Server) OrderByPublicID(publicID string) (OrderState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The first in id order, as Heartland's own search would list it; the
	// scan builds no list because the bench asks this of every order it
	// waits for, many times a second.
	for _, id := range s.orders.ids {
		if o := s.orders.docs[id]; getStr(o, "public_id") == publicID {
			return s.orderState(o), true
		}
	}
	return OrderState{}, false
}

// Orders returns every sales order.
func (s *Server) Orders() []OrderState {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []OrderState
	for _, o := range s.orders.all() {
		out = append(out, s.orderState(o))
	}
	return out
}

// InvoiceState is an invoice with its lines.
type InvoiceState struct {
	Invoice heartland.Invoice
	Lines   []heartland.InvoiceLine
}

// InvoicesOfOrder returns the invoices of a sales order in creation order.
func (s *Server) InvoicesOfOrder(orderID int64) []InvoiceState {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []InvoiceState
	for _, inv := range s.invoices.where(func(d doc) bool { return getInt(d, "order_id") == orderID }) {
		out = append(out, InvoiceState{
			Invoice: decodeAs[heartland.Invoice](inv),
			Lines:   decodeAll[heartland.InvoiceLine](s.invoiceLinesOf(getInt(inv, "id"))),
		})
	}
	return out
}

// CustomerByEmail returns the first customer with this email (case-insensitive).
func (s *Server) CustomerByEmail(email string) (heartland.Customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.customers.all() {
		if strings.EqualFold(getStr(c, "email"), email) {
			return decodeAs[heartland.Customer](c), true
		}
	}
	return heartland.Customer{}, false
}

// CustomFields returns every custom field.
func (s *Server) CustomFields() []heartland.CustomField {
	s.mu.Lock()
	defer s.mu.Unlock()
	return decodeAll[heartland.CustomField](s.customFields.all())
}

// PaymentTypes returns every payment type.
func (s *Server) PaymentTypes() []heartland.PaymentType {
	s.mu.Lock()
	defer s.mu.Unlock()
	return decodeAll[heartland.PaymentType](s.paymentTypes.all())
}

// Webhooks returns every webhook subscription.
func (s *Server) Webhooks() []heartland.Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	return decodeAll[heartland.Webhook](s.webhooks.all())
}

// Tickets returns every POS ticket.
func (s *Server) Tickets() []heartland.Transaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return decodeAll[heartland.Transaction](s.tickets.all())
}

// InventoryTransactions returns every recorded stock movement.
func (s *Server) InventoryTransactions() []heartland.InventoryTransaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return decodeAll[heartland.InventoryTransaction](s.invTx.all())
}
