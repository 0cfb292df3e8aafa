package workflows

import (
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
)

// Message names of the Order workflow.
const (
	// OrderBigCommerceChangedSignal says the BigCommerce order changed
	// (webhook or sweep); the workflow re-reads it.
	OrderBigCommerceChangedSignal = "bcOrderChanged"
	// OrderHeartlandChangedSignal says something changed in Heartland (an
	// invoice, most likely); the workflow looks for new invoices at once.
	OrderHeartlandChangedSignal = "heartlandChanged"
	// OrderDistributeUpdate assigns ship-from locations.
	OrderDistributeUpdate = "distribute"
	// OrderRetryUpdate resumes an order that needs attention, after the
	// cause was fixed.
	OrderRetryUpdate = "retry"
	// OrderStatusQuery returns the OrderStatus.
	OrderStatusQuery = "status"
	// OrderDistributeSignal is the distribute command sent as a signal (the
	// Temporal UI's "Send a Signal", `temporal workflow signal`), with the
	// update's payload. A signal cannot be refused at the door: a bad one is
	// refused when handled and shown as OrderState.LastRejected.
	OrderDistributeSignal = "distribute"
	// OrderRetrySignal is the retry command sent as a signal; no payload.
	OrderRetrySignal = "retry"
	// OrderResolveUpdate records that a person settled an order in
	// attention by hand (ResolveOrderRequest); the order ends resolved.
	OrderResolveUpdate = "resolve"
	// OrderResolveSignal is the resolve command sent as a signal, with the
	// update's payload.
	OrderResolveSignal = "resolve"
	// OrderSettingsSignal carries the connection's new Settings (from the
	// sweep); an order takes only AutoDistributeLocationID from them, and a
	// waiting order turned auto-distributed is distributed at once.
	OrderSettingsSignal = "settings"
)

// Stages of an order, also in the HrbcStage search attribute.
const (
	// OrderStageImporting: reading the order and creating it in Heartland.
	OrderStageImporting = "importing"
	// OrderStageWaitingStatus: the BigCommerce status is not one hrbc syncs
	// yet; the order waits for its next change.
	OrderStageWaitingStatus = "waiting_status"
	// OrderStageAttention: a person must fix something, then retry.
	OrderStageAttention = "attention"
	// OrderStageAwaitingDistribution: waiting for an admin's distribute.
	OrderStageAwaitingDistribution = "awaiting_distribution"
	// OrderStageFulfilling: distributed; invoices become shipments.
	OrderStageFulfilling = "fulfilling"
	// OrderStageClosed: fully shipped, captured and closed.
	OrderStageClosed = "closed"
	// OrderStageCancelled: cancelled in BigCommerce before fulfillment.
	OrderStageCancelled = "cancelled"
	// OrderStageResolved: a person settled the order by hand (the resolve
	// command); hrbc does nothing more for it.
	OrderStageResolved = "resolved"
	// OrderStageNotInStore: BigCommerce has no such order (a webhook or a
	// command named an order never placed, or since deleted); nothing was
	// written anywhere.
	OrderStageNotInStore = "not_in_store"
)

// Application error types of rejected order updates.
const (
	// ErrTypeNotAwaitingDistribution rejects a distribute outside that stage.
	ErrTypeNotAwaitingDistribution = "NotAwaitingDistribution"
	// ErrTypeUnknownLocation rejects a location Heartland does not have.
	ErrTypeUnknownLocation = "UnknownLocation"
	// ErrTypeUnknownLine rejects a line the order does not have.
	ErrTypeUnknownLine = "UnknownLine"
	// ErrTypeNothingToRetry rejects a retry of an order that needs nothing.
	ErrTypeNothingToRetry = "NothingToRetry"
	// ErrTypeBadCommand rejects a command signal whose payload does not
	// decode as the command's request.
	ErrTypeBadCommand = "BadCommand"
)

// OrderChange is the optional payload of OrderBigCommerceChangedSignal:
// what the sender saw of the order. The sweep fills it from its listing;
// a webhook knows nothing and sends none. An order that has already read
// this state, or a newer one, is not woken by it.
type OrderChange struct {
	// DateModified is the order's date_modified as RFC 3339 (UTC, seconds).
	DateModified string `json:"date_modified,omitempty"`
	// StatusID is the order's status when the sender saw it.
	StatusID int `json:"status_id,omitempty"`
}

