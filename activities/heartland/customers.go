package heartland

import (
	"context"
	"strings"
	"time"
)

// Customer is a Heartland customer record.
type Customer struct {
	ID        int64          `json:"id"`
	PublicID  string         `json:"public_id,omitempty"`
	FirstName string         `json:"first_name"`
	LastName  string         `json:"last_name"`
	Email     string         `json:"email,omitempty"`
	Phone     string         `json:"phone,omitempty"`
	Active    bool           `json:"active"`
	Custom    map[string]any `json:"custom,omitempty"`
	CreatedAt time.Time      `json:"created_at,omitzero"`
	UpdatedAt time.Time      `json:"updated_at,omitzero"`
}

// UnmarshalJSON accepts "active?".
func (c *Customer) UnmarshalJSON(b []byte) error {
	type plain Customer
	return decodeWire(b, (*plain)(c))
}

// CustomerFields is a create or partial-update body for a customer.
type CustomerFields struct {
	PublicID  *string        `json:"public_id,omitempty"`
	FirstName *string        `json:"first_name,omitempty"`
	LastName  *string        `json:"last_name,omitempty"`
	Email     *string        `json:"email,omitempty"`
	Phone     *string        `json:"phone,omitempty"`
	Active    *bool          `json:"active,omitempty"`
	Custom    map[string]any `json:"custom,omitempty"`
}

// Address is a customer address, referenced by orders as billing/shipping
// address ids. Field names follow the working 2019 client (line_1,
// postal_code); another client used address_1/zip (UNCONFIRMED).
type Address struct {
	ID         int64  `json:"id,omitempty"`
	CustomerID int64  `json:"customer_id,omitempty"`
	FirstName  string `json:"first_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`
	Company    string `json:"company,omitempty"`
	Line1      string `json:"line_1,omitempty"`
	Line2      string `json:"line_2,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	Country    string `json:"country,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// UnmarshalJSON accepts "?"-style boolean names.
func (a *Address) UnmarshalJSON(b []byte) error {
	type plain Address
	return decodeWire(b, (*plain)(a))
}

// GetCustomer reads one customer.
func (c *Client) GetCustomer(ctx context.Context, id int64) (Customer, error) {
	var cu Customer
	err := c.get(ctx, idPath("customers", id), nil, &cu)
	return cu, err
}

// FindCustomerByEmail returns the oldest customer with this email or a
// apierror.KindNotFound error. Whether the server compares case-insensitively is
// UNCONFIRMED, so the filter matches the address as given or lower-cased.
func (c *Client) FindCustomerByEmail(ctx context.Context, email string) (Customer, error) {
	f := Filter{"email": email}
	if lower := strings.ToLower(email); lower != email {
		f = Or(Filter{"email": email}, Filter{"email": lower})
	}
	return first[Customer](ctx, c, "customers", Query{Filters: []Filter{f}, Sort: []string{"id"}}, "customer with email "+email)
}

// CreateCustomer creates a customer and returns its id.
func (c *Client) CreateCustomer(ctx context.Context, f CustomerFields) (int64, error) {
	return c.create(ctx, "customers", f)
}

// UpdateCustomer applies a partial update.
func (c *Client) UpdateCustomer(ctx context.Context, id int64, f CustomerFields) error {
	return c.put(ctx, idPath("customers", id), f)
}

// ListCustomerAddresses walks a customer's addresses.
func (c *Client) ListCustomerAddresses(ctx context.Context, customerID int64) ([]Address, error) {
	return newWalker(c, idPath("customers", customerID)+"/addresses", Query{}, Cursor{}, func(a *Address) int64 { return a.ID }).All(ctx)
}

// CreateCustomerAddress adds an address and returns its id.
func (c *Client) CreateCustomerAddress(ctx context.Context, customerID int64, a Address) (int64, error) {
	a.ID, a.CustomerID = 0, 0
	return c.create(ctx, idPath("customers", customerID)+"/addresses", a)
}
