package bigcommerce_test

import (
	"context"
	"testing"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// A slow store still applies a write whose caller gave up waiting, as a
// real server does: only the answer is lost. Code that retries a write
// after a timeout must look for what the first attempt wrote.
func TestFakeAppliesAWriteItsCallerGaveUpOn(t *testing.T) {
	srv, c := newFake(t)
	srv.InjectFault(bigcommercetest.Fault{Method: "POST", Path: "/v3/catalog/products", Kind: bigcommercetest.FaultLatency,
		Latency: time.Second, Times: 1})
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.CreateProduct(short, bc.ProductCreate{Name: "Late", Type: "physical", SKU: "LATE"}); err == nil {
		t.Fatal("CreateProduct answered within 100 ms through a 1 s latency")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		products, err := c.ListProducts(ctx(t), bc.ProductFilter{SKU: "LATE"})
		if err != nil {
			t.Fatal(err)
		}
		if len(products) == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d products with SKU LATE after the caller gave up, want 1: the write was dropped", len(products))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
