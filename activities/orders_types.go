package activities

// Payloads of the order activities. They are small on purpose: IDs,
// quantities and money as decimal strings, so a workflow history holds an
// order's shape and never a catalog.

// OrderRequest names one BigCommerce order of a connection.
type OrderRequest struct {
	ConnectionID string `json:"connection_id"`
	OrderID      int    `json:"order_id"`
}

// ConnectionRequest names a connection.
type ConnectionRequest struct {
	ConnectionID string `json:"connection_id"`
}

// OrderAddress is a postal address with the person it belongs to.
type OrderAddress struct {
	FirstName  string `json:"first_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`
	Company    string `json:"company,omitempty"`
	Line1      string `json:"line_1,omitempty"`
	Line2      string `json:"line_2,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Email      string `json:"email,omitempty"`
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

// ResolveItemsRequest asks for the Heartland items whose Item # equals SKUs.
type ResolveItemsRequest struct {
	ConnectionID string   `json:"connection_id"`
	SKUs         []string `json:"skus"`
}

// ResolvedItem pairs a SKU with its Heartland item.
type ResolvedItem struct {
	SKU    string `json:"sku"`
	ItemID int64  `json:"item_id"`
}

// ResolveItemsResult lists what was found, in the order asked, and the SKUs
// that have no Heartland item.
type ResolveItemsResult struct {
	Items   []ResolvedItem `json:"items"`
	Missing []string       `json:"missing,omitempty"`
}

// Location is a Heartland location.
type Location struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// EnsureCustomerRequest finds or creates a Heartland customer by email with
// the order's addresses.
type EnsureCustomerRequest struct {
	ConnectionID string       `json:"connection_id"`
	Email        string       `json:"email"`
	Billing      OrderAddress `json:"billing"`
	Shipping     OrderAddress `json:"shipping"`
}

// CustomerRef is a Heartland customer and the address ids of one order.
type CustomerRef struct {
	CustomerID        int64 `json:"customer_id"`
	BillingAddressID  int64 `json:"billing_address_id"`
	ShippingAddressID int64 `json:"shipping_address_id"`
}

// SalesLine is a line to put on the Heartland sales order.
type SalesLine struct {
	OrderProductID int    `json:"order_product_id"`
	ItemID         int64  `json:"item_id"`
	Quantity       int    `json:"quantity"`
	UnitPrice      string `json:"unit_price"`
}

// EnsureSalesOrderRequest finds the order by its public_id or creates it.
type EnsureSalesOrderRequest struct {
	ConnectionID     string      `json:"connection_id"`
	PublicID         string      `json:"public_id"`
	Customer         CustomerRef `json:"customer"`
	SourceLocationID int64       `json:"source_location_id"`
	ShippingCharge   string      `json:"shipping_charge"`
	Lines            []SalesLine `json:"lines"`
}

// SalesOrderLine is a Heartland order line and the BigCommerce line it carries.
type SalesOrderLine struct {
	LineID         int64 `json:"line_id"`
	OrderProductID int   `json:"order_product_id"`
	ItemID         int64 `json:"item_id"`
	Quantity       int   `json:"quantity"`
	// ShipFromLocationID is 0 while the line is undistributed.
	ShipFromLocationID int64 `json:"ship_from_location_id,omitempty"`
}

// SalesOrderRef is the Heartland sales order of a BigCommerce order.
type SalesOrderRef struct {
	ID     int64            `json:"id"`
	Status string           `json:"status"`
	Lines  []SalesOrderLine `json:"lines"`
	// Created is true when this call created the order.
	Created bool `json:"created"`
}

// ImportLine is a BigCommerce line to carry to Heartland by its SKU.
type ImportLine struct {
	OrderProductID int    `json:"order_product_id"`
	SKU            string `json:"sku"`
	Quantity       int    `json:"quantity"`
	UnitPrice      string `json:"unit_price"`
}

// ImportSalesOrderRequest is everything an import needs to know of the
// BigCommerce order, so that the activity asks BigCommerce nothing.
type ImportSalesOrderRequest struct {
	ConnectionID     string       `json:"connection_id"`
	PublicID         string       `json:"public_id"`
	SourceLocationID int64        `json:"source_location_id"`
	Email            string       `json:"email"`
	Billing          OrderAddress `json:"billing"`
	Shipping         OrderAddress `json:"shipping"`
	ShippingCharge   string       `json:"shipping_charge"`
	Lines            []ImportLine `json:"lines"`
}

// ImportSalesOrderResult is the Heartland order of an import, or why there
// is none yet.
type ImportSalesOrderResult struct {
	// Order is the sales order, its lines in BigCommerce's order; a closed
	// or canceled one (an earlier import, finished) comes without lines.
	Order SalesOrderRef `json:"order"`
	// Missing lists SKUs without a Heartland item; nothing was written.
	Missing []string `json:"missing,omitempty"`
	// Locations are the Heartland locations the order may ship from.
	Locations []Location `json:"locations,omitempty"`
}

// FindSalesOrderRequest looks an order up by its durable marker.
type FindSalesOrderRequest struct {
	ConnectionID string `json:"connection_id"`
	PublicID     string `json:"public_id"`
}

// FindSalesOrderResult reports whether the order exists, and its status.
type FindSalesOrderResult struct {
	Found  bool   `json:"found"`
	ID     int64  `json:"id,omitempty"`
	Status string `json:"status,omitempty"`
}

// LineLocation assigns a Heartland order line to a ship-from location.
type LineLocation struct {
	LineID     int64 `json:"line_id"`
	LocationID int64 `json:"location_id"`
}

// DistributeRequest sets ship-from locations of a sales order's lines.
type DistributeRequest struct {
	ConnectionID     string         `json:"connection_id"`
	HeartlandOrderID int64          `json:"heartland_order_id"`
	Lines            []LineLocation `json:"lines"`
}

// SalesOrderStatusRequest sets a Heartland sales order's status.
type SalesOrderStatusRequest struct {
	ConnectionID     string `json:"connection_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
	Status           string `json:"status"`
}

