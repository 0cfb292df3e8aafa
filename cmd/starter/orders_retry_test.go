package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/workflows"
)

// `orders retry` tells the outcome and exits 1 while the order still needs
// a person; `orders resolve` ends it with the operator's note.
func TestOrderRetryAndResolveCommands(t *testing.T) {
	var website heartland.Location
	bc, _ := startCLIStack(t, workflows.DefaultSettings(), func(bc *bigcommercetest.Server, hl *heartlandtest.Server) {
		website = hl.AddLocation("WEB", "Website", "Web Station")
		bc.AddProduct(bigcommercetest.ProductSeed{Name: "Kite", SKU: "KITE", Price: decimal.NewFromInt(30), Stock: map[int]int{0: 5}})
	})
	if _, _, err := runCLI("connection", "configure", "shop", "--order-sync", "--source-location", fmt.Sprint(website.ID)); err != nil {
		t.Fatal(err)
	}
	o, err := bc.AddOrder(bigcommercetest.OrderSeed{CustomerEmail: "ada@example.com", Lines: []bigcommercetest.OrderLine{{SKU: "KITE", Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(o.ID)
	if _, _, err := runCLI("orders", "import", id, "--connection", "shop"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "in attention", []string{"orders", "show", id, "--connection", "shop"},
		func(out string) bool { return strings.Contains(out, "unknown SKU: KITE") })

	out, _, err := runCLI("orders", "retry", id, "--connection", "shop")
	if !errors.Is(err, errStillNeedsAttention) || !strings.Contains(err.Error(), "unknown SKU: KITE") || !strings.Contains(out, "attention") {
		t.Errorf("retry with the cause still there: err %v\n%s", err, out)
	}
	if out, _, err := runCLI("orders", "retry", id, "--connection", "shop", "--no-wait"); err != nil || !strings.Contains(out, "accepted") {
		t.Errorf("retry --no-wait: err %v\n%s", err, out)
	}
	eventually(t, "in attention again", []string{"orders", "show", id, "--connection", "shop"},
		func(out string) bool { return strings.Contains(out, "unknown SKU: KITE") })

	out, _, err = runCLI("orders", "resolve", id, "--connection", "shop", "--note", "sold by phone instead")
	if err != nil || !strings.Contains(out, "resolved") || !strings.Contains(out, "sold by phone instead") {
		t.Errorf("resolve: err %v\n%s", err, out)
	}
	if _, _, err := runCLI("orders", "resolve", id, "--connection", "shop"); err == nil {
		t.Error("resolving a resolved order was accepted")
	}
}
