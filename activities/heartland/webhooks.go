package heartland

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Webhook event names hrbc subscribes to.
const (
	// EventItemCreated fires with the new item.
	EventItemCreated = "item_created"
	// EventItemUpdated fires with the changed item.
	EventItemUpdated = "item_updated"
	// EventCustomerCreated fires with the new customer.
	EventCustomerCreated = "customer_created"
	// EventSalesTransactionCompleted fires with a completed ticket, return or invoice.
	EventSalesTransactionCompleted = "sales_transaction_completed"
)

// Webhook is a subscription: Heartland POSTs the bare resource JSON of each
// listed event to URL. Nothing is signed, so hrbc puts a secret in the URL's
// query string and checks it on receipt.
type Webhook struct {
	ID     int64    `json:"id"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Active bool     `json:"active"`
}

// UnmarshalJSON accepts "active?".
func (w *Webhook) UnmarshalJSON(b []byte) error {
	type plain Webhook
	return decodeWire(b, (*plain)(w))
}

// ListWebhooks walks every subscription of the account.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	return newWalker(c, "webhooks", Query{}, Cursor{}, func(w *Webhook) int64 { return w.ID }).All(ctx)
}

// CreateWebhook subscribes url to events and returns the subscription id.
func (c *Client) CreateWebhook(ctx context.Context, url string, events []string) (int64, error) {
	return c.create(ctx, "webhooks", map[string]any{"url": url, "events": events})
}

// DeleteWebhook removes a subscription.
func (c *Client) DeleteWebhook(ctx context.Context, id int64) error {
	_, err := c.do(ctx, "DELETE", idPath("webhooks", id), nil, nil, nil)
	return err
}

// WebhookPayload is a decoded webhook body. Exactly one of Item, Customer,
// Transaction is set.
type WebhookPayload struct {
	Event       string
	Item        *Item
	Customer    *Customer
	Transaction *Transaction
}

// ErrUnknownPayload is returned when a webhook body matches no known shape.
var ErrUnknownPayload = errors.New("heartland: unrecognised webhook payload")

// DecodeWebhook decodes a webhook body. Heartland sends no event envelope,
// so when event is empty (not routed by URL) it is inferred from the shape:
// a "type" of Ticket/Return/Invoice is a transaction, first_name or email
// without a description is a customer, anything with public_id and
// description is an item (reported as item_updated).
func DecodeWebhook(event string, body []byte) (WebhookPayload, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil || probe == nil {
		return WebhookPayload{}, fmt.Errorf("%w: not a JSON object", ErrUnknownPayload)
	}
	if event == "" {
		event = inferEvent(probe)
	}
	p := WebhookPayload{Event: event}
	var err error
	switch event {
	case EventItemCreated, EventItemUpdated:
		p.Item = new(Item)
		err = json.Unmarshal(body, p.Item)
	case EventCustomerCreated, "customer_updated":
		p.Customer = new(Customer)
		err = json.Unmarshal(body, p.Customer)
	case EventSalesTransactionCompleted:
		p.Transaction = new(Transaction)
		err = json.Unmarshal(body, p.Transaction)
	default:
		return p, fmt.Errorf("%w: event %q", ErrUnknownPayload, truncate(event, 40))
	}
	return p, err
}

func inferEvent(m map[string]json.RawMessage) string {
	if t, ok := m["type"]; ok {
		switch string(bytes.Trim(t, `"`)) {
		case "Ticket", "Return", "Invoice":
			return EventSalesTransactionCompleted
		}
	}
	_, hasDesc := m["description"]
	_, hasFirst := m["first_name"]
	_, hasEmail := m["email"]
	if (hasFirst || hasEmail) && !hasDesc {
		return EventCustomerCreated
	}
	if _, ok := m["public_id"]; ok && hasDesc {
		return EventItemUpdated
	}
	return ""
}
