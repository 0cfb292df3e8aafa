package main

import (
	"fmt"
	"strconv"
	"strings"
)

// bigCommerceStatuses are BigCommerce's order status names by id, as its
// v2 API documents them; a bare 11 means nothing to a person.
var bigCommerceStatuses = map[int]string{
	0: "Incomplete", 1: "Pending", 2: "Shipped", 3: "Partially Shipped", 4: "Refunded",
	5: "Cancelled", 6: "Declined", 7: "Awaiting Payment", 8: "Awaiting Pickup",
	9: "Awaiting Shipment", 10: "Completed", 11: "Awaiting Fulfillment",
	12: "Manual Verification Required", 13: "Disputed", 14: "Partially Refunded",
}

// describeBigCommerceStatus is "Awaiting Fulfillment (11)".
func describeBigCommerceStatus(id int) string {
	if name, ok := bigCommerceStatuses[id]; ok {
		return fmt.Sprintf("%s (%d)", name, id)
	}
	return fmt.Sprintf("unknown status (%d)", id)
}

// parseBigCommerceStatus reads a status id or name ("5", "cancelled",
// "Awaiting Fulfillment", "awaiting-fulfillment").
func parseBigCommerceStatus(s string) (int, error) {
	if id, err := strconv.Atoi(s); err == nil {
		if _, ok := bigCommerceStatuses[id]; ok {
			return id, nil
		}
	}
	norm := func(v string) string {
		return strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.ToLower(v))
	}
	for id, name := range bigCommerceStatuses {
		if norm(name) == norm(s) {
			return id, nil
		}
	}
	return 0, &usageError{fmt.Errorf("%q is not a BigCommerce status: give an id from 0 to 14 or a name such as cancelled or shipped", s)}
}
