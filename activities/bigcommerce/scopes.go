package bigcommerce

import (
	"net/http"
	"strings"
)

// Scope is an OAuth scope a store's API token carries. Every route needs
// one; a token without it gets 403. The modify scope of an area also
// grants its reads.
type Scope string

// The scopes hrbc's calls need (BigCommerce's API-account documentation
// and the security section of each OpenAPI file).
const (
	ScopeProducts         Scope = "store_v2_products"
	ScopeProductsReadOnly Scope = "store_v2_products_read_only"
	ScopeInventory        Scope = "store_inventory"
	ScopeInventoryRead    Scope = "store_inventory_read_only"
	ScopeLocations        Scope = "store_locations"
	ScopeLocationsRead    Scope = "store_locations_read_only"
	ScopeOrders           Scope = "store_v2_orders"
	ScopeOrdersReadOnly   Scope = "store_v2_orders_read_only"
	ScopeTransactions     Scope = "store_v2_transactions"
	ScopeTransactionsRead Scope = "store_v2_transactions_read_only"
)

// ScopesNeeded are the scopes hrbc needs on a token to do all it does:
// read and write products, inventory and orders, read locations, read
// transactions and capture payments.
var ScopesNeeded = []Scope{ScopeProducts, ScopeInventory, ScopeLocationsRead, ScopeOrders, ScopeTransactions}

// scopeArea is the pair of scopes that guards one family of routes.
type scopeArea struct {
	modify, read Scope
}

// RequiredScopes are the scopes of which a token needs one to make the
// call method path (path relative to the store base, "/v3/catalog/...").
// Webhooks (/v3/hooks) need none. The second result is false for a route
// the table does not know.
func RequiredScopes(method, path string) ([]Scope, bool) {
	area, ok := areaOf(path)
	if !ok {
		return nil, false
	}
	if area == (scopeArea{}) {
		return nil, true
	}
	if method == http.MethodGet || method == http.MethodHead {
		return []Scope{area.modify, area.read}, true
	}
	if area.modify == ScopeTransactions {
		// Payment actions take either modify scope.
		return []Scope{ScopeTransactions, ScopeOrders}, true
	}
	return []Scope{area.modify}, true
}

// areaOf finds the family of routes path belongs to.
func areaOf(path string) (scopeArea, bool) {
	switch {
	case strings.HasPrefix(path, "/v3/hooks"):
		return scopeArea{}, true
	case strings.HasPrefix(path, "/v3/catalog/"):
		return scopeArea{ScopeProducts, ScopeProductsReadOnly}, true
	case strings.HasPrefix(path, "/v3/inventory/locations"):
		return scopeArea{ScopeLocations, ScopeLocationsRead}, true
	case strings.HasPrefix(path, "/v3/inventory/"):
		return scopeArea{ScopeInventory, ScopeInventoryRead}, true
	case strings.HasPrefix(path, "/v3/orders/") && (strings.Contains(path, "/transactions") || strings.Contains(path, "/payment_actions")):
		return scopeArea{ScopeTransactions, ScopeTransactionsRead}, true
	case strings.HasPrefix(path, "/v2/orders"), strings.HasPrefix(path, "/v2/order_statuses"):
		return scopeArea{ScopeOrders, ScopeOrdersReadOnly}, true
	}
	return scopeArea{}, false
}

// missingScopeText says which scope a 403 on method path most likely
// lacks, for the operator who has to give the token that scope.
func missingScopeText(method, path string) string {
	scopes, ok := RequiredScopes(method, path)
	if !ok || len(scopes) == 0 {
		return ""
	}
	names := make([]string, len(scopes))
	for i, s := range scopes {
		names[i] = string(s)
	}
	return "the API token needs the scope " + strings.Join(names, " or ")
}
