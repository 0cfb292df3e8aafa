package main

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/workflows"
)

// Check is one consistency check of the chaos test.
type Check struct {
	Name string `json:"name"`
	// Checked counts what was examined, Violations what was wrong.
	Checked    int      `json:"checked"`
	Violations int      `json:"violations"`
	Examples   []string `json:"examples,omitempty"`
}

// OK reports no violation.
func (c Check) OK() bool { return c.Violations == 0 }

func (c *Check) violate(format string, args ...any) {
	c.Violations++
	if len(c.Examples) < 10 {
		c.Examples = append(c.Examples, fmt.Sprintf(format, args...))
	}
}

// checkOrders verifies, for every order created in the store: exactly one
// Heartland order; one shipment per invoice and nothing shipped twice; the
// authorized payment captured exactly once; one external payment per
// invoice; the order closed on both sides; a closed order's balance 0 and
// its total paid what BigCommerce captured; and no refunded order shipped.
func checkOrders(f *Fakes, created []int) []Check {
	one := Check{Name: "BigCommerce order → exactly one Heartland order"}
	ship := Check{Name: "Heartland invoice → exactly one BigCommerce shipment"}
	capture := Check{Name: "authorized payment captured exactly once"}
	pay := Check{Name: "invoice → exactly one external payment in Heartland"}
	closed := Check{Name: "order shipped in BigCommerce and closed in Heartland"}
	money := Check{Name: "closed order: balance 0, total paid = captured"}
	refunded := Check{Name: "no refunded order shipped"}

	byPublicID := map[string]int{}
	for _, o := range f.HL.Orders() {
		byPublicID[o.Order.PublicID]++
	}
	known := map[string]bool{}
	for _, id := range created {
		publicID := workflows.HeartlandOrderPublicID(id)
		known[publicID] = true
		one.Checked++
		if n := byPublicID[publicID]; n != 1 {
			one.violate("order %d: %d Heartland orders %s", id, n, publicID)
			continue
		}
		hl, _ := f.HL.OrderByPublicID(publicID)
		invoices := f.HL.InvoicesOfOrder(hl.Order.ID)
		shipments := f.BC.Shipments(id)
		ship.Checked += len(invoices)
		if len(shipments) != len(invoices) {
			ship.violate("order %d: %d invoices, %d shipments", id, len(invoices), len(shipments))
		}
		ordered := map[int]int{}
		for _, p := range f.BC.OrderProducts(id) {
			ordered[p.ID] = p.Quantity
		}
		shipped := map[int]int{}
		for _, s := range shipments {
			for _, it := range s.Items {
				shipped[it.OrderProductID] += it.Quantity
			}
		}
		for pid, q := range shipped {
			if q > ordered[pid] {
				ship.violate("order %d: product line %d shipped %d of %d", id, pid, q, ordered[pid])
			}
		}
		capture.Checked++
		captures := 0
		for _, tx := range f.BC.Transactions(id) {
			if tx.Event == "capture" {
				captures++
			}
		}
		if captures != 1 {
			capture.violate("order %d: %d captures (payment status %q)", id, captures, f.BC.PaymentStatus(id))
		}
		pay.Checked += len(invoices)
		if n := invoicePayments(hl.Payments); n != len(invoices) {
			pay.violate("order %d: %d invoices, %d invoice payments", id, len(invoices), n)
		}
		closed.Checked++
		bc, _ := f.BC.Order(id)
		if hl.Order.Status == "closed" {
			money.Checked++
			captured := capturedOf(f, id)
			if !hl.Order.Balance.IsZero() || !hl.Order.TotalPaid.Decimal.Equal(captured) {
				money.violate("order %d: Heartland total paid %s balance %s, BigCommerce captured %s",
					id, hl.Order.TotalPaid.StringFixed(2), hl.Order.Balance.StringFixed(2), captured.StringFixed(2))
			}
		}
		if len(f.BC.Refunds(id)) > 0 || bc.StatusID == bigcommerce.StatusRefunded {
			refunded.Checked++
			if bc.PaymentStatus == bigcommerce.PaymentRefunded && (bc.StatusID != bigcommerce.StatusRefunded || hl.Order.Status == "closed") {
				refunded.violate("order %d: fully refunded, BigCommerce status %d, Heartland %q", id, bc.StatusID, hl.Order.Status)
			}
		}
		if bc.StatusID != bigcommerce.StatusShipped || hl.Order.Status != "closed" || len(invoices) != 2 {
			closed.violate("order %d: BigCommerce status %d, Heartland %q with %d invoices", id, bc.StatusID, hl.Order.Status, len(invoices))
		}
	}
	for publicID, n := range byPublicID {
		if !known[publicID] {
			one.violate("Heartland order %s (×%d) matches no store order", publicID, n)
		}
	}
	return []Check{one, ship, capture, pay, closed, money, refunded}
}

// invoicePayments counts the payments hrbc booked for invoices (the
// order's charges are booked as one more, at close).
func invoicePayments(ps []heartland.Payment) int {
	n := 0
	for _, p := range ps {
		if strings.HasPrefix(p.Description, "BigCommerce payment for invoice ") {
			n++
		}
	}
	return n
}

// capturedOf is what the store holds for an order, from its transactions:
// captures and purchases less refunds.
func capturedOf(f *Fakes, id int) decimal.Decimal {
	sum := decimal.Zero
	for _, tx := range f.BC.Transactions(id) {
		switch tx.Event {
		case "capture", "purchase":
			sum = sum.Add(tx.Amount.Decimal)
		case "refund":
			sum = sum.Sub(tx.Amount.Decimal)
		}
	}
	return sum
}

// checkInventory verifies that the store shows, for every linked SKU, the
// Heartland available quantity summed over every location (never below 0).
func checkInventory(f *Fakes, shop Shop) Check {
	c := Check{Name: "BigCommerce quantity = Heartland available sum"}
	for _, sku := range shop.SKUs {
		c.Checked++
		want := heartlandAvailable(f, shop, sku)
		got, ok := f.BC.StockLevel(sku, 0)
		if !ok || got != want {
			c.violate("%s: store %d, Heartland available %d", sku, got, want)
		}
	}
	return c
}

// heartlandAvailable sums available over every location, floored at zero.
func heartlandAvailable(f *Fakes, shop Shop, sku string) int {
	sum := int64(0)
	for _, loc := range shop.Locations {
		sum += f.HL.Stock(sku, loc.ID).Available.IntPart()
	}
	return int(max(sum, 0))
}

// inventoryMatches reports whether every SKU matches (for waiting).
func inventoryMatches(f *Fakes, shop Shop) bool {
	return checkInventory(f, shop).OK()
}

// ordersSettled reports whether every created order is closed on both sides.
func ordersSettled(f *Fakes, created []int) bool {
	for _, id := range created {
		bc, ok := f.BC.Order(id)
		if !ok || bc.StatusID != bigcommerce.StatusShipped {
			return false
		}
		hl, ok := f.HL.OrderByPublicID(workflows.HeartlandOrderPublicID(id))
		if !ok || hl.Order.Status != "closed" {
			return false
		}
	}
	return true
}

// formatChecks prints the checks, one per line, examples indented.
func formatChecks(checks []Check) string {
	var b strings.Builder
	for _, c := range checks {
		status := "ok  "
		if !c.OK() {
			status = "FAIL"
		}
		fmt.Fprintf(&b, "%s %-55s checked %5d  violations %d\n", status, c.Name, c.Checked, c.Violations)
		for _, e := range c.Examples {
			fmt.Fprintf(&b, "       %s\n", e)
		}
	}
	return b.String()
}
