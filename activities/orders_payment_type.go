package activities

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/hrbc/hrbc/activities/heartland"
)

// A Heartland payment carries a "type" (its class) besides the account's
// payment type id, and real code spells it three ways: CustomPayment (a
// 2026 checkout client, on orders), ExternalPayment (a 2019 script, on
// orders) and Payments::ExternalPayment (Heartland's own importer, on
// tickets). No source says which a given account takes, so hrbc learns it:
// a payment already on the order with hrbc's payment type shows the
// spelling in use; otherwise the client's configured one is sent and, if
// the account refuses the type, the others in turn. What worked is kept
// per connection.

// paymentClasses are the candidate spellings, likeliest for orders first.
var paymentClasses = []string{"CustomPayment", "ExternalPayment", "Payments::ExternalPayment", "Payments::CustomPayment"}

// learnedStrings keeps one learned string per connection, tied to the
// Heartland client that taught it. The zero value is ready to use.
type learnedStrings struct {
	mu      sync.Mutex
	entries map[string]learnedString
}

type learnedString struct {
	client *heartland.Client
	value  string
}

func (l *learnedStrings) get(connectionID string, hl *heartland.Client) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.entries[connectionID]; ok && e.client == hl {
		return e.value
	}
	return ""
}

func (l *learnedStrings) set(connectionID string, hl *heartland.Client, v string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries == nil {
		l.entries = map[string]learnedString{}
	}
	l.entries[connectionID] = learnedString{client: hl, value: v}
}

// addPayment records a payment in the account's payment class, learning
// it when needed; booked are the order's payments so far.
func (a *Orders) addPayment(ctx context.Context, connectionID string, hl *heartland.Client, orderID int64, booked []heartland.Payment, p heartland.PaymentFields) error {
	first := a.payClasses.get(connectionID, hl)
	if first == "" {
		for _, b := range booked {
			if b.PaymentTypeID == p.PaymentTypeID && b.Type != "" {
				first = b.Type
				break
			}
		}
	}
	if first == "" {
		first = hl.OrderPaymentType()
	}
	tries := []string{first}
	for _, c := range paymentClasses {
		if c != first {
			tries = append(tries, c)
		}
	}
	var err error
	for _, class := range tries {
		p.Type = class
		if _, err = hl.AddSalesOrderPayment(ctx, orderID, p); err == nil {
			a.payClasses.set(connectionID, hl, class)
			return nil
		}
		if !typeRefused(err) {
			return err
		}
	}
	return err
}

// typeRefused reports a validation answer about the payment's type field
// (not its payment_type_id).
func typeRefused(err error) bool {
	var e *heartland.APIError
	if !errors.As(err, &e) || !errors.Is(err, heartland.ErrValidation) {
		return false
	}
	if _, ok := e.Details["type"]; ok {
		return true
	}
	m := strings.ToLower(e.Message)
	return strings.HasPrefix(m, "type ") || strings.Contains(m, "payment class")
}
