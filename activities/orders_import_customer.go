package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/heartland"
)

// ErrTypeNoStation marks a Heartland location without an active station;
// orders and invoices need one.
const ErrTypeNoStation = "NoStation"

func hlDecimal(s string) (heartland.Decimal, error) {
	if s == "" {
		return heartland.Decimal{}, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return heartland.Decimal{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("amount %q is not a decimal", s), "BadAmount", err)
	}
	return heartland.Decimal{Decimal: d}, nil
}

func hlQty(n int) heartland.Qty { return heartland.Decimal{Decimal: decimal.NewFromInt(int64(n))} }

// stationOf returns the first active station of a location, from the
// cached location list. A location missing there, or without an active
// station, is read afresh before hrbc gives up: a register may have opened
// since the list was cached.
func (a *Orders) stationOf(ctx context.Context, connectionID string, hl *heartland.Client, locationID int64) (int64, error) {
	locs, err := a.locations(ctx, connectionID, hl)
	if err != nil {
		return 0, err
	}
	for _, l := range locs {
		if id, ok := activeStation(l); ok && l.ID == locationID {
			return id, nil
		}
	}
	loc, err := hl.GetLocation(ctx, locationID)
	if err != nil {
		return 0, heartlandError(fmt.Sprintf("read Heartland location %d", locationID), err)
	}
	if id, ok := activeStation(loc); ok {
		a.cache.locations.forget(connectionID)
		return id, nil
	}
	return 0, temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("Heartland location %d (%s) has no active station", locationID, loc.Name), ErrTypeNoStation, nil)
}

func activeStation(loc heartland.Location) (int64, bool) {
	for _, st := range loc.Stations {
		if st.Active {
			return st.ID, true
		}
	}
	return 0, false
}

func toHeartlandAddress(a OrderAddress) heartland.Address {
	return heartland.Address{FirstName: a.FirstName, LastName: a.LastName, Company: a.Company,
		Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, Country: a.Country,
		PostalCode: a.PostalCode, Phone: a.Phone}
}

// sameAddress compares the parts of an address that make it the same place.
func sameAddress(a, b heartland.Address) bool {
	norm := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	return norm(a.Line1) == norm(b.Line1) && norm(a.Line2) == norm(b.Line2) && norm(a.City) == norm(b.City) &&
		norm(a.PostalCode) == norm(b.PostalCode) && norm(a.Country) == norm(b.Country) &&
		norm(a.FirstName) == norm(b.FirstName) && norm(a.LastName) == norm(b.LastName)
}

// EnsureCustomer finds the customer by email, or creates it, and finds or
// creates the billing and shipping addresses, so a rerun adds nothing.
func (a *Orders) EnsureCustomer(ctx context.Context, req EnsureCustomerRequest) (CustomerRef, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return CustomerRef{}, err
	}
	return ensureCustomer(ctx, cl.Heartland, req.Email, req.Billing, req.Shipping)
}

// ensureCustomer is EnsureCustomer on a client, shared with the import.
func ensureCustomer(ctx context.Context, hl *heartland.Client, email string, billing, shipping OrderAddress) (CustomerRef, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return CustomerRef{}, temporal.NewNonRetryableApplicationError("order has no customer email (billing_address.email)", "MissingEmail", nil)
	}
	var ref CustomerRef
	var existing []heartland.Address
	c, err := hl.FindCustomerByEmail(ctx, email)
	switch {
	case errors.Is(err, heartland.ErrNotFound):
		first, last := billing.FirstName, billing.LastName
		id, err := hl.CreateCustomer(ctx, heartland.CustomerFields{FirstName: &first, LastName: &last, Email: &email})
		if err != nil {
			return CustomerRef{}, heartlandError("create Heartland customer "+email, err)
		}
		// A customer created this moment has no addresses to list; a rerun
		// finds it by email and lists them.
		ref.CustomerID = id
	case err != nil:
		return CustomerRef{}, heartlandError("find Heartland customer "+email, err)
	default:
		ref.CustomerID = c.ID
		if existing, err = hl.ListCustomerAddresses(ctx, ref.CustomerID); err != nil {
			return CustomerRef{}, heartlandError("list addresses of Heartland customer", err)
		}
	}
	ensure := func(addr OrderAddress) (int64, error) {
		want := toHeartlandAddress(addr)
		for _, have := range existing {
			if sameAddress(have, want) {
				return have.ID, nil
			}
		}
		id, err := hl.CreateCustomerAddress(ctx, ref.CustomerID, want)
		if err != nil {
			return 0, heartlandError("create address of Heartland customer", err)
		}
		want.ID = id
		existing = append(existing, want)
		return id, nil
	}
	if ref.BillingAddressID, err = ensure(billing); err != nil {
		return CustomerRef{}, err
	}
	if shipping.Line1 == "" {
		shipping = billing
	}
	if ref.ShippingAddressID, err = ensure(shipping); err != nil {
		return CustomerRef{}, err
	}
	return ref, nil
}

