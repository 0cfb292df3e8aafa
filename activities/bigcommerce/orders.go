package bigcommerce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Order status ids (v2). Merchants can rename statuses, so key on the id.
const (
	StatusIncomplete          = 0
	StatusPending             = 1
	StatusShipped             = 2
	StatusPartiallyShipped    = 3
	StatusRefunded            = 4
	StatusCancelled           = 5
	StatusDeclined            = 6
	StatusAwaitingPayment     = 7
	StatusAwaitingPickup      = 8
	StatusAwaitingShipment    = 9
	StatusCompleted           = 10
	StatusAwaitingFulfillment = 11
	StatusManualVerification  = 12
	StatusDisputed            = 13
	StatusPartiallyRefunded   = 14
)

// Payment statuses an order can report.
const (
	PaymentAuthorized        = "authorized"
	PaymentCaptured          = "captured"
	PaymentCapturePending    = "capture pending"
	PaymentPaid              = "paid"
	PaymentPartiallyRefunded = "partially refunded"
	PaymentRefunded          = "refunded"
	PaymentVoid              = "void"
	PaymentVoidPending       = "void pending"
	PaymentDeclined          = "declined"
)

// Order is a v2 order. Money fields are exact (Money); dates are RFC-2822.
// Products, shipping addresses and coupons are links, not arrays: read
// them with ListOrderProducts / ListShippingAddresses.
type Order struct {
	ID                    int     `json:"id"`
	CustomerID            FlexInt `json:"customer_id"`
	DateCreated           V2Time  `json:"date_created"`
	DateModified          V2Time  `json:"date_modified"`
	DateShipped           V2Time  `json:"date_shipped"`
	StatusID              int     `json:"status_id"`
	Status                string  `json:"status"`
	CustomStatus          string  `json:"custom_status"`
	SubtotalExTax         Money   `json:"subtotal_ex_tax"`
	SubtotalIncTax        Money   `json:"subtotal_inc_tax"`
	SubtotalTax           Money   `json:"subtotal_tax"`
	BaseShippingCost      Money   `json:"base_shipping_cost"`
	ShippingCostExTax     Money   `json:"shipping_cost_ex_tax"`
	ShippingCostIncTax    Money   `json:"shipping_cost_inc_tax"`
	ShippingCostTax       Money   `json:"shipping_cost_tax"`
	BaseHandlingCost      Money   `json:"base_handling_cost"`
	HandlingCostExTax     Money   `json:"handling_cost_ex_tax"`
	HandlingCostIncTax    Money   `json:"handling_cost_inc_tax"`
	BaseWrappingCost      Money   `json:"base_wrapping_cost"`
	WrappingCostExTax     Money   `json:"wrapping_cost_ex_tax"`
	WrappingCostIncTax    Money   `json:"wrapping_cost_inc_tax"`
	WrappingCostTax       Money   `json:"wrapping_cost_tax"`
	TotalExTax            Money   `json:"total_ex_tax"`
	TotalIncTax           Money   `json:"total_inc_tax"`
	TotalTax              Money   `json:"total_tax"`
	DiscountAmount        Money   `json:"discount_amount"`
	CouponDiscount        Money   `json:"coupon_discount"`
	StoreCreditAmount     Money   `json:"store_credit_amount"`
	GiftCertificateAmount Money   `json:"gift_certificate_amount"`
	// RefundedAmount is documented as unreliable; sum ListRefunds instead.
	RefundedAmount       Money          `json:"refunded_amount"`
	ItemsTotal           int            `json:"items_total"`
	ItemsShipped         int            `json:"items_shipped"`
	PaymentMethod        string         `json:"payment_method"`
	PaymentProviderID    FlexString     `json:"payment_provider_id"`
	PaymentStatus        string         `json:"payment_status"`
	CurrencyCode         string         `json:"currency_code"`
	CurrencyExchangeRate Money          `json:"currency_exchange_rate"`
	IsTaxInclusive       bool           `json:"is_tax_inclusive_pricing"`
	OrderIsDigital       bool           `json:"order_is_digital"`
	ShippingAddressCount int            `json:"shipping_address_count"`
	StaffNotes           string         `json:"staff_notes"`
	CustomerMessage      string         `json:"customer_message"`
	ChannelID            int            `json:"channel_id"`
	OrderSource          string         `json:"order_source"`
	ExternalSource       string         `json:"external_source"`
	ExternalOrderID      string         `json:"external_order_id"`
	IsDeleted            bool           `json:"is_deleted"`
	BillingAddress       BillingAddress `json:"billing_address"`
	Products             *Resource      `json:"products,omitempty"`
	ShippingAddresses    *Resource      `json:"shipping_addresses,omitempty"`
	Coupons              *Resource      `json:"coupons,omitempty"`
}