// InvoicesRequest lists the invoices of a Heartland sales order.
type InvoicesRequest struct {
	ConnectionID     string `json:"connection_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
}

// InvoicedLine is a quantity of one order line on an invoice.
type InvoicedLine struct {
	OrderLineID int64 `json:"order_line_id"`
	Quantity    int   `json:"quantity"`
}

// InvoiceSummary is one Heartland invoice of an order.
type InvoiceSummary struct {
	ID         int64          `json:"id"`
	LocationID int64          `json:"location_id"`
	Completed  bool           `json:"completed"`
	Total      string         `json:"total"`
	Lines      []InvoicedLine `json:"lines"`
}

// CaptureResult says what capturing found and did.
type CaptureResult struct {
	// Captured is true when this call captured the payment.
	Captured bool `json:"captured"`
	// PaymentStatus is the order's payment status after the call.
	PaymentStatus string `json:"payment_status"`
}

// ShipmentItem is a quantity of one BigCommerce order product.
type ShipmentItem struct {
	OrderProductID int `json:"order_product_id"`
	Quantity       int `json:"quantity"`
}

// ShipmentRequest records one Heartland invoice as one BigCommerce shipment.
type ShipmentRequest struct {
	ConnectionID   string         `json:"connection_id"`
	OrderID        int            `json:"order_id"`
	InvoiceID      int64          `json:"invoice_id"`
	OrderAddressID int            `json:"order_address_id"`
	Items          []ShipmentItem `json:"items"`
}

// ShipmentResult is the shipment of an invoice.
type ShipmentResult struct {
	ShipmentID int  `json:"shipment_id"`
	Created    bool `json:"created"`
}

// InvoicePaymentRequest records a "BigCommerce External" payment for an
// invoice's amount on the Heartland order.
type InvoicePaymentRequest struct {
	ConnectionID     string `json:"connection_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
	InvoiceID        int64  `json:"invoice_id"`
	Amount           string `json:"amount"`
}

// OrderStatusRequest sets a BigCommerce order's status.
type OrderStatusRequest struct {
	ConnectionID string `json:"connection_id"`
	OrderID      int    `json:"order_id"`
	StatusID     int    `json:"status_id"`
}

// OutsideFulfillmentRequest records BigCommerce's own shipments of an order
// as one closed invoice at a single Heartland location.
type OutsideFulfillmentRequest struct {
	ConnectionID     string `json:"connection_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
	LocationID       int64  `json:"location_id"`
	Amount           string `json:"amount"`
}

// ModifiedOrdersRequest lists orders modified since a watermark.
type ModifiedOrdersRequest struct {
	ConnectionID string `json:"connection_id"`
	// Since is an RFC 3339 timestamp; empty means the beginning.
	Since string `json:"since,omitempty"`
	// Limit caps how many orders one call returns.
	Limit int `json:"limit"`
}

// ModifiedOrder is one order the sweep found.
type ModifiedOrder struct {
	OrderID      int    `json:"order_id"`
	StatusID     int    `json:"status_id"`
	DateModified string `json:"date_modified"`
}

// ModifiedOrdersResult is a page of orders, oldest change first.
type ModifiedOrdersResult struct {
	Orders []ModifiedOrder `json:"orders"`
	// Watermark is the newest date_modified seen (RFC 3339), or the input's.
	Watermark string `json:"watermark"`
}
