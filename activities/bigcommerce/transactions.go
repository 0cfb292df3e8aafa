package bigcommerce

import (
	"context"
	"fmt"
	"net/http"
)

// Transaction is a v3 order transaction (payment event).
type Transaction struct {
	ID                   int        `json:"id"`
	OrderID              FlexString `json:"order_id"` // a string in v3
	Event                string     `json:"event"`    // purchase|authorization|capture|refund|void|pending|settled
	Method               string     `json:"method"`
	Amount               Number     `json:"amount"`
	Currency             string     `json:"currency"`
	Gateway              string     `json:"gateway"`
	GatewayTransactionID string     `json:"gateway_transaction_id"`
	Status               string     `json:"status"` // ok|error
	Test                 bool       `json:"test"`
	DateCreated          Time       `json:"date_created"`
}

// Refund is a v3 refund.
type Refund struct {
	ID          int             `json:"id"`
	OrderID     int             `json:"order_id"`
	UserID      int             `json:"user_id"`
	Created     Time            `json:"created"`
	Reason      string          `json:"reason"`
	TotalAmount Number          `json:"total_amount"`
	TotalTax    Number          `json:"total_tax"`
	Items       []RefundItem    `json:"items"`
	Payments    []RefundPayment `json:"payments"`
}

// RefundItem is one refunded item. ItemType PRODUCT uses ItemID =
// order_product_id and Quantity; amount-bound types use Amount.
type RefundItem struct {
	ItemType        string  `json:"item_type"`
	ItemID          int     `json:"item_id"`
	Quantity        int     `json:"quantity,omitempty"`
	Amount          *Number `json:"amount,omitempty"`
	RequestedAmount *Number `json:"requested_amount,omitempty"`
	Reason          string  `json:"reason,omitempty"`
}

// RefundPayment is one payment leg of a refund.
type RefundPayment struct {
	ID         int    `json:"id,omitempty"`
	ProviderID string `json:"provider_id"`
	Amount     Number `json:"amount"`
	Offline    bool   `json:"offline"`
	IsDeclined bool   `json:"is_declined,omitempty"`
}

// RefundCreate is the body of POST .../payment_actions/refunds.
type RefundCreate struct {
	Items    []RefundItem    `json:"items"`
	Payments []RefundPayment `json:"payments,omitempty"`
	Reason   string          `json:"reason,omitempty"`
}

func orderV3(orderID int, rest string) string { return fmt.Sprintf("/v3/orders/%d%s", orderID, rest) }

// ListTransactions returns an order's transactions (204 → none) in one
// call: the API documents no paging here, and a store ignores page/limit.
func (c *Client) ListTransactions(ctx context.Context, orderID int) ([]Transaction, error) {
	return v3Call[[]Transaction](ctx, c, http.MethodGet, orderV3(orderID, "/transactions"), nil, nil)
}

// CapturePayment captures an authorized payment. The gateway call is
// asynchronous; the order's payment_status reflects the outcome. Capturing
// twice is an error from the API, so callers check payment_status first.
func (c *Client) CapturePayment(ctx context.Context, orderID int) error {
	_, err := c.do(ctx, http.MethodPost, orderV3(orderID, "/payment_actions/capture"), nil, struct{}{})
	return err
}

// VoidPayment voids an authorized payment.
func (c *Client) VoidPayment(ctx context.Context, orderID int) error {
	_, err := c.do(ctx, http.MethodPost, orderV3(orderID, "/payment_actions/void"), nil, struct{}{})
	return err
}

// ListRefunds returns an order's refunds in one call (no paging is
// documented here); their total_amount sum is the authoritative refunded
// amount.
func (c *Client) ListRefunds(ctx context.Context, orderID int) ([]Refund, error) {
	return v3Call[[]Refund](ctx, c, http.MethodGet, orderV3(orderID, "/payment_actions/refunds"), nil, nil)
}

// CreateRefund submits a refund. Refunds on one order must be sequential.
func (c *Client) CreateRefund(ctx context.Context, orderID int, r RefundCreate) (Refund, error) {
	return v3Call[Refund](ctx, c, http.MethodPost, orderV3(orderID, "/payment_actions/refunds"), nil, r)
}
