package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/workflows"
)

// eventually retries a CLI call until check accepts its output.
func eventually(t *testing.T, what string, args []string, check func(out string) bool) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, _, err := runCLI(args...)
		if err == nil && check(out) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: last output %q, error %v", what, out, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestOrderCommands(t *testing.T) {
	var website, main heartland.Location
	bc, hl := startCLIStack(t, workflows.DefaultSettings(), func(bc *bigcommercetest.Server, hl *heartlandtest.Server) {
		main = hl.AddLocation("01", "Main Street", "Register 1")
		website = hl.AddLocation("WEB", "Website", "Web Station")
		hl.AddItem(heartlandtest.ItemSeed{PublicID: "MUG", Description: "Mug", Price: heartland.DecInt(12), Cost: heartland.DecInt(4)})
		hl.SetStock("MUG", main.ID, heartland.DecInt(5))
		bc.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG", Price: decimal.NewFromInt(12), Stock: map[int]int{0: 5}})
	})
	// Order sync on, from the Website location, as an operator would.
	if _, _, err := runCLI("connection", "configure", "shop", "--order-sync", "--source-location", fmt.Sprint(website.ID)); err != nil {
		t.Fatal(err)
	}
	o, err := bc.AddOrder(bigcommercetest.OrderSeed{CustomerEmail: "ada@example.com", Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(o.ID)
	if out, _, err := runCLI("orders", "import", id, "--connection", "shop"); err != nil || !strings.Contains(out, "order/shop/"+id) {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out := eventually(t, "awaiting distribution", []string{"orders", "show", id, "--connection", "shop"},
		func(out string) bool { return strings.Contains(out, "awaiting_distribution") })
	for _, want := range []string{"MUG", "Main Street", "LOCATIONS"} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q:\n%s", want, out)
		}
	}
	var usage *usageError
	if _, _, err := runCLI("orders", "distribute", id, "--connection", "shop"); !errors.As(err, &usage) {
		t.Errorf("distribute without a location: %v, want a usage error", err)
	}
	if _, _, err := runCLI("orders", "distribute", id, "--connection", "shop", "--location", fmt.Sprint(main.ID)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "listed as fulfilling", []string{"orders", "list", "--connection", "shop", "--stage", "fulfilling", "--json"},
		func(out string) bool {
			var list []struct {
				OrderID int `json:"order_id"`
			}
			return json.Unmarshal([]byte(out), &list) == nil && len(list) == 1 && list[0].OrderID == o.ID
		})
	hlOrder, _ := hl.OrderByPublicID(workflows.HeartlandOrderPublicID(o.ID))
	if _, err := hl.InvoiceOrderAt(hlOrder.Order.ID, main.ID); err != nil {
		t.Fatal(err)
	}
	// Without the Heartland webhook (this stack has no intake) the poll
	// finds the invoice; retry is refused because nothing needs attention.
	if _, _, err := runCLI("orders", "retry", id, "--connection", "shop"); err == nil {
		t.Error("retry of an order that needs nothing was accepted")
	}
	out, _, err = runCLI("errors")
	if err != nil || !strings.Contains(out, "nothing needs attention") {
		t.Errorf("errors: %v\n%s", err, out)
	}
}
