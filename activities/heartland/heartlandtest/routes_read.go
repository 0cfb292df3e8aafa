package heartlandtest

import (
	"net/http"
)

// This file holds the single-record reads of nested resources: every
// Location a create answers names one of these (or a top-level record),
// as Heartland's official client follows it to read the record back.

// child finds record "{name}" of c under parent record "{id}" of parents,
// linked by field.
func child(r *http.Request, parents *collection, parentWhat string, c *collection, name, field, what string) (doc, error) {
	_, pid, err := lookup(r, parents, parentWhat)
	if err != nil {
		return nil, err
	}
	id, ok := pathID(r, name)
	if !ok {
		return nil, errNotFound(what)
	}
	d, ok := c.get(id)
	if !ok || getInt(d, field) != pid {
		return nil, errNotFound(what)
	}
	return d, nil
}

func (s *Server) getAddress(w http.ResponseWriter, r *http.Request) error {
	d, err := child(r, s.customers, "Customer", s.addresses, "address", "customer_id", "Address")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) getOrderLine(w http.ResponseWriter, r *http.Request) error {
	d, err := child(r, s.orders, "Sales order", s.orderLines, "line", "order_id", "Sales order line")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) getPayment(w http.ResponseWriter, r *http.Request) error {
	d, err := child(r, s.orders, "Sales order", s.payments, "payment", "order_id", "Payment")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) getInvoiceLine(w http.ResponseWriter, r *http.Request) error {
	d, err := child(r, s.invoices, "Invoice", s.invoiceLines, "line", "invoice_id", "Invoice line")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) getAdjLine(w http.ResponseWriter, r *http.Request) error {
	d, err := child(r, s.adjSets, "Adjustment set", s.adjLines, "line", "adjustment_set_id", "Adjustment line")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) getPaymentType(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.paymentTypes, "Payment type")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) getWebhook(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.webhooks, "Webhook")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}
