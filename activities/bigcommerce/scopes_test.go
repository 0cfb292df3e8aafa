package bigcommerce_test

import (
	"errors"
	"strings"
	"testing"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// A token created without a scope gets 403 on that scope's routes, and the
// error says which scope to grant; the routes it does cover still work.
func TestMissingScopeIsForbiddenAndNamed(t *testing.T) {
	srv, c := newFake(t, bigcommercetest.WithScopes(bc.ScopeProductsReadOnly, bc.ScopeOrders))
	p := srv.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG", Stock: map[int]int{0: 3}})
	if _, err := c.ListProducts(ctx(t), bc.ProductFilter{}); err != nil {
		t.Fatalf("a read with the read-only scope: %v", err)
	}
	name := "Big mug"
	_, err := c.UpdateProducts(ctx(t), []bc.ProductUpdate{{ID: p.ID, Name: &name}})
	var apiErr *bc.APIError
	if !errors.Is(err, bc.ErrForbidden) || !errors.As(err, &apiErr) || apiErr.Status != 403 || bc.IsRetryable(err) {
		t.Fatalf("a write with the read-only scope: %v, want a permanent 403", err)
	}
	if !strings.Contains(err.Error(), "store_v2_products") {
		t.Errorf("%q does not name the scope to grant", err)
	}
	_, err = c.ListInventoryItems(ctx(t), bc.InventoryFilter{})
	if !errors.Is(err, bc.ErrForbidden) || !strings.Contains(err.Error(), "store_inventory or store_inventory_read_only") {
		t.Errorf("inventory without its scope: %v", err)
	}
	if _, err := c.ListHooks(ctx(t)); err != nil {
		t.Errorf("webhooks need no scope: %v", err)
	}
}

// Every call hrbc makes is covered by the scope table, so a 403 always
// names a scope and the preflight can say what a token lacks.
func TestEveryRouteHasItsScope(t *testing.T) {
	for _, route := range []struct{ method, path string }{
		{"GET", "/v3/catalog/products"}, {"PUT", "/v3/catalog/variants"}, {"POST", "/v3/catalog/products/1/custom-fields"},
		{"GET", "/v3/inventory/items"}, {"PUT", "/v3/inventory/adjustments/absolute"}, {"GET", "/v3/inventory/locations"},
		{"GET", "/v2/orders"}, {"PUT", "/v2/orders/1"}, {"POST", "/v2/orders/1/shipments"}, {"GET", "/v2/order_statuses"},
		{"GET", "/v3/orders/1/transactions"}, {"POST", "/v3/orders/1/payment_actions/capture"}, {"GET", "/v3/hooks"},
	} {
		if _, ok := bc.RequiredScopes(route.method, route.path); !ok {
			t.Errorf("%s %s has no scope in the table", route.method, route.path)
		}
	}
	if got, _ := bc.RequiredScopes("POST", "/v3/orders/1/payment_actions/capture"); len(got) != 2 {
		t.Errorf("capture takes either modify scope, got %v", got)
	}
}
