package bigcommercetest_test

import (
	"context"
	"fmt"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// A dev sandbox: a seeded store on loopback and a client pointed at it.
func Example() {
	srv, err := bigcommercetest.Start("127.0.0.1:0", bigcommercetest.WithDemoSeed())
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	c, err := bc.New(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	status := bc.StatusAwaitingFulfillment
	orders, err := c.ListOrders(context.Background(), bc.OrderFilter{StatusID: &status})
	if err != nil {
		panic(err)
	}
	lvl, _ := srv.StockLevel("HR-TEE-BLK-M", 0)
	fmt.Println(len(orders), orders[0].PaymentStatus, lvl)
	// Output: 2 authorized 4
}
