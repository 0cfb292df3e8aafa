package bigcommerce_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// A batch variant update that fails answers 422 with batch_errors, and the
// error names every failed variant with its reason.
func TestUpdateVariantsNamesEveryFailedVariant(t *testing.T) {
	srv, c := newFake(t)
	p := srv.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{{SKU: "TEE-S"}, {SKU: "TEE-M"}}})
	vs, err := c.ListVariants(ctx(t), bc.VariantFilter{ProductIDs: []int{p.ID}})
	if err != nil || len(vs) != 2 {
		t.Fatalf("variants %v, %v", vs, err)
	}
	_, err = c.UpdateVariants(ctx(t), []bc.VariantUpdate{
		{ID: vs[0].ID, SKU: ptr("TEE-M")},
		{ID: 999999, Price: ptr(bc.NumberFromDecimal(d("5.00")))},
		{ID: vs[1].ID, Price: ptr(bc.NumberFromDecimal(d("9.00")))},
	})
	var apiErr *bc.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnprocessableEntity {
		t.Fatalf("err = %v, want a 422", err)
	}
	for _, want := range []string{"2 item(s) of the batch failed", "duplicate", "TEE-M", "Variant 999999 not found"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if got, _ := c.ListVariants(ctx(t), bc.VariantFilter{ProductIDs: []int{p.ID}}); got[1].Price != nil && got[1].Price.Equal(d("9.00")) {
		t.Errorf("the fake saved part of a failed batch: %+v", got[1])
	}
}
