package main

import (
	"encoding/json"
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
	// Resolve is taken only while the order waits for a person: once the
	// retry that did not wait has run its course.
	eventually(t, "the second retry answered", []string{"orders", "show", id, "--connection", "shop", "--json"},
		func(out string) bool {
			var st workflows.OrderState
			return json.Unmarshal([]byte(out), &st) == nil && st.RetriesAnswered >= 2 && st.Attention != ""
		})

	out, _, err = runCLI("orders", "resolve", id, "--connection", "shop", "--note", "sold by phone instead")
	if err != nil || !strings.Contains(out, "resolved") || !strings.Contains(out, "sold by phone instead") {
		t.Errorf("resolve: err %v\n%s", err, out)
	}
	if _, _, err := runCLI("orders", "resolve", id, "--connection", "shop"); err == nil {
		t.Error("resolving a resolved order was accepted")
	}
	// Its run ends with the resolve: an import by hand says it is finished.
	eventually(t, "the resolved run to end", []string{"orders", "list", "--connection", "shop", "--json"},
		func(out string) bool {
			var list []struct {
				OrderID int  `json:"order_id"`
				Running bool `json:"running"`
			}
			var stages []struct {
				Stage string `json:"stage"`
			}
			_ = json.Unmarshal([]byte(out), &stages)
			return json.Unmarshal([]byte(out), &list) == nil && len(list) == 1 && list[0].OrderID == o.ID && !list[0].Running &&
				stages[0].Stage == workflows.OrderStageResolved
		})
	if _, _, err := runCLI("orders", "import", id, "--connection", "shop"); err == nil || !strings.Contains(err.Error(), "finished by hrbc") {
		t.Errorf("import of a resolved order: %v, want it refused as finished", err)
	}
}