// DistributeLines sets each line's ship-from location. Writing the same
// location again is harmless, so a retry after a crash is too.
func (a *Orders) DistributeLines(ctx context.Context, req DistributeRequest) error {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return err
	}
	for _, l := range req.Lines {
		if err := cl.Heartland.SetLineShipFrom(ctx, req.HeartlandOrderID, l.LineID, l.LocationID); err != nil {
			return heartlandError(fmt.Sprintf("distribute line %d of Heartland order %d to location %d", l.LineID, req.HeartlandOrderID, l.LocationID), err)
		}
	}
	return nil
}

// SetSalesOrderStatus moves a Heartland order to a status unless it is
// there already.
func (a *Orders) SetSalesOrderStatus(ctx context.Context, req SalesOrderStatusRequest) error {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return err
	}
	o, err := cl.Heartland.GetSalesOrder(ctx, req.HeartlandOrderID)
	if err != nil {
		return heartlandError(fmt.Sprintf("read Heartland order %d", req.HeartlandOrderID), err)
	}
	if o.Status == req.Status {
		return nil
	}
	if err := cl.Heartland.SetSalesOrderStatus(ctx, req.HeartlandOrderID, req.Status); err != nil {
		return heartlandError(fmt.Sprintf("set Heartland order %d to %s", req.HeartlandOrderID, req.Status), err)
	}
	return nil
}

// ListInvoices returns the invoices of a Heartland order with their lines.
func (a *Orders) ListInvoices(ctx context.Context, req InvoicesRequest) ([]InvoiceSummary, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return nil, err
	}
	invs, err := cl.Heartland.ListInvoicesByOrder(ctx, req.HeartlandOrderID)
	if err != nil {
		return nil, heartlandError(fmt.Sprintf("list invoices of Heartland order %d", req.HeartlandOrderID), err)
	}
	out := make([]InvoiceSummary, 0, len(invs))
	for _, inv := range invs {
		lines, err := cl.Heartland.ListInvoiceLines(ctx, inv.ID)
		if err != nil {
			return nil, heartlandError(fmt.Sprintf("list lines of Heartland invoice %d", inv.ID), err)
		}
		s := InvoiceSummary{ID: inv.ID, LocationID: inv.SourceLocationID, Completed: inv.Completed || inv.Status == "complete",
			Total: inv.Total.StringFixed(2)}
		for _, l := range lines {
			s.Lines = append(s.Lines, InvoicedLine{OrderLineID: l.OrderLineID, Quantity: int(l.Qty.IntPart())})
		}
		out = append(out, s)
	}
	return out, nil
}

// invoicePaymentMarker names the payment recorded for an invoice, so a
// rerun finds it instead of paying twice.
func invoicePaymentMarker(invoiceID int64) string {
	return fmt.Sprintf("BigCommerce payment for invoice %d", invoiceID)
}

// externalPaymentType finds or creates the "BigCommerce External" type.
func externalPaymentType(ctx context.Context, hl *heartland.Client) (int64, error) {
	pt, err := hl.FindPaymentTypeByName(ctx, ExternalPaymentTypeName)
	if err == nil {
		return pt.ID, nil
	}
	if !errors.Is(err, heartland.ErrNotFound) {
		return 0, heartlandError("find payment type "+ExternalPaymentTypeName, err)
	}
	id, err := hl.CreatePaymentType(ctx, ExternalPaymentTypeName)
	if err != nil {
		// Orders paid at the same moment race to create the type; the loser
		// is told the name is taken and uses the winner's.
		if pt, ferr := hl.FindPaymentTypeByName(ctx, ExternalPaymentTypeName); ferr == nil {
			return pt.ID, nil
		}
		return 0, heartlandError("create payment type "+ExternalPaymentTypeName, err)
	}
	return id, nil
}

// RecordInvoicePayment records the invoice's amount as a "BigCommerce
// External" payment on the Heartland order, once.
func (a *Orders) RecordInvoicePayment(ctx context.Context, req InvoicePaymentRequest) error {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return err
	}
	return a.recordPayment(ctx, req.ConnectionID, cl.Heartland, req.HeartlandOrderID, invoicePaymentMarker(req.InvoiceID), req.Amount)
}

func (a *Orders) recordPayment(ctx context.Context, connectionID string, hl *heartland.Client, orderID int64, marker, amount string) error {
	payments, err := hl.ListSalesOrderPayments(ctx, orderID)
	if err != nil {
		return heartlandError(fmt.Sprintf("list payments of Heartland order %d", orderID), err)
	}
	for _, p := range payments {
		if p.Description == marker {
			return nil
		}
	}
	typeID, err := a.cache.paymentTypes.get(ctx, connectionID, hl, paymentTypeTTL, func(ctx context.Context) (int64, error) {
		return externalPaymentType(ctx, hl)
	})
	if err != nil {
		return err
	}
	amt, err := hlDecimal(amount)
	if err != nil {
		return err
	}
	if _, err := hl.AddSalesOrderPayment(ctx, orderID, heartland.PaymentFields{
		PaymentTypeID: typeID, Amount: amt, Deposit: true, Description: marker,
	}); err != nil {
		// The cached type may be the culprit (deleted in Heartland): the
		// retry looks it up again.
		a.cache.paymentTypes.forget(connectionID)
		return heartlandError(fmt.Sprintf("record payment on Heartland order %d", orderID), err)
	}
	return nil
}
