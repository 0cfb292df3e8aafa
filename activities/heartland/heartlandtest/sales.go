package heartlandtest

import (
	"net/http"
	"strconv"

	"github.com/shopspring/decimal"
)

// Sales orders follow Heartland's lifecycle: created (pending unless told
// otherwise), lines distributed by ship_from_location_id, released with
// status "open" (which commits stock), invoiced once per fulfilling
// location, and closed when every line is invoiced.

const (
	statusPending = "pending"
	statusOpen    = "open"
)

// finished reports whether an order status is the account's closed or
// cancelled one (see WithOrderStatuses).
func (s *Server) finished(status string) bool {
	return status == s.closeStatus || (s.cancelStatus != "" && status == s.cancelStatus)
}

func (s *Server) orderLinesOf(orderID int64) []doc {
	return s.orderLines.where(func(l doc) bool { return getInt(l, "order_id") == orderID })
}

// refreshOrder recomputes an order's derived money fields.
func (s *Server) refreshOrder(o doc) {
	id := getInt(o, "id")
	sub := decimal.Zero
	for _, l := range s.orderLinesOf(id) {
		sub = sub.Add(getDec(l, "qty").Mul(getDec(l, "adjusted_unit_price")))
	}
	paid := decimal.Zero
	for _, p := range s.payments.where(func(p doc) bool { return getInt(p, "order_id") == id }) {
		paid = paid.Add(getDec(p, "amount"))
	}
	total := sub.Add(getDec(o, "shipping_charge"))
	o["subtotal"] = dnum(sub)
	o["total"] = dnum(total)
	o["total_paid"] = dnum(paid)
	o["balance"] = dnum(total.Sub(paid))
	o["updated_at"] = s.stamp()
}

// buildLine validates a new order line body.
func (s *Server) buildLine(orderID int64, body doc) (doc, error) {
	var item doc
	if v, ok := body["item_id"]; ok && v != nil {
		id, _ := asInt(v)
		item, _ = s.items.get(id)
	} else if look := getStr(body, "item_lookup"); look != "" {
		item = s.itemByLookup(look)
	}
	if item == nil {
		return nil, errField("item_id", "is invalid")
	}
	qty, ok := asDec(body["qty"])
	if !ok || !qty.IsPositive() {
		return nil, errField("qty", "must be greater than 0")
	}
	price := getDec(item, "price")
	if v, ok := body["adjusted_unit_price"]; ok && v != nil {
		p, ok := asDec(v)
		if !ok {
			return nil, errField("adjusted_unit_price", "is not a number")
		}
		price = p
	}
	l := doc{
		"order_id": num(orderID), "type": "ItemLine", "item_id": item["id"], "item_public_id": item["public_id"],
		"description": item["description"], "qty": dnum(qty), "qty_invoiced": num(0),
		"unit_price": dnum(getDec(item, "price")), "adjusted_unit_price": dnum(price),
		"ship_from_location_id": nil,
	}
	if desc := getStr(body, "description"); desc != "" {
		l["description"] = desc
	}
	if err := normID(body, "ship_from_location_id", s.locations); err != nil {
		return nil, err
	}
	l["ship_from_location_id"] = body["ship_from_location_id"]
	return l, nil
}

func (s *Server) itemByLookup(look string) doc {
	for _, it := range s.items.all() {
		if getStr(it, "public_id") == look || getStr(it, "primary_barcode") == look {
			return it
		}
	}
	return nil
}

// validateOrder checks a merged order; prev is the status before the change.
func (s *Server) validateOrder(o doc, self int64, prev string) error {
	if err := normID(o, "station_id", s.stations); err != nil {
		return err
	}
	if err := normID(o, "source_location_id", s.locations); err != nil {
		return err
	}
	if o["station_id"] == nil {
		return errField("station_id", "can't be blank")
	}
	if o["source_location_id"] == nil {
		return errField("source_location_id", "can't be blank")
	}
	st, _ := s.stations.get(getInt(o, "station_id"))
	if getInt(st, "location_id") != getInt(o, "source_location_id") {
		return errField("station_id", "does not belong to the source location")
	}
	for _, f := range []string{"customer_id"} {
		if err := normID(o, f, s.customers); err != nil {
			return err
		}
	}
	for _, f := range []string{"billing_address_id", "shipping_address_id"} {
		if err := normID(o, f, s.addresses); err != nil {
			return err
		}
	}
	if err := normNumbers(o, "shipping_charge"); err != nil {
		return err
	}
	if err := checkUnique(s.orders, o, self); err != nil {
		return err
	}
	next := getStr(o, "status")
	if next != statusPending && next != statusOpen && !s.finished(next) {
		return errField("status", "is not included in the list")
	}
	if prev == "" && next != statusPending && next != statusOpen {
		return errField("status", "must be pending or open on create")
	}
	if s.finished(prev) && next != prev {
		return errField("status", "cannot change once "+prev)
	}
	if next == statusOpen {
		return s.checkRequired("sales.transaction", o)
	}
	return nil
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) error {
	renderList(w, r, s.orders.all(), s.includeOrder)
	return nil
}

