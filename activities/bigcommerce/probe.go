package bigcommerce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// probe is a request that changes nothing in a store and needs one scope:
// reads of an empty page, writes of an empty batch or to an order that
// cannot exist (BigCommerce numbers orders from 100). Transactions are
// probed by a read: their only writes (payment actions) also take the
// orders scope, so a read is what tells the transactions scope apart.
type probe struct {
	method, path string
	query        url.Values
	body         any
}

var scopeProbes = map[Scope]probe{
	ScopeProducts:      {http.MethodPut, productsPath, nil, []ProductUpdate{}},
	ScopeInventory:     {http.MethodPost, "/v3/inventory/adjustments/absolute", nil, map[string]any{"reason": "hrbc scope check", "items": []AdjustmentItem{}}},
	ScopeLocationsRead: {http.MethodGet, "/v3/inventory/locations", url.Values{"limit": {"1"}}, nil},
	ScopeOrders:        {http.MethodPut, "/v2/orders/0", nil, map[string]any{}},
	ScopeTransactions:  {http.MethodGet, "/v3/orders/0/transactions", nil, nil},
}

// ProbeScope asks the store whether the token carries scope: it sends one
// request that changes nothing and that only that scope (or, for reads,
// its read-only twin) allows. It returns nil when the store did not refuse
// the request for a scope (any answer but 401 and 403, a 404 or 422 of the
// empty request included), an error matching ErrForbidden when it did, and
// any other error (ErrUnauthorized for a bad token, a transport failure)
// as it came. A store that checked an order's existence before the scope
// would let ScopeOrders pass unproven; stores check scopes first.
func (c *Client) ProbeScope(ctx context.Context, scope Scope) error {
	p, ok := scopeProbes[scope]
	if !ok {
		return fmt.Errorf("bigcommerce: no probe for scope %s", scope)
	}
	_, err := c.do(ctx, p.method, p.path, p.query, p.body)
	if err == nil {
		return nil
	}
	api, ok := AsAPIError(err)
	if !ok {
		return err
	}
	switch api.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return err
	case http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusBadRequest, http.StatusConflict:
		return nil
	}
	return err
}
