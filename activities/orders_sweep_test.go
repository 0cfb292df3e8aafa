package activities

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/testclock"
)

// Staff change the status of more orders than a page holds in one go: the
// store stamps them all with the same second. The listing from that second
// reads on past it, or the sweep would list the same page for ever and
// never see the rest, nor anything later.
func TestListModifiedOrdersReadsPastASecondFullOfOrders(t *testing.T) {
	clock := testclock.NewManual(testclock.Seconds())
	bc := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit(), bigcommercetest.WithClock(clock.Now))
	t.Cleanup(bc.Close)
	client, err := bigcommerce.New(bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	conns := NewConnections()
	conns.Add("shop", Clients{BigCommerce: client})
	acts := &Orders{Connections: conns}
	bc.AddProduct(bigcommercetest.ProductSeed{Name: "A", SKU: "SKU-A", Price: decimal.RequireFromString("10.00"), Stock: map[int]int{0: 1000}})
	const limit, bulk = 5, 12
	for range bulk {
		bc.MustAddOrder(bigcommercetest.OrderSeed{CustomerEmail: "ada@example.com", FirstName: "Ada", LastName: "L",
			ShippingCost: decimal.Zero, Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	}
	list := func(since string) ModifiedOrdersResult {
		t.Helper()
		page, err := acts.ListModifiedOrders(context.Background(), ModifiedOrdersRequest{ConnectionID: "shop", Since: since, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		return page
	}
	first := list("")
	if len(first.Orders) != limit {
		t.Fatalf("first listing has %d orders, want a page of %d", len(first.Orders), limit)
	}
	again := list(first.Watermark)
	if len(again.Orders) != bulk || again.Watermark != first.Watermark {
		t.Errorf("listing from the bulk's second: %d orders up to %s, want all %d of that second", len(again.Orders), again.Watermark, bulk)
	}

	clock.Advance(time.Minute)
	later := bc.MustAddOrder(bigcommercetest.OrderSeed{CustomerEmail: "bo@example.com", FirstName: "Bo", LastName: "B",
		ShippingCost: decimal.Zero, Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	after := list(first.Watermark)
	last := after.Orders[len(after.Orders)-1]
	if len(after.Orders) != bulk+1 || last.OrderID != later.ID || after.Watermark != last.DateModified {
		t.Errorf("listing after a later order: %d orders, last %+v, watermark %s; want %d ending with order %d",
			len(after.Orders), last, after.Watermark, bulk+1, later.ID)
	}
	if newer := list(after.Watermark); len(newer.Orders) != 1 || newer.Orders[0].OrderID != later.ID {
		t.Errorf("listing from the later order's second: %+v, want that order alone", newer.Orders)
	}
}