func (s *Server) includeOrder(d doc, rel string) (any, bool) {
	switch rel {
	case "customer":
		c, ok := s.customers.get(getInt(d, "customer_id"))
		return c, ok
	case "location":
		l, ok := s.locations.get(getInt(d, "source_location_id"))
		return l, ok
	case "lines":
		return s.orderLinesOf(getInt(d, "id")), true
	}
	return nil, false
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.orders, "Sales order")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, s.includeOrder)
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	rawLines, _ := body["lines"].([]any)
	delete(body, "lines")
	now := s.stamp()
	o := doc{"public_id": "", "type": "SalesOrder", "status": statusPending, "customer_id": nil,
		"source_location_id": nil, "station_id": nil, "billing_address_id": nil, "shipping_address_id": nil,
		"shipping_charge": num(0), "custom": map[string]any{}, "created_at": now, "updated_at": now}
	mergeInto(o, body)
	if err := s.validateOrder(o, 0, ""); err != nil {
		return err
	}
	lines := make([]doc, 0, len(rawLines))
	for _, raw := range rawLines {
		lb, ok := raw.(map[string]any)
		if !ok {
			return errField("lines", "is invalid")
		}
		l, err := s.buildLine(0, normalize(lb))
		if err != nil {
			return err
		}
		lines = append(lines, l)
	}
	id := s.orders.insert(o)
	assignPublicID(s.orders, o, id)
	for _, l := range lines {
		l["order_id"] = num(id)
		s.orderLines.insert(l)
	}
	s.refreshOrder(o)
	s.syncCommitments("SalesOrder", id)
	return s.created(w, r, "sales/orders/"+strconv.FormatInt(id, 10), o)
}

func (s *Server) updateOrder(w http.ResponseWriter, r *http.Request) error {
	o, id, err := lookup(r, s.orders, "Sales order")
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	delete(body, "lines")
	for _, k := range []string{"subtotal", "total", "total_paid", "balance", "type"} {
		delete(body, k)
	}
	next := copyDoc(o)
	mergeInto(next, body)
	if err := s.validateOrder(next, id, getStr(o, "status")); err != nil {
		return err
	}
	s.orders.docs[id] = next
	s.refreshOrder(next)
	s.syncCommitments("SalesOrder", id)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) editable(o doc) error {
	if st := getStr(o, "status"); s.finished(st) {
		return errField("status", "order is "+st+" and cannot be changed")
	}
	return nil
}

func (s *Server) listOrderLines(w http.ResponseWriter, r *http.Request) error {
	_, id, err := lookup(r, s.orders, "Sales order")
	if err != nil {
		return err
	}
	renderList(w, r, s.orderLinesOf(id), nil)
	return nil
}

func (s *Server) createOrderLine(w http.ResponseWriter, r *http.Request) error {
	o, id, err := lookup(r, s.orders, "Sales order")
	if err != nil {
		return err
	}
	if err := s.editable(o); err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	l, err := s.buildLine(id, body)
	if err != nil {
		return err
	}
	lid := s.orderLines.insert(l)
	s.refreshOrder(o)
	s.syncCommitments("SalesOrder", id)
	return s.created(w, r, "sales/orders/"+strconv.FormatInt(id, 10)+"/lines/"+strconv.FormatInt(lid, 10), l)
}

func (s *Server) updateOrderLine(w http.ResponseWriter, r *http.Request) error {
	o, id, err := lookup(r, s.orders, "Sales order")
	if err != nil {
		return err
	}
	lid, _ := pathID(r, "line")
	l, ok := s.orderLines.get(lid)
	if !ok || getInt(l, "order_id") != id {
		return errNotFound("Sales order line")
	}
	if err := s.editable(o); err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	next := copyDoc(l)
	for _, k := range []string{"ship_from_location_id", "qty", "adjusted_unit_price", "description"} {
		if v, ok := body[k]; ok {
			next[k] = v
		}
	}
	if err := normID(next, "ship_from_location_id", s.locations); err != nil {
		return err
	}
	if err := normNumbers(next, "qty", "adjusted_unit_price"); err != nil {
		return err
	}
	if getDec(next, "qty").LessThan(getDec(next, "qty_invoiced")) || !getDec(next, "qty").IsPositive() {
		return errField("qty", "must be greater than the invoiced quantity")
	}
	if getInt(l, "ship_from_location_id") != getInt(next, "ship_from_location_id") && getDec(l, "qty_invoiced").IsPositive() {
		return errField("ship_from_location_id", "cannot change after the line is invoiced")
	}
	s.orderLines.docs[lid] = next
	s.refreshOrder(o)
	s.syncCommitments("SalesOrder", id)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) listPayments(w http.ResponseWriter, r *http.Request) error {
	_, id, err := lookup(r, s.orders, "Sales order")
	if err != nil {
		return err
	}
	renderList(w, r, s.payments.where(func(p doc) bool { return getInt(p, "order_id") == id }), nil)
	return nil
}