// Resource is a v2 sub-resource link.
type Resource struct {
	URL      string `json:"url"`
	Resource string `json:"resource"`
}

// BillingAddress is the order's billing address.
type BillingAddress struct {
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	Company     string `json:"company"`
	Street1     string `json:"street_1"`
	Street2     string `json:"street_2"`
	City        string `json:"city"`
	State       string `json:"state"`
	Zip         string `json:"zip"`
	Country     string `json:"country"`
	CountryISO2 string `json:"country_iso2"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
}

// OrderProduct is an order line item. ID is the order_product_id used by
// shipments and refunds.
type OrderProduct struct {
	ID                    int                  `json:"id"`
	OrderID               int                  `json:"order_id"`
	ProductID             int                  `json:"product_id"`
	VariantID             int                  `json:"variant_id"`
	OrderAddressID        int                  `json:"order_address_id"`
	Name                  string               `json:"name"`
	SKU                   string               `json:"sku"`
	Type                  string               `json:"type"`
	BasePrice             Money                `json:"base_price"`
	PriceExTax            Money                `json:"price_ex_tax"`
	PriceIncTax           Money                `json:"price_inc_tax"`
	PriceTax              Money                `json:"price_tax"`
	BaseTotal             Money                `json:"base_total"`
	TotalExTax            Money                `json:"total_ex_tax"`
	TotalIncTax           Money                `json:"total_inc_tax"`
	TotalTax              Money                `json:"total_tax"`
	DiscountedTotalIncTax Money                `json:"discounted_total_inc_tax"`
	Weight                Money                `json:"weight"` // number or string on the wire
	Quantity              int                  `json:"quantity"`
	QuantityShipped       int                  `json:"quantity_shipped"`
	QuantityRefunded      int                  `json:"quantity_refunded"`
	IsRefunded            bool                 `json:"is_refunded"`
	WrappingID            int                  `json:"wrapping_id"`
	WrappingName          string               `json:"wrapping_name"`
	WrappingMessage       string               `json:"wrapping_message"`
	BaseWrappingCost      Money                `json:"base_wrapping_cost"` // string or number
	WrappingCostExTax     Money                `json:"wrapping_cost_ex_tax"`
	WrappingCostIncTax    Money                `json:"wrapping_cost_inc_tax"`
	WrappingCostTax       Money                `json:"wrapping_cost_tax"`
	ParentOrderProductID  *int                 `json:"parent_order_product_id"`
	IsBundledProduct      bool                 `json:"is_bundled_product"`
	ProductOptions        []OrderProductOption `json:"product_options"`
}

// HasGiftWrapping reports whether the line carries gift wrapping.
func (p OrderProduct) HasGiftWrapping() bool {
	return p.WrappingID != 0 || p.WrappingName != "" || !p.BaseWrappingCost.IsZero()
}

// OrderProductOption is a variant choice or a modifier customisation on a line.
type OrderProductOption struct {
	ID              int    `json:"id"`
	OptionID        int    `json:"option_id"`
	OrderProductID  int    `json:"order_product_id"`
	ProductOptionID int    `json:"product_option_id"`
	DisplayName     string `json:"display_name"`
	DisplayValue    string `json:"display_value"`
	Value           string `json:"value"`
	Type            string `json:"type"`
	Name            string `json:"name"`
	DisplayStyle    string `json:"display_style"`
}

// ShippingAddress is an order's shipping address; ID is the order_address_id.
type ShippingAddress struct {
	ID             int    `json:"id"`
	OrderID        int    `json:"order_id"`
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	Company        string `json:"company"`
	Street1        string `json:"street_1"`
	Street2        string `json:"street_2"`
	City           string `json:"city"`
	State          string `json:"state"`
	Zip            string `json:"zip"`
	Country        string `json:"country"`
	CountryISO2    string `json:"country_iso2"`
	Email          string `json:"email"`
	Phone          string `json:"phone"`
	ItemsTotal     int    `json:"items_total"`
	ItemsShipped   int    `json:"items_shipped"`
	ShippingMethod string `json:"shipping_method"`
	BaseCost       Money  `json:"base_cost"`
	CostExTax      Money  `json:"cost_ex_tax"`
	CostIncTax     Money  `json:"cost_inc_tax"`
}

// OrderStatus is an entry of the status catalog.
type OrderStatus struct {
	ID                int    `json:"id"`
	Name              string `json:"name"`
	SystemLabel       string `json:"system_label"`
	CustomLabel       string `json:"custom_label"`
	SystemDescription string `json:"system_description"`
	Order             int    `json:"order"`
}

// OrderFilter selects orders. Results are sorted by date_modified ascending
// so a caller can keep a watermark.
type OrderFilter struct {
	MinDateModified time.Time // min_date_modified (sent as RFC-2822)
	StatusID        *int      // status_id (single value; the API has no OR)
	Limit           int       // page size, default and max 250
}

func (f OrderFilter) query() url.Values {
	q := url.Values{"sort": {"date_modified:asc"}}
	if !f.MinDateModified.IsZero() {
		q.Set("min_date_modified", FormatRFC2822(f.MinDateModified))
	}
	if f.StatusID != nil {
		q.Set("status_id", strconv.Itoa(*f.StatusID))
	}
	return q
}

const ordersPath = "/v2/orders"

// ListOrders walks orders matching f until a short page or a 204.
func (c *Client) ListOrders(ctx context.Context, f OrderFilter) ([]Order, error) {
	return c.WalkOrders(f, Cursor{}).All(ctx)
}

// WalkOrders reads orders matching f a page per Next, from the page after
// from; a short or empty page is the last.
func (c *Client) WalkOrders(f OrderFilter, from Cursor) *Walker[Order] {
	return newWalker[Order](c, ordersPath, f.query(), clampLimit(f.Limit, MaxPageLimit, MaxPageLimit), true, from)
}

// GetOrder reads one order.
func (c *Client) GetOrder(ctx context.Context, id int) (Order, error) {
	return v2Call[Order](ctx, c, http.MethodGet, fmt.Sprintf("%s/%d", ordersPath, id), nil)
}

// ListOrderProducts walks an order's line items (they default to 50 per page).
func (c *Client) ListOrderProducts(ctx context.Context, orderID int) ([]OrderProduct, error) {
	return v2Walk[OrderProduct](ctx, c, fmt.Sprintf("%s/%d/products", ordersPath, orderID), nil, MaxPageLimit)
}

// ListShippingAddresses returns an order's shipping addresses.
func (c *Client) ListShippingAddresses(ctx context.Context, orderID int) ([]ShippingAddress, error) {
	return v2Walk[ShippingAddress](ctx, c, fmt.Sprintf("%s/%d/shipping_addresses", ordersPath, orderID), nil, MaxPageLimit)
}

// UpdateOrderStatus sets status_id (only that field is sent: a PUT with
// line items would clear their discounts).
func (c *Client) UpdateOrderStatus(ctx context.Context, orderID, statusID int) (Order, error) {
	body := struct {
		StatusID int `json:"status_id"`
	}{statusID}
	return v2Call[Order](ctx, c, http.MethodPut, fmt.Sprintf("%s/%d", ordersPath, orderID), body)
}

// ListOrderStatuses returns the status catalog with merchant labels.
func (c *Client) ListOrderStatuses(ctx context.Context) ([]OrderStatus, error) {
	return v2Page[OrderStatus](ctx, c, "/v2/order_statuses", nil)
}
