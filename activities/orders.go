package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"

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

// ReadOrder reads an order, its lines and its shipping address.
func (a *Orders) ReadOrder(ctx context.Context, req OrderRequest) (OrderSnapshot, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return OrderSnapshot{}, err
	}
	what := fmt.Sprintf("read BigCommerce order %d", req.OrderID)
	o, err := cl.BigCommerce.GetOrder(ctx, req.OrderID)
	if err != nil {
		return OrderSnapshot{}, bigCommerceError(what, err)
	}
	products, err := cl.BigCommerce.ListOrderProducts(ctx, req.OrderID)
	if err != nil {
		return OrderSnapshot{}, bigCommerceError(what+" products", err)
	}
	addrs, err := cl.BigCommerce.ListShippingAddresses(ctx, req.OrderID)
	if err != nil {
		return OrderSnapshot{}, bigCommerceError(what+" shipping addresses", err)
	}
	shipments, err := cl.BigCommerce.ListShipments(ctx, req.OrderID)
	if err != nil {
		return OrderSnapshot{}, bigCommerceError(what+" shipments", err)
	}
	b := o.BillingAddress
	snap := OrderSnapshot{
		OrderID:        o.ID,
		StatusID:       o.StatusID,
		Status:         o.Status,
		PaymentStatus:  o.PaymentStatus,
		Email:          strings.TrimSpace(b.Email),
		ShippingCharge: o.ShippingCostIncTax.StringFixed(2),
		Total:          o.TotalIncTax.StringFixed(2),
		Billing: OrderAddress{FirstName: b.FirstName, LastName: b.LastName, Company: b.Company,
			Line1: b.Street1, Line2: b.Street2, City: b.City, State: b.State, PostalCode: b.Zip,
			Country: b.Country, Phone: b.Phone, Email: b.Email},
		ShipmentCount: len(shipments),
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

// ResolveOrderItems finds the Heartland item of every SKU (Item # = SKU).
func (a *Orders) ResolveOrderItems(ctx context.Context, req ResolveItemsRequest) (ResolveItemsResult, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return ResolveItemsResult{}, err
	}
	items, err := cl.Heartland.ItemsByPublicIDs(ctx, req.SKUs)
	if err != nil {
		return ResolveItemsResult{}, heartlandError("look up Heartland items by SKU", err)
	}
	byPublicID := make(map[string]int64, len(items))
	for _, it := range items {
		byPublicID[it.PublicID] = it.ID
	}
	var res ResolveItemsResult
	for _, sku := range req.SKUs {
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
	locs, err := cl.Heartland.ListLocations(ctx)
	if err != nil {
		return nil, heartlandError("list Heartland locations", err)
	}
	out := make([]Location, 0, len(locs))
	for _, l := range locs {
		out = append(out, Location{ID: l.ID, Name: l.Name})
	}
	return out, nil
}

// FindSalesOrder looks the Heartland order up by its public_id, the durable
// marker that keeps an order from being imported twice.
func (a *Orders) FindSalesOrder(ctx context.Context, req FindSalesOrderRequest) (FindSalesOrderResult, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return FindSalesOrderResult{}, err
	}
	o, err := cl.Heartland.FindSalesOrderByPublicID(ctx, req.PublicID)
	if errors.Is(err, heartland.ErrNotFound) {
		return FindSalesOrderResult{}, nil
	}
	if err != nil {
		return FindSalesOrderResult{}, heartlandError("find Heartland order "+req.PublicID, err)
	}
	return FindSalesOrderResult{Found: true, ID: o.ID, Status: o.Status}, nil
}
