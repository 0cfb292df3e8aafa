package activities

import (
	"context"
	"errors"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/heartland"
)

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
