package heartland

import (
	"context"
	"time"
)

// ExternalPaymentTypeName is the payment type hrbc records BigCommerce
// payments under; the money itself stays in BigCommerce.
const ExternalPaymentTypeName = "BigCommerce External"

// PaymentType is a tender type configured on the account.
type PaymentType struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

// UnmarshalJSON accepts "active?".
func (p *PaymentType) UnmarshalJSON(b []byte) error {
	type plain PaymentType
	return decodeWire(b, (*plain)(p))
}

// FindPaymentTypeByName returns the payment type called name or a
// apierror.KindNotFound error; pair it with CreatePaymentType to find-or-create.
func (c *Client) FindPaymentTypeByName(ctx context.Context, name string) (PaymentType, error) {
	return first[PaymentType](ctx, c, "payment_types", Query{Filters: []Filter{{"name": name}}, Sort: []string{"id"}}, "payment type named "+name)
}

// CreatePaymentType creates a payment type and returns its id.
func (c *Client) CreatePaymentType(ctx context.Context, name string) (int64, error) {
	return c.create(ctx, "payment_types", map[string]string{"name": name})
}

// Payment is a payment recorded on a sales order.
type Payment struct {
	ID            int64          `json:"id"`
	OrderID       int64          `json:"order_id"`
	Type          string         `json:"type"`
	PaymentTypeID int64          `json:"payment_type_id"`
	Amount        Money          `json:"amount"`
	Deposit       bool           `json:"deposit"`
	Description   string         `json:"description,omitempty"`
	Custom        map[string]any `json:"custom,omitempty"`
	CreatedAt     time.Time      `json:"created_at,omitzero"`
}

// UnmarshalJSON accepts "deposit?".
func (p *Payment) UnmarshalJSON(b []byte) error {
	type plain Payment
	return decodeWire(b, (*plain)(p))
}

// PaymentFields is the body of a new order payment. Type defaults to
// Config.OrderPaymentType.
type PaymentFields struct {
	Type          string         `json:"type,omitempty"`
	PaymentTypeID int64          `json:"payment_type_id"`
	Amount        Money          `json:"amount"`
	Deposit       bool           `json:"deposit"`
	Description   string         `json:"description,omitempty"`
	Custom        map[string]any `json:"custom,omitempty"`
}

// AddSalesOrderPayment records a payment on an order and returns its id.
func (c *Client) AddSalesOrderPayment(ctx context.Context, orderID int64, p PaymentFields) (int64, error) {
	if p.Type == "" {
		p.Type = c.cfg.OrderPaymentType
	}
	return c.create(ctx, idPath("sales/orders", orderID)+"/payments", p)
}

// ListSalesOrderPayments walks an order's payments.
func (c *Client) ListSalesOrderPayments(ctx context.Context, orderID int64) ([]Payment, error) {
	return newWalker(c, idPath("sales/orders", orderID)+"/payments", Query{}, Cursor{}, func(p *Payment) int64 { return p.ID }).All(ctx)
}