func (s *Server) createPayment(w http.ResponseWriter, r *http.Request) error {
	o, id, err := lookup(r, s.orders, "Sales order")
	if err != nil {
		return err
	}
	if err := s.editable(o); err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	p := doc{"type": s.defaultPaymentClass(), "deposit": false, "description": "", "custom": map[string]any{}, "created_at": s.stamp()}
	mergeInto(p, body)
	if p["amount"] == nil {
		return errField("amount", "can't be blank")
	}
	if err := normNumbers(p, "amount"); err != nil {
		return err
	}
	if !s.paymentClasses[getStr(p, "type")] {
		return errField("type", "is not included in the list")
	}
	if p["payment_type_id"] == nil {
		return errField("payment_type_id", "can't be blank")
	}
	if err := normID(p, "payment_type_id", s.paymentTypes); err != nil {
		return err
	}
	p["order_id"] = num(id)
	pid := s.payments.insert(p)
	s.refreshOrder(o)
	return s.created(w, r, "sales/orders/"+strconv.FormatInt(id, 10)+"/payments/"+strconv.FormatInt(pid, 10), p)
}

// ---- invoices ----

func (s *Server) invoiceLinesOf(invoiceID int64) []doc {
	return s.invoiceLines.where(func(l doc) bool { return getInt(l, "invoice_id") == invoiceID })
}

// pendingInvoiced is the quantity of an order line already on invoices that
// are not complete yet, so a second invoice cannot take it again.
func (s *Server) pendingInvoiced(lineID int64) decimal.Decimal {
	q := decimal.Zero
	for _, il := range s.invoiceLines.where(func(l doc) bool { return getInt(l, "order_line_id") == lineID }) {
		inv, _ := s.invoices.get(getInt(il, "invoice_id"))
		if !getBool(inv, "completed") {
			q = q.Add(getDec(il, "qty"))
		}
	}
	return q
}

// newInvoice creates an invoice at a location from the order lines
// distributed there that remain to invoice; viaAPI with WithEmptyInvoices
// leaves the lines to the caller (Heartland's screens always pre-list them).
func (s *Server) newInvoice(body doc, viaAPI bool) (doc, error) {
	oid, _ := asInt(body["order_id"])
	o, ok := s.orders.get(oid)
	if !ok {
		return nil, errField("order_id", "is invalid")
	}
	if getStr(o, "status") != statusOpen {
		return nil, errField("order_id", "order must be open to invoice")
	}
	if err := normID(body, "source_location_id", s.locations); err != nil {
		return nil, err
	}
	if err := normID(body, "station_id", s.stations); err != nil {
		return nil, err
	}
	loc := getInt(body, "source_location_id")
	if loc == 0 {
		return nil, errField("source_location_id", "can't be blank")
	}
	st, ok := s.stations.get(getInt(body, "station_id"))
	if !ok {
		return nil, errField("station_id", "can't be blank")
	}
	if getInt(st, "location_id") != loc {
		return nil, errField("station_id", "does not belong to the source location")
	}
	inv := doc{"public_id": getStr(body, "public_id"), "type": "Invoice", "order_id": num(oid), "status": statusPending,
		"completed": false, "completed_at": nil, "source_location_id": num(loc), "station_id": body["station_id"],
		"customer_id": o["customer_id"], "created_at": s.stamp(), "updated_at": s.stamp()}
	if err := checkUnique(s.invoices, inv, 0); err != nil {
		return nil, err
	}
	var lines []doc
	total := decimal.Zero
	for _, l := range s.orderLinesOf(oid) {
		if getInt(l, "ship_from_location_id") != loc {
			continue
		}
		lid := getInt(l, "id")
		rem := getDec(l, "qty").Sub(getDec(l, "qty_invoiced")).Sub(s.pendingInvoiced(lid))
		if !rem.IsPositive() {
			continue
		}
		price := getDec(l, "adjusted_unit_price")
		total = total.Add(rem.Mul(price))
		lines = append(lines, doc{"order_line_id": num(lid), "item_id": l["item_id"], "item_public_id": l["item_public_id"],
			"description": l["description"], "qty": dnum(rem), "unit_price": dnum(price)})
	}
	if len(lines) == 0 {
		return nil, errValidation("No distributed lines remain to invoice at this location",
			map[string]any{"source_location_id": []string{"has no distributed lines left to invoice"}})
	}
	// Shipping carries over from the order to its invoice (Heartland's help
	// pages); with several invoices the first one takes it.
	inv["shipping_charge"] = dnum(s.uninvoicedShipping(oid))
	if s.emptyInvoices && viaAPI {
		lines, total = nil, decimal.Zero
	}
	inv["total"] = dnum(total.Add(getDec(inv, "shipping_charge")))
	id := s.invoices.insert(inv)
	assignPublicID(s.invoices, inv, id)
	for _, l := range lines {
		l["invoice_id"] = num(id)
		s.invoiceLines.insert(l)
	}
	if s.completeOnNew {
		s.completeInvoice(inv)
	}
	return inv, nil
}

