package heartlandtest_test

import (
	"context"
	"fmt"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// A test starts a seeded fake, talks to it through the real client, acts
// like store staff and asserts on the fake's state.
func ExampleNewServer() {
	srv := heartlandtest.NewServer(heartlandtest.WithDemoSeed())
	defer srv.Close()
	client, _ := heartland.New(srv.ClientConfig())

	mug, _ := client.FindItemByPublicID(context.Background(), "HR-MUG-01")
	main, _ := srv.LocationByName("Main Street")
	_, _ = srv.RingUpSale(main.ID, heartlandtest.SaleLine{PublicID: "HR-MUG-01", Qty: heartland.DecInt(2)})

	fmt.Println(mug.Description, srv.Stock("HR-MUG-01", main.ID))
	// Output: Heartland Mug on_hand=8 available=8 committed=0
}
