package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// ExternalPaymentTypeName is the Heartland payment type that records money
// taken by BigCommerce.
const ExternalPaymentTypeName = "BigCommerce External"

// Orders are the activities of the Order workflow: each method is one
// conversation with BigCommerce or Heartland about one order.
type Orders struct {
	// Connections gives each connection's API clients.
	Connections *Connections
	// cache keeps what rarely changes (locations, the payment type) per
	// connection, so that each order does not ask again.
	cache orderCache
	// imports queues the imports of each connection (see importsPerConnection).
	imports importSlots
}

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
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return OrderSnapshot{}, err
	}
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
		return OrderSnapshot{}, bigCommerceError(what, oErr)
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
}

// ReadOrderStatus reads only the order itself, one call: after the import
// the workflow acts on nothing but the status, so a change signal need not
// cost the lines and the address again.
func (a *Orders) ReadOrderStatus(ctx context.Context, req OrderRequest) (OrderStatusSnapshot, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return OrderStatusSnapshot{}, err
	}
	o, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
	if err != nil {
		return OrderStatusSnapshot{}, bigCommerceError(fmt.Sprintf("read BigCommerce order %d", req.OrderID), err)
	}
	return OrderStatusSnapshot{OrderID: o.ID, StatusID: o.StatusID, Status: o.Status, PaymentStatus: o.PaymentStatus,
		DateModified: bcTimestamp(o.DateModified.Time)}, nil
}

// bcTimestamp is how order payloads carry BigCommerce's second-precision
// times: RFC 3339 in UTC, so that two of them compare as strings too.
func bcTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ResolveOrderItems finds the Heartland item of every SKU (Item # = SKU).
func (a *Orders) ResolveOrderItems(ctx context.Context, req ResolveItemsRequest) (ResolveItemsResult, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return ResolveItemsResult{}, err
	}
	return resolveItems(ctx, cl.Heartland, req.SKUs)
}

// resolveItems looks every SKU up in one call.
func resolveItems(ctx context.Context, hl *heartland.Client, skus []string) (ResolveItemsResult, error) {
	items, err := hl.ItemsByPublicIDs(ctx, skus)
	if err != nil {
		return ResolveItemsResult{}, heartlandError("look up Heartland items by SKU", err)
	}
	byPublicID := make(map[string]int64, len(items))
	for _, it := range items {
		byPublicID[it.PublicID] = it.ID
	}
	var res ResolveItemsResult
	for _, sku := range skus {
		if id, ok := byPublicID[sku]; ok {
			res.Items = append(res.Items, ResolvedItem{SKU: sku, ItemID: id})
		} else {
			res.Missing = append(res.Missing, sku)
		}
	}
	return res, nil
}

// ListShipFromLocations lists the Heartland locations orders may ship from.
func (a *Orders) ListShipFromLocations(ctx context.Context, req ConnectionRequest) ([]Location, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return nil, err
	}
	locs, err := a.locations(ctx, req.ConnectionID, cl.Heartland)
	if err != nil {
		return nil, err
	}
	return toLocations(locs), nil
}

// RefreshShipFromLocations lists the Heartland locations afresh, past the
// cache: an admin distributing to a location opened since the order was
// imported must find it.
func (a *Orders) RefreshShipFromLocations(ctx context.Context, req ConnectionRequest) ([]Location, error) {
	a.cache.locations.forget(req.ConnectionID)
	return a.ListShipFromLocations(ctx, req)
}

func toLocations(locs []heartland.Location) []Location {
	out := make([]Location, 0, len(locs))
	for _, l := range locs {
		out = append(out, Location{ID: l.ID, Name: l.Name})
	}
	return out
}

// FindSalesOrder looks the Heartland order up by its public_id, the durable
// marker that keeps an order from being imported twice.
func (a *Orders) FindSalesOrder(ctx context.Context, req FindSalesOrderRequest) (FindSalesOrderResult, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return FindSalesOrderResult{}, err
	}
	o, err := findSalesOrder(ctx, cl.Heartland, req.PublicID)
	if err != nil || o == nil {
		return FindSalesOrderResult{}, err
	}
	return FindSalesOrderResult{Found: true, ID: o.ID, Status: o.Status}, nil
}

// findSalesOrder returns the order with this public_id, or nil.
func findSalesOrder(ctx context.Context, hl *heartland.Client, publicID string) (*heartland.SalesOrder, error) {
	o, err := hl.FindSalesOrderByPublicID(ctx, publicID)
	if errors.Is(err, heartland.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, heartlandError("find Heartland order "+publicID, err)
	}
	return &o, nil
}
