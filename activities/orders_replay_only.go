package activities

// The activities in this file are replay-only: Order workflows started
// before the "order-lean-import" version (workflows/order.go,
// leanImportChange) import with five activities, and their histories name
// them; runs under the version call ImportSalesOrder instead. They must
// stay registered, with these names, as long as any such run may still be
// replayed. They can go when no Order workflow started before the
// lean-import version is still running (none open in Temporal with
// HrbcStage before "closed" and a start time before that release) and the
// pre-lean histories (worker/testdata/histories/pre-lean-*.json) are
// retired together with the workflow's non-lean branch.

import (
	"context"
)

// ResolveOrderItems finds the Heartland item of every SKU (Item # = SKU).
func (a *Orders) ResolveOrderItems(ctx context.Context, req ResolveItemsRequest) (ResolveItemsResult, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (ResolveItemsResult, error) {
		return resolveItems(ctx, cl.Heartland, req.SKUs)
	})
}

// ListShipFromLocations lists the Heartland locations orders may ship from.
func (a *Orders) ListShipFromLocations(ctx context.Context, req ConnectionRequest) ([]Location, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) ([]Location, error) {
		return a.shipFromLocations(ctx, req.ConnectionID, cl.Heartland)
	})
}

// ResolveItemsRequest asks for the Heartland items whose Item # equals SKUs.
type ResolveItemsRequest struct {
	ConnectionID string   `json:"connection_id"`
	SKUs         []string `json:"skus"`
}

// EnsureCustomerRequest finds or creates a Heartland customer by email with
// the order's addresses.
type EnsureCustomerRequest struct {
	ConnectionID string       `json:"connection_id"`
	Email        string       `json:"email"`
	Billing      OrderAddress `json:"billing"`
	Shipping     OrderAddress `json:"shipping"`
}

// EnsureCustomer finds the customer by email, or creates it, and finds or
// creates the billing and shipping addresses, so a rerun adds nothing.
func (a *Orders) EnsureCustomer(ctx context.Context, req EnsureCustomerRequest) (CustomerRef, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (CustomerRef, error) {
		return ensureCustomer(ctx, cl.Heartland, req.Email, req.Billing, req.Shipping)
	})
}

// EnsureSalesOrder finds the sales order by its public_id or creates it,
// adds the lines it still lacks and opens it so that it commits stock.
func (a *Orders) EnsureSalesOrder(ctx context.Context, req EnsureSalesOrderRequest) (SalesOrderRef, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (SalesOrderRef, error) {
		existing, err := findSalesOrder(ctx, cl.Heartland, req.PublicID)
		if err != nil {
			return SalesOrderRef{}, err
		}
		return a.ensureSalesOrder(ctx, cl.Heartland, existing, req, nil)
	})
}