// HeartlandChange is the optional payload of OrderHeartlandChangedSignal:
// what the HeartlandSweep saw of the order. With it a fulfilling order
// skips the reads that would tell it nothing new; without it (the webhook
// intake, an operator) the order reads everything.
type HeartlandChange struct {
	// Status is the Heartland order's status.
	Status string `json:"status,omitempty"`
	// InvoiceIDs are the order's invoices that changed.
	InvoiceIDs []int64 `json:"invoice_ids,omitempty"`
}

// HeartlandOrderPublicID is the durable marker of an imported order: the
// Heartland sales order's public_id, looked up before any create.
func HeartlandOrderPublicID(orderID int) string { return fmt.Sprintf("BC-%d", orderID) }

// OrderOptions tune an Order workflow; zero values take the defaults.
type OrderOptions struct {
	// InvoicePollInterval is the first wait between looks for new invoices
	// when no webhook says so; it doubles while nothing happens.
	InvoicePollInterval time.Duration `json:"invoice_poll_interval,omitempty"`
	// MaxInvoicePollInterval caps that doubling.
	MaxInvoicePollInterval time.Duration `json:"max_invoice_poll_interval,omitempty"`
	// MaxStatusWait is how long an order in a status hrbc does not sync
	// (an incomplete checkout, say) waits for a change before its workflow
	// ends; nothing was created for it.
	MaxStatusWait time.Duration `json:"max_status_wait,omitempty"`
	// HeartlandBackstop is how long an order waits for word from the
	// HeartlandSweep before it reads Heartland anyway (runs under
	// heartlandScreensChange; they do not poll otherwise).
	HeartlandBackstop time.Duration `json:"heartland_backstop,omitempty"`
	// FinishedWatch is how long a closed or cancelled order keeps watching
	// the store (runs under orderRescueChange): a cancellation or refund
	// after shipment is flagged, and late webhooks reach this run instead of
	// starting another. After it the order's workflow ends.
	FinishedWatch time.Duration `json:"finished_watch,omitempty"`
}

func (o OrderOptions) withDefaults() OrderOptions {
	if o.InvoicePollInterval <= 0 {
		o.InvoicePollInterval = 30 * time.Second
	}
	if o.MaxInvoicePollInterval < o.InvoicePollInterval {
		o.MaxInvoicePollInterval = 15 * time.Minute
	}
	if o.MaxStatusWait <= 0 {
		o.MaxStatusWait = 30 * 24 * time.Hour
	}
	if o.HeartlandBackstop <= 0 {
		o.HeartlandBackstop = DefaultHeartlandBackstop
	}
	if o.FinishedWatch <= 0 {
		o.FinishedWatch = DefaultFinishedWatch
	}
	return o
}

// OrderInput starts an Order workflow.
type OrderInput struct {
	ConnectionID string `json:"connection_id"`
	OrderID      int    `json:"order_id"`
	// Settings are the connection's settings when the order arrived.
	Settings Settings     `json:"settings"`
	Options  OrderOptions `json:"options,omitzero"`
	// Resume carries the state into a continued run; nil on first start.
	Resume *OrderState `json:"resume,omitempty"`
	// Published says the start set the search attributes a new run would
	// write first (StartAttributes), so the run need not (orderQuietChange).
	Published bool `json:"published,omitempty"`
}

// StartAttributes are the search attributes an order's workflow is started
// with: what it would publish first, its connection, the importing stage
// and its BigCommerce order id (OrderInput.Published).
func StartAttributes(connectionID string, orderID int) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(
		ConnectionAttr.ValueSet(connectionID),
		StageAttr.ValueSet(OrderStageImporting),
		BigCommerceOrderIDAttr.ValueSet(strconv.Itoa(orderID)),
	)
}

// DefaultFinishedWatch is how long a finished order watches the store for
// a cancellation or refund after shipment: BigCommerce's usual return
// window.
const DefaultFinishedWatch = 30 * 24 * time.Hour

// ResolveOrderRequest is the argument of the resolve command.
type ResolveOrderRequest struct {
	// Note says what the person did, for whoever looks next.
	Note string `json:"note,omitempty"`
}

