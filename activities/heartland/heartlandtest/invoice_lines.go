package heartlandtest

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"
)

// uninvoicedShipping is the order's shipping charge unless an invoice of
// the order carries it already.
func (s *Server) uninvoicedShipping(orderID int64) decimal.Decimal {
	if s.noShipInvoice {
		return decimal.Zero
	}
	for _, inv := range s.invoices.where(func(d doc) bool { return getInt(d, "order_id") == orderID }) {
		if getDec(inv, "shipping_charge").IsPositive() {
			return decimal.Zero
		}
	}
	o, _ := s.orders.get(orderID)
	return getDec(o, "shipping_charge")
}

// refreshInvoice recomputes an invoice's total: its lines plus the
// shipping it carries.
func (s *Server) refreshInvoice(inv doc) {
	total := getDec(inv, "shipping_charge")
	for _, l := range s.invoiceLinesOf(getInt(inv, "id")) {
		total = total.Add(getDec(l, "qty").Mul(getDec(l, "unit_price")))
	}
	inv["total"] = dnum(total)
	inv["updated_at"] = s.stamp()
}

// defaultPaymentClass is the payment "type" stored when a body names none.
func (s *Server) defaultPaymentClass() string {
	if s.paymentClasses["CustomPayment"] || len(s.paymentClasses) == 0 {
		return "CustomPayment"
	}
	names := make([]string, 0, len(s.paymentClasses))
	for n := range s.paymentClasses {
		names = append(names, n)
	}
	sort.Strings(names)
	return names[0]
}

// createInvoiceLine adds an order line (or part of it) to an invoice that
// is not complete yet: {"order_line_id": 7, "qty": 2}; qty defaults to what
// remains of the line. The line must ship from the invoice's location.
func (s *Server) createInvoiceLine(w http.ResponseWriter, r *http.Request) error {
	inv, id, err := lookup(r, s.invoices, "Invoice")
	if err != nil {
		return err
	}
	if getBool(inv, "completed") {
		return errField("status", "invoice is already complete")
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	olID, ok := asInt(body["order_line_id"])
	if !ok {
		return errField("order_line_id", "can't be blank")
	}
	ol, ok := s.orderLines.get(olID)
	if !ok || getInt(ol, "order_id") != getInt(inv, "order_id") {
		return errField("order_line_id", "is invalid")
	}
	if getInt(ol, "ship_from_location_id") != getInt(inv, "source_location_id") {
		return errField("order_line_id", "is not distributed to the invoice's location")
	}
	rem := getDec(ol, "qty").Sub(getDec(ol, "qty_invoiced")).Sub(s.pendingInvoiced(olID))
	qty := rem
	if v, ok := body["qty"]; ok && v != nil {
		if qty, ok = asDec(v); !ok || !qty.IsPositive() {
			return errField("qty", "must be greater than 0")
		}
	}
	if !rem.IsPositive() || qty.GreaterThan(rem) {
		return errField("qty", "is more than remains to invoice of the order line")
	}
	price := getDec(ol, "adjusted_unit_price")
	l := doc{"invoice_id": num(id), "order_line_id": num(olID), "item_id": ol["item_id"], "item_public_id": ol["item_public_id"],
		"description": ol["description"], "qty": dnum(qty), "unit_price": dnum(price)}
	lid := s.invoiceLines.insert(l)
	s.refreshInvoice(inv)
	return s.created(w, r, "sales/invoices/"+strconv.FormatInt(id, 10)+"/lines/"+strconv.FormatInt(lid, 10), l)
}
