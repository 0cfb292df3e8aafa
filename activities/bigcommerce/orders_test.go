package bigcommerce_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

func orderStore(t *testing.T, opts ...bigcommercetest.Option) (*bigcommercetest.Server, *bc.Client) {
	srv, c := newFake(t, opts...)
	srv.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG", Price: d("12.50"), Stock: map[int]int{0: 20}})
	srv.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Price: d("20.00"), Variants: []bigcommercetest.VariantSeed{
		{SKU: "TEE-S", Option: "Small", Stock: map[int]int{0: 10}}, {SKU: "TEE-M", Option: "Medium", Price: ptr(d("21.10"))},
	}})
	return srv, c
}

func TestListOrdersByModifiedAndStatus(t *testing.T) {
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	now := start
	srv, c := orderStore(t, bigcommercetest.WithClock(func() time.Time { return now }))
	var ids []int
	for i := range 7 {
		now = start.Add(time.Duration(i) * time.Minute)
		status := bc.StatusAwaitingFulfillment
		if i%2 == 1 {
			status = bc.StatusShipped
		}
		o := srv.MustAddOrder(bigcommercetest.OrderSeed{StatusID: status, Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
		ids = append(ids, o.ID)
	}
	// Touch the first order last: it must come last in date_modified order.
	now = start.Add(time.Hour)
	must(c.UpdateOrderStatus(ctx(t), ids[0], bc.StatusAwaitingFulfillment))

	all := must(c.ListOrders(ctx(t), bc.OrderFilter{Limit: 3}))
	if len(all) != 7 || all[6].ID != ids[0] {
		t.Fatalf("walk: %d orders, last %d", len(all), all[len(all)-1].ID)
	}
	since := must(c.ListOrders(ctx(t), bc.OrderFilter{MinDateModified: start.Add(5 * time.Minute)}))
	if got := orderIDs(since); got != fmt.Sprint([]int{ids[5], ids[6], ids[0]}) {
		t.Fatalf("since: %s", got)
	}
	shipped := must(c.ListOrders(ctx(t), bc.OrderFilter{StatusID: ptr(bc.StatusShipped), Limit: 2}))
	if got := orderIDs(shipped); got != fmt.Sprint([]int{ids[1], ids[3], ids[5]}) {
		t.Fatalf("shipped: %s", got)
	}
	// Nothing matches: the API answers 204, which is an empty list.
	none, err := c.ListOrders(ctx(t), bc.OrderFilter{MinDateModified: start.Add(48 * time.Hour)})
	if err != nil || len(none) != 0 {
		t.Fatalf("empty: %v %v", none, err)
	}
	w := c.WalkOrders(bc.OrderFilter{Limit: 5}, bc.Cursor{Page: 1})
	page, err := w.Next(ctx(t))
	if err != nil || len(page) != 2 || !w.Done() || w.Cursor().Page != 2 {
		t.Fatalf("page 2: %d %v", len(page), err)
	}
}

func orderIDs(os []bc.Order) string {
	var ids []int
	for _, o := range os {
		ids = append(ids, o.ID)
	}
	return fmt.Sprint(ids)
}

func TestGetOrderMoneyAndLines(t *testing.T) {
	srv, c := orderStore(t)
	o := srv.MustAddOrder(bigcommercetest.OrderSeed{
		CustomerEmail: "ada@example.com", ShippingCost: d("4.99"), PaymentStatus: bc.PaymentAuthorized,
		Lines: []bigcommercetest.OrderLine{
			{SKU: "MUG", Quantity: 3, GiftWrapping: &bigcommercetest.GiftWrapping{Name: "Red paper", Cost: d("2.00"), Message: "Happy birthday"}},
			{SKU: "TEE-M", Quantity: 1, Modifiers: []bc.OrderProductOption{{DisplayName: "Engraving", DisplayValue: "ADA", Value: "ADA", Type: "Text field", Name: "Engraving"}}},
		},
	})
	got := must(c.GetOrder(ctx(t), o.ID))
	// 3 × 12.50 + 21.10 = 58.60; + 4.99 shipping + 2.00 wrapping = 65.59, exactly.
	if !got.SubtotalIncTax.Equal(d("58.60")) || !got.TotalIncTax.Equal(d("65.59")) || !got.WrappingCostIncTax.Equal(d("2")) {
		t.Fatalf("money: subtotal %s total %s wrapping %s", got.SubtotalIncTax, got.TotalIncTax, got.WrappingCostIncTax)
	}
	if got.StatusID != bc.StatusAwaitingFulfillment || got.PaymentStatus != bc.PaymentAuthorized || got.BillingAddress.Email != "ada@example.com" {
		t.Fatalf("order = %+v", got)
	}
	if got.DateCreated.IsZero() || got.Products == nil || !strings.HasSuffix(got.Products.Resource, "/products") {
		t.Fatalf("dates/links: %+v %+v", got.DateCreated, got.Products)
	}
	lines := must(c.ListOrderProducts(ctx(t), o.ID))
	if len(lines) != 2 || !lines[0].HasGiftWrapping() || lines[0].WrappingMessage != "Happy birthday" || lines[1].HasGiftWrapping() {
		t.Fatalf("lines = %+v", lines)
	}
	var types []string
	for _, opt := range lines[1].ProductOptions {
		types = append(types, opt.Type+":"+opt.DisplayValue)
	}
	if fmt.Sprint(types) != "[Multiple choice:Medium Text field:ADA]" {
		t.Fatalf("options = %v", types)
	}
	addrs := must(c.ListShippingAddresses(ctx(t), o.ID))
	if len(addrs) != 1 || addrs[0].ID != lines[0].OrderAddressID || addrs[0].ItemsTotal != 4 {
		t.Fatalf("addresses = %+v", addrs)
	}
	if lvl, _ := srv.StockLevel("MUG", 0); lvl != 17 {
		t.Fatalf("stock after order = %d, want 17", lvl)
	}
}

func TestOrderNotFound(t *testing.T) {
	_, c := orderStore(t)
	calls := map[string]func() error{
		"get":       func() error { _, err := c.GetOrder(ctx(t), 4040); return err },
		"products":  func() error { _, err := c.ListOrderProducts(ctx(t), 4040); return err },
		"addresses": func() error { _, err := c.ListShippingAddresses(ctx(t), 4040); return err },
		"status":    func() error { _, err := c.UpdateOrderStatus(ctx(t), 4040, 2); return err },
		"shipments": func() error { _, err := c.ListShipments(ctx(t), 4040); return err },
		"ship":      func() error { _, err := c.CreateShipment(ctx(t), 4040, bc.ShipmentCreate{}); return err },
		"txns":      func() error { _, err := c.ListTransactions(ctx(t), 4040); return err },
		"capture":   func() error { return c.CapturePayment(ctx(t), 4040) },
		"void":      func() error { return c.VoidPayment(ctx(t), 4040) },
		"refunds":   func() error { _, err := c.ListRefunds(ctx(t), 4040); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			if !errors.Is(err, bc.ErrNotFound) || !strings.Contains(err.Error(), "/4040") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestUpdateOrderStatus(t *testing.T) {
	srv, c := orderStore(t)
	o := srv.MustAddOrder(bigcommercetest.OrderSeed{Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
	got := must(c.UpdateOrderStatus(ctx(t), o.ID, bc.StatusCancelled))
	if got.StatusID != bc.StatusCancelled || got.Status != "Cancelled" {
		t.Fatalf("response = %+v", got)
	}
	if stored, _ := srv.Order(o.ID); stored.StatusID != bc.StatusCancelled {
		t.Fatalf("stored status = %d", stored.StatusID)
	}
	_, err := c.UpdateOrderStatus(ctx(t), o.ID, 99)
	ae, ok := bc.AsAPIError(err)
	if !ok || ae.Status != 400 || !strings.Contains(ae.Message, "status_id") {
		t.Fatalf("invalid status: %v", err)
	}
	if bc.IsRetryable(err) {
		t.Fatal("a 400 is not retryable")
	}
}

func TestOrderStatuses(t *testing.T) {
	_, c := newFake(t)
	sts := must(c.ListOrderStatuses(ctx(t)))
	if len(sts) != 15 || sts[11].Name != "Awaiting Fulfillment" || sts[14].Name != "Partially Refunded" {
		t.Fatalf("statuses = %+v", sts)
	}
}