// Resolution records a resolve command.
type Resolution struct {
	// Note is the person's note.
	Note string `json:"note,omitempty"`
	// Attention is the reason the order showed when it was resolved.
	Attention string `json:"attention"`
	// At is the workflow time of the resolve.
	At time.Time `json:"at"`
}

// LineAssignment sends one Heartland order line to a location.
type LineAssignment struct {
	LineID     int64 `json:"line_id"`
	LocationID int64 `json:"location_id"`
}

// DistributeOrderRequest is the argument of the distribute update: every
// line not named in Lines ships from LocationID (0: leave it).
type DistributeOrderRequest struct {
	LocationID int64            `json:"location_id,omitempty"`
	Lines      []LineAssignment `json:"lines,omitempty"`
}

// OrderLineState is one line of an order as the workflow knows it.
type OrderLineState struct {
	// LineID is the Heartland order line; 0 before import.
	LineID         int64  `json:"line_id,omitempty"`
	OrderProductID int    `json:"order_product_id"`
	SKU            string `json:"sku"`
	Name           string `json:"name"`
	Quantity       int    `json:"quantity"`
	ItemID         int64  `json:"item_id,omitempty"`
	UnitPrice      string `json:"unit_price"`
	// LocationID is the ship-from location; 0 while undistributed.
	LocationID int64 `json:"location_id,omitempty"`
	// Shipped is how much of the line hrbc has recorded as shipped.
	Shipped int `json:"shipped"`
}

// InvoiceState is one Heartland invoice the workflow has carried over.
type InvoiceState struct {
	InvoiceID  int64  `json:"invoice_id"`
	LocationID int64  `json:"location_id"`
	Total      string `json:"total"`
	ShipmentID int    `json:"shipment_id"`
	Paid       bool   `json:"paid"`
}

// OrderState is everything an Order workflow knows; the status query
// returns it and continue-as-new carries it.
type OrderState struct {
	ConnectionID string `json:"connection_id"`
	OrderID      int    `json:"order_id"`
	Stage        string `json:"stage"`
	// Attention is why a person is needed, empty when fine.
	Attention        string `json:"attention,omitempty"`
	HeartlandOrderID int64  `json:"heartland_order_id,omitempty"`
	// HeartlandStatus is the Heartland order's status at the last read
	// (runs under heartlandScreensChange), empty before it.
	HeartlandStatus   string `json:"heartland_status,omitempty"`
	BigCommerceStatus int    `json:"bigcommerce_status"`
	PaymentStatus     string `json:"payment_status,omitempty"`
	// DateModified is the BigCommerce order's date_modified at the last
	// read (RFC 3339, UTC), empty before the first.
	DateModified   string           `json:"date_modified,omitempty"`
	Captured       bool             `json:"captured"`
	Total          string           `json:"total,omitempty"`
	ShippingCharge string           `json:"shipping_charge,omitempty"`
	OrderAddressID int              `json:"order_address_id,omitempty"`
	Lines          []OrderLineState `json:"lines,omitempty"`
	Invoices       []InvoiceState   `json:"invoices,omitempty"`
	Locations      []LocationRef    `json:"locations,omitempty"`
	// LastRejected is the last command sent as a signal that the order
	// refused, with why; nil when none was.
	LastRejected *RejectedCommand `json:"last_rejected,omitempty"`
	// Resolution is set once a person resolved the order by hand.
	Resolution *Resolution `json:"resolution,omitempty"`
	// RetriesAsked counts the retries the order accepted; RetriesAnswered
	// is RetriesAsked as of the last time the order settled (waits for
	// something: a person, a change, an invoice). A caller that retried
	// knows the outcome once RetriesAnswered reaches its retry.
	RetriesAsked    int `json:"retries_asked,omitempty"`
	RetriesAnswered int `json:"retries_answered,omitempty"`
}

// RejectedCommand is an admin command the order received as a signal and
// refused. An update is refused to its sender instead and is not kept.
type RejectedCommand struct {
	// Command is the signal's name: distribute or retry.
	Command string `json:"command"`
	// Reason is what the update would have answered.
	Reason string `json:"reason"`
	// At is the workflow time the command was refused.
	At time.Time `json:"at"`
}

// LocationRef is a Heartland location an order may ship from.
type LocationRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}
