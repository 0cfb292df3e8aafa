package activities

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// customizationTypes are BigCommerce option types that customise a line
// (engraving text, an uploaded file…) rather than pick a variant; Heartland
// items cannot carry them, so such lines are reported as unsupported.
var customizationTypes = []string{"text", "file", "date", "checkbox", "number"}

// customizationNames catch modifiers whose type looks harmless but whose
// purpose is personalisation.
var customizationNames = []string{"monogram", "engrav", "personali", "custom"}

// unsupportedReason says why a BigCommerce line cannot become a Heartland
// line, or "" when it can.
func unsupportedReason(p bigcommerce.OrderProduct) string {
	if p.HasGiftWrapping() {
		return "gift wrapping"
	}
	for _, o := range p.ProductOptions {
		typ, name := strings.ToLower(o.Type), strings.ToLower(o.DisplayName+" "+o.Name)
		for _, t := range customizationTypes {
			if strings.Contains(typ, t) {
				return fmt.Sprintf("customization %q (%s)", o.DisplayName, o.Type)
			}
		}
		for _, n := range customizationNames {
			if strings.Contains(name, n) {
				return fmt.Sprintf("customization %q (%s)", o.DisplayName, o.Type)
			}
		}
	}
	return ""
}

// ReadOrder reads an order, its lines and its shipping address: three
// calls, made at once since none needs another's answer.
func (a *Orders) ReadOrder(ctx context.Context, req OrderRequest) (OrderSnapshot, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (OrderSnapshot, error) {
		var (
			o                      bigcommerce.Order
			products               []bigcommerce.OrderProduct
			addrs                  []bigcommerce.ShippingAddress
			oErr, prodErr, addrErr error
			wg                     sync.WaitGroup
		)
		wg.Go(func() { o, oErr = cl.BigCommerce.GetOrder(ctx, req.OrderID) })
		wg.Go(func() { products, prodErr = cl.BigCommerce.ListOrderProducts(ctx, req.OrderID) })
		wg.Go(func() { addrs, addrErr = cl.BigCommerce.ListShippingAddresses(ctx, req.OrderID) })
		wg.Wait()
		what := fmt.Sprintf("read BigCommerce order %d", req.OrderID)
		switch {
		case oErr != nil:
			return OrderSnapshot{}, orderReadError(req.OrderID, what, oErr)
		case prodErr != nil:
			return OrderSnapshot{}, bigCommerceError(what+" products", prodErr)
		case addrErr != nil:
			return OrderSnapshot{}, bigCommerceError(what+" shipping addresses", addrErr)
		}
		b := o.BillingAddress
		snap := OrderSnapshot{
			OrderID:        o.ID,
			StatusID:       o.StatusID,
			Status:         o.Status,
			PaymentStatus:  o.PaymentStatus,
			DateModified:   bcTimestamp(o.DateModified.Time),
			Email:          strings.TrimSpace(b.Email),
			ShippingCharge: o.ShippingCostIncTax.StringFixed(2),
			Total:          o.TotalIncTax.StringFixed(2),
			Billing: OrderAddress{FirstName: b.FirstName, LastName: b.LastName, Company: b.Company,
				Line1: b.Street1, Line2: b.Street2, City: b.City, State: b.State, PostalCode: b.Zip,
				Country: b.Country, Phone: b.Phone, Email: b.Email},
		}
		if len(addrs) > 0 {
			s := addrs[0]
			snap.OrderAddressID = s.ID
			snap.Shipping = OrderAddress{FirstName: s.FirstName, LastName: s.LastName, Company: s.Company,
				Line1: s.Street1, Line2: s.Street2, City: s.City, State: s.State, PostalCode: s.Zip,
				Country: s.Country, Phone: s.Phone, Email: s.Email}
		}
		for _, p := range products {
			if p.ParentOrderProductID != nil {
				// Bundled children ship with their parent line.
				continue
			}
			unit := decimal.Zero
			if p.Quantity > 0 {
				unit = p.DiscountedTotalIncTax.Div(decimal.NewFromInt(int64(p.Quantity)))
			}
			snap.Lines = append(snap.Lines, OrderLine{
				OrderProductID:  p.ID,
				SKU:             strings.TrimSpace(p.SKU),
				Name:            p.Name,
				Quantity:        p.Quantity,
				QuantityShipped: p.QuantityShipped,
				UnitPrice:       unit.StringFixed(2),
				Unsupported:     unsupportedReason(p),
			})
		}
		return snap, nil
	})
}

// ReadOrderStatus reads only the order itself, one call: after the import
// the workflow acts on nothing but the status, so a change signal need not
// cost the lines and the address again.
func (a *Orders) ReadOrderStatus(ctx context.Context, req OrderRequest) (OrderStatusSnapshot, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (OrderStatusSnapshot, error) {
		o, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
		if err != nil {
			return OrderStatusSnapshot{}, orderReadError(req.OrderID, fmt.Sprintf("read BigCommerce order %d", req.OrderID), err)
		}
		return OrderStatusSnapshot{OrderID: o.ID, StatusID: o.StatusID, Status: o.Status, PaymentStatus: o.PaymentStatus,
			DateModified: bcTimestamp(o.DateModified.Time)}, nil
	})
}

// bcTimestamp is how order payloads carry BigCommerce's second-precision
// times: RFC 3339 in UTC, so that two of them compare as strings too.
func bcTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// OrderLine is one BigCommerce order product.
type OrderLine struct {
	// OrderProductID is BigCommerce's id of the line.
	OrderProductID int    `json:"order_product_id"`
	SKU            string `json:"sku"`
	Name           string `json:"name"`
	Quantity       int    `json:"quantity"`
	// QuantityShipped is what BigCommerce has shipped of the line so far.
	QuantityShipped int `json:"quantity_shipped"`
	// UnitPrice is the price per unit after line discounts, as a decimal string.
	UnitPrice string `json:"unit_price"`
	// Unsupported says why hrbc cannot carry the line to Heartland (gift
	// wrapping, a customization), empty when it can.
	Unsupported string `json:"unsupported,omitempty"`
}

// OrderSnapshot is what the Order workflow needs of a BigCommerce order.
type OrderSnapshot struct {
	OrderID       int    `json:"order_id"`
	StatusID      int    `json:"status_id"`
	Status        string `json:"status"`
	PaymentStatus string `json:"payment_status"`
	// DateModified is the order's date_modified (RFC 3339, UTC, seconds);
	// a change that is not newer than it was seen by this read.
	DateModified string `json:"date_modified,omitempty"`
	Email        string `json:"email"`
	// ShippingCharge and Total are decimal strings.
	ShippingCharge string       `json:"shipping_charge"`
	Total          string       `json:"total"`
	Billing        OrderAddress `json:"billing"`
	Shipping       OrderAddress `json:"shipping"`
	// OrderAddressID is the shipping address shipments go to.
	OrderAddressID int         `json:"order_address_id"`
	Lines          []OrderLine `json:"lines"`
}

// OrderStatusSnapshot is the order without its lines and addresses: what
// the workflow acts on once the order is imported.
type OrderStatusSnapshot struct {
	OrderID       int    `json:"order_id"`
	StatusID      int    `json:"status_id"`
	Status        string `json:"status"`
	PaymentStatus string `json:"payment_status"`
	// DateModified is as in OrderSnapshot.
	DateModified string `json:"date_modified,omitempty"`
}