// completeInvoice consumes the invoiced stock at the invoice's location,
// marks the order lines invoiced (releasing their commitment) and closes the
// order once every line is invoiced.
func (s *Server) completeInvoice(inv doc) {
	if getBool(inv, "completed") {
		return
	}
	id, loc, oid := getInt(inv, "id"), getInt(inv, "source_location_id"), getInt(inv, "order_id")
	for _, il := range s.invoiceLinesOf(id) {
		qty := getDec(il, "qty")
		s.moveOnHand(getInt(il, "item_id"), loc, qty.Neg(), "invoice", "Invoice", id)
		if ol, ok := s.orderLines.get(getInt(il, "order_line_id")); ok {
			ol["qty_invoiced"] = dnum(getDec(ol, "qty_invoiced").Add(qty))
		}
	}
	now := s.stamp()
	inv["status"], inv["completed"], inv["completed_at"], inv["updated_at"] = "complete", true, now, now
	if o, ok := s.orders.get(oid); ok {
		done := true
		for _, l := range s.orderLinesOf(oid) {
			if getDec(l, "qty_invoiced").LessThan(getDec(l, "qty")) {
				done = false
			}
		}
		s.refreshOrder(o)
		// An order closes by itself once every line is invoiced and nothing
		// is owed; with a balance left it stays open for the payment (an
		// integration records it, then closes the order).
		if done && !getDec(o, "balance").IsPositive() {
			o["status"] = s.closeStatus
		}
	}
	s.syncCommitments("Invoice", id)
	s.emit(eventSalesTransactionCompleted, inv)
}

func (s *Server) listInvoices(w http.ResponseWriter, r *http.Request) error {
	renderList(w, r, s.invoices.all(), s.includeInvoice)
	return nil
}

func (s *Server) includeInvoice(d doc, rel string) (any, bool) {
	if rel == "lines" {
		return s.invoiceLinesOf(getInt(d, "id")), true
	}
	return nil, false
}

func (s *Server) getInvoice(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.invoices, "Invoice")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, s.includeInvoice)
}

func (s *Server) createInvoice(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	inv, err := s.newInvoice(body, true)
	if err != nil {
		return err
	}
	return s.created(w, r, "sales/invoices/"+strconv.FormatInt(getInt(inv, "id"), 10), inv)
}

func (s *Server) updateInvoice(w http.ResponseWriter, r *http.Request) error {
	inv, _, err := lookup(r, s.invoices, "Invoice")
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	switch st := getStr(body, "status"); st {
	case "":
	case "complete", "completed":
		s.completeInvoice(inv)
	case statusPending:
		if getBool(inv, "completed") {
			return errField("status", "invoice is already complete")
		}
	default:
		return errField("status", "is not included in the list")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) listInvoiceLines(w http.ResponseWriter, r *http.Request) error {
	_, id, err := lookup(r, s.invoices, "Invoice")
	if err != nil {
		return err
	}
	renderList(w, r, s.invoiceLinesOf(id), nil)
	return nil
}

// ---- tickets ----

func (s *Server) listTickets(w http.ResponseWriter, r *http.Request) error {
	renderList(w, r, s.tickets.all(), nil)
	return nil
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.tickets, "Ticket")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) listTicketLines(w http.ResponseWriter, r *http.Request) error {
	_, id, err := lookup(r, s.tickets, "Ticket")
	if err != nil {
		return err
	}
	renderList(w, r, s.ticketLines.where(func(l doc) bool { return getInt(l, "ticket_id") == id }), nil)
	return nil
}
