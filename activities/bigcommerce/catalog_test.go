package bigcommerce_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/apierror"
	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

func TestCreateAndGetProduct(t *testing.T) {
	srv, c := newFake(t)
	p, err := c.CreateProduct(ctx(t), bc.ProductCreate{
		Name: "Mug", Type: "physical", SKU: "MUG-1", Weight: bc.NewNumber("0.5"), Price: bc.NewNumber("12.99"),
		InventoryTracking: bc.TrackingProduct, InventoryLevel: ptr(7),
		CustomFields: []bc.CustomField{{Name: "hl_item", Value: "1001"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.SKU != "MUG-1" || !p.Price.Equal(d("12.99")) || p.BaseVariantID == nil {
		t.Fatalf("created product = %+v", p)
	}
	if lvl, _ := srv.StockLevel("MUG-1", 0); lvl != 7 {
		t.Fatalf("stock at default location = %d, want 7", lvl)
	}
	got := must(c.GetProduct(ctx(t), p.ID))
	if got.InventoryLevel != 7 || len(got.CustomFields) != 1 || len(got.Variants) != 1 || got.Variants[0].SKU != "MUG-1" {
		t.Fatalf("GetProduct = %+v", got)
	}
	if got.DateCreated.IsZero() {
		t.Fatal("date_created not decoded")
	}
}

func TestCreateProductErrors(t *testing.T) {
	srv, c := newFake(t)
	srv.AddProduct(bigcommercetest.ProductSeed{Name: "Taken", SKU: "TAKEN"})
	tests := []struct {
		name   string
		in     bc.ProductCreate
		target error
		field  string
	}{
		{"duplicate name", bc.ProductCreate{Name: "Taken", Type: "physical", SKU: "NEW-1"}, bc.ErrConflict, "name"},
		{"duplicate sku", bc.ProductCreate{Name: "Fresh", Type: "physical", SKU: "TAKEN"}, bc.ErrConflict, "sku"},
		{"missing name", bc.ProductCreate{Type: "physical", SKU: "NEW-2"}, bc.ErrValidation, "name"},
		{"bad type", bc.ProductCreate{Name: "X", Type: "service"}, bc.ErrValidation, "type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateProduct(ctx(t), tc.in)
			if !errors.Is(err, tc.target) {
				t.Fatalf("err = %v, want %v", err, tc.target)
			}
			ae, ok := bc.AsAPIError(err)
			if !ok || ae.Fields[tc.field] == "" {
				t.Fatalf("field %q message missing in %#v", tc.field, ae)
			}
			if !strings.Contains(err.Error(), "POST /v3/catalog/products") {
				t.Fatalf("message %q does not name method and path", err)
			}
		})
	}
	if n := len(must(c.ListProducts(ctx(t), bc.ProductFilter{}))); n != 1 {
		t.Fatalf("store has %d products after failed creates, want 1", n)
	}
}

func TestCreateProductPartialSuccess(t *testing.T) {
	srv, c := newFake(t)
	srv.InjectFault(bigcommercetest.Fault{Method: http.MethodPost, Path: "/v3/catalog/products", Kind: bigcommercetest.FaultPartial, Title: "Inventory level could not be saved"})
	p, err := c.CreateProduct(ctx(t), bc.ProductCreate{Name: "Half", Type: "physical", SKU: "HALF"})
	var pe *bc.APIError
	if !errors.As(err, &pe) || !errors.Is(err, bc.ErrPartialSuccess) {
		t.Fatalf("err = %v, want partial success", err)
	}
	if p.ID == 0 || p.SKU != "HALF" || len(pe.Data) == 0 || pe.Message != "Inventory level could not be saved" {
		t.Fatalf("saved product %+v, error %+v", p, pe)
	}
	if bc.IsRetryable(err) {
		t.Fatal("a 207 must not be retried blindly")
	}
	if _, err := c.GetProduct(ctx(t), p.ID); err != nil {
		t.Fatalf("saved part is not in the store: %v", err)
	}
}

func TestListProductsFiltersAndPaging(t *testing.T) {
	start := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	now := start
	srv, c := newFake(t, bigcommercetest.WithClock(func() time.Time { return now }))
	var ids []int
	for i := range 7 {
		now = start.Add(time.Duration(i) * time.Hour)
		p := srv.AddProduct(bigcommercetest.ProductSeed{Name: fmt.Sprintf("P%d", i), SKU: fmt.Sprintf("SKU-%d", i),
			Variants: []bigcommercetest.VariantSeed{{SKU: fmt.Sprintf("SKU-%d-A", i)}}})
		ids = append(ids, p.ID)
	}
	all := must(c.ListProducts(ctx(t), bc.ProductFilter{Limit: 3, IncludeVariants: true}))
	if len(all) != 7 || len(all[6].Variants) != 1 || all[6].Variants[0].SKU != "SKU-6-A" {
		t.Fatalf("walk returned %d products (%+v)", len(all), all)
	}
	tests := []struct {
		name string
		f    bc.ProductFilter
		want []int
	}{
		{"id:in", bc.ProductFilter{IDs: []int{ids[1], ids[4]}}, []int{ids[1], ids[4]}},
		{"base sku", bc.ProductFilter{SKU: "SKU-2"}, []int{ids[2]}},
		{"variant sku is not a product sku", bc.ProductFilter{SKU: "SKU-2-A"}, nil},
		{"date_modified:min", bc.ProductFilter{DateModifiedMin: start.Add(5 * time.Hour)}, []int{ids[5], ids[6]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := must(c.ListProducts(ctx(t), tc.f))
			var gotIDs []int
			for _, p := range got {
				gotIDs = append(gotIDs, p.ID)
			}
			if fmt.Sprint(gotIDs) != fmt.Sprint(tc.want) {
				t.Fatalf("ids = %v, want %v", gotIDs, tc.want)
			}
		})
	}
	w := c.WalkProducts(bc.ProductFilter{Limit: 5}, bc.Cursor{Page: 1})
	page, err := w.Next(ctx(t))
	pg := w.Pagination()
	if err != nil || len(page) != 2 || pg.TotalPages != 2 || pg.Total != 7 || pg.CurrentPage != 2 || !w.Done() {
		t.Fatalf("page 2 = %d items, %+v, %v", len(page), pg, err)
	}
}

func TestGetProductNotFound(t *testing.T) {
	_, c := newFake(t)
	_, err := c.GetProduct(ctx(t), 99999)
	var nf *bc.APIError
	if !errors.As(err, &nf) || nf.Kind != apierror.KindNotFound || nf.Status != 404 || !strings.Contains(err.Error(), "GET /v3/catalog/products/99999") {
		t.Fatalf("err = %v", err)
	}
}

func TestUpdateProductsChunks(t *testing.T) {
	srv, c := newFake(t)
	var updates []bc.ProductUpdate
	for i := range 23 {
		p := srv.AddProduct(bigcommercetest.ProductSeed{Name: fmt.Sprintf("U%d", i), SKU: fmt.Sprintf("U-%d", i)})
		updates = append(updates, bc.ProductUpdate{ID: p.ID, Price: ptr(bc.NewNumber(fmt.Sprintf("%d.25", i)))})
	}
	got, err := c.UpdateProducts(ctx(t), updates)
	if err != nil || len(got) != 23 {
		t.Fatalf("updated %d, err %v", len(got), err)
	}
	all := must(c.ListProducts(ctx(t), bc.ProductFilter{}))
	for i, p := range all {
		if !p.Price.Equal(d(fmt.Sprintf("%d.25", i))) {
			t.Fatalf("product %d price = %s", p.ID, p.Price)
		}
	}
}

func TestUpdateProductsErrors(t *testing.T) {
	srv, c := newFake(t)
	a := srv.AddProduct(bigcommercetest.ProductSeed{Name: "A", SKU: "A"})
	b := srv.AddProduct(bigcommercetest.ProductSeed{Name: "B", SKU: "B"})
	tests := []struct {
		name   string
		in     []bc.ProductUpdate
		target error
	}{
		{"rename onto existing name", []bc.ProductUpdate{{ID: b.ID, Name: ptr("A")}}, bc.ErrConflict},
		{"sku onto existing sku", []bc.ProductUpdate{{ID: a.ID, SKU: ptr("B")}}, bc.ErrConflict},
		{"missing id", []bc.ProductUpdate{{Name: ptr("C")}}, bc.ErrValidation},
		{"unknown id", []bc.ProductUpdate{{ID: 424242, Name: ptr("C")}}, bc.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := c.UpdateProducts(ctx(t), tc.in); !errors.Is(err, tc.target) {
				t.Fatalf("err = %v, want %v", err, tc.target)
			}
		})
	}
	if p := must(c.GetProduct(ctx(t), b.ID)); p.Name != "B" {
		t.Fatalf("failed batch changed the product: %+v", p)
	}
}

func TestUpdateProductsPartialKeepsGoing(t *testing.T) {
	srv, c := newFake(t)
	var updates []bc.ProductUpdate
	for i := range 12 {
		p := srv.AddProduct(bigcommercetest.ProductSeed{Name: fmt.Sprintf("Q%d", i), SKU: fmt.Sprintf("Q-%d", i)})
		updates = append(updates, bc.ProductUpdate{ID: p.ID, InventoryLevel: ptr(i)})
	}
	srv.InjectFault(bigcommercetest.Fault{Method: http.MethodPut, Path: "/v3/catalog/products", Kind: bigcommercetest.FaultPartial, Times: 1})
	got, err := c.UpdateProducts(ctx(t), updates)
	if !errors.Is(err, bc.ErrPartialSuccess) || len(got) != 12 {
		t.Fatalf("got %d products, err %v", len(got), err)
	}
	if lvl, _ := srv.StockLevel("Q-11", 0); lvl != 11 {
		t.Fatalf("second chunk not applied: level %d", lvl)
	}
}

func TestCustomFields(t *testing.T) {
	srv, c := newFake(t)
	p := srv.AddProduct(bigcommercetest.ProductSeed{Name: "CF", SKU: "CF"})
	cf, err := c.CreateCustomField(ctx(t), p.ID, bc.CustomField{Name: "heartland_id", Value: "42"})
	if err != nil || cf.ID == 0 {
		t.Fatalf("create: %+v %v", cf, err)
	}
	if _, err := c.CreateCustomField(ctx(t), p.ID, bc.CustomField{Name: "heartland_id", Value: "42"}); !errors.Is(err, bc.ErrConflict) {
		t.Fatalf("duplicate pair: %v", err)
	}
	if _, err := c.CreateCustomField(ctx(t), p.ID, bc.CustomField{Name: "", Value: "x"}); !errors.Is(err, bc.ErrValidation) {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := c.CreateCustomField(ctx(t), 999999, bc.CustomField{Name: "a", Value: "b"}); !errors.Is(err, bc.ErrNotFound) {
		t.Fatalf("unknown product: %v", err)
	}
	fields := must(c.ListCustomFields(ctx(t), p.ID))
	if len(fields) != 1 || fields[0].Name != "heartland_id" || fields[0].Value != "42" {
		t.Fatalf("fields = %+v", fields)
	}
	if _, err := c.ListCustomFields(ctx(t), 999999); !errors.Is(err, bc.ErrNotFound) {
		t.Fatalf("list unknown product: %v", err)
	}
}

func TestListProductsBySKUs(t *testing.T) {
	srv, c := newFake(t)
	for _, sku := range []string{"A-1", "B-1", "C-1"} {
		srv.AddProduct(bigcommercetest.ProductSeed{Name: "Product " + sku, SKU: sku})
	}
	got := must(c.ListProducts(ctx(t), bc.ProductFilter{SKUs: []string{"A-1", "C-1", "NONE"}}))
	if len(got) != 2 || got[0].SKU != "A-1" || got[1].SKU != "C-1" {
		t.Fatalf("sku:in = %+v", got)
	}
}
