package bigcommerce_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/apierror"
	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// A write that its caller's write margin leaves no time for is not sent;
// a read under the same context is.
func TestClientSendsNoWriteTheMarginLeavesNoTimeFor(t *testing.T) {
	_, c := newFake(t)
	short, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	short = apierror.WithWriteMargin(short, 2*time.Second)

	_, err := c.CreateProduct(short, bc.ProductCreate{Name: "Late", Type: "physical", SKU: "LATE"})
	if !errors.Is(err, apierror.ErrNoTimeToWrite) {
		t.Fatalf("CreateProduct with 1 s left under a 2 s margin: err = %v, want ErrNoTimeToWrite", err)
	}
	products, err := c.ListProducts(short, bc.ProductFilter{SKU: "LATE"})
	if err != nil {
		t.Fatalf("a read under the same margin: %v", err)
	}
	if len(products) != 0 {
		t.Fatalf("the refused write reached the store: %d products with SKU LATE", len(products))
	}
	if _, err := c.CreateProduct(ctx(t), bc.ProductCreate{Name: "On time", Type: "physical", SKU: "ONTIME"}); err != nil {
		t.Fatalf("a write without a margin: %v", err)
	}
}
