package workflows

import (
	"fmt"
	"strconv"
	"strings"
)

// Workflow IDs are business keys, so every path that concerns the same
// business object (a webhook, a sweep, an operator's command) meets the same
// workflow execution. They live together here because starter, the HTTP
// intake and the workflows themselves must all agree on them.

// ConnectionWorkflowID is the ID of a connection's entity workflow.
func ConnectionWorkflowID(connectionID string) string {
	return "connection/" + connectionID
}

// ConnectionIDFromWorkflowID returns the connection ID encoded in a
// connection workflow ID, or "" when id is not one.
func ConnectionIDFromWorkflowID(id string) string {
	rest, ok := strings.CutPrefix(id, "connection/")
	if !ok {
		return ""
	}
	return rest
}

// OrderWorkflowID is the ID of the workflow of one BigCommerce order.
func OrderWorkflowID(connectionID string, orderID int) string {
	return fmt.Sprintf("order/%s/%d", connectionID, orderID)
}

// ParseOrderWorkflowID splits an order workflow ID into its parts.
func ParseOrderWorkflowID(id string) (connectionID string, orderID int, ok bool) {
	rest, found := strings.CutPrefix(id, "order/")
	if !found {
		return "", 0, false
	}
	i := strings.LastIndexByte(rest, '/')
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(rest[i+1:])
	if err != nil {
		return "", 0, false
	}
	return rest[:i], n, true
}

// OrderSweepWorkflowID is the ID of a connection's order sweep.
func OrderSweepWorkflowID(connectionID string) string { return "order-sweep/" + connectionID }

// HeartlandSweepWorkflowID is the ID of a connection's Heartland sweep.
func HeartlandSweepWorkflowID(connectionID string) string { return "heartland-sweep/" + connectionID }

// InventoryWorkflowID is the ID of a connection's inventory sync entity.
func InventoryWorkflowID(connectionID string) string {
	return "inventory/" + connectionID
}

// Kinds of catalog run, the last part of their workflow ID.
const (
	// CatalogKindPush creates (and with Update updates) BigCommerce
	// products from Heartland items.
	CatalogKindPush = "push"
	// CatalogKindPull creates Heartland items from BigCommerce products
	// and variants ("Trigger Full Sync").
	CatalogKindPull = "pull"
	// CatalogKindLinks reports SKU links; it writes nothing.
	CatalogKindLinks = "links"
	// CatalogKindFollow is the follower that pulls new products.
	CatalogKindFollow = "follow"
)

// CatalogWorkflowID is the ID of a connection's catalog run of one kind
// (push, pull, links, follow).
func CatalogWorkflowID(connectionID, kind string) string {
	return "catalog/" + connectionID + "/" + kind
}

// CatalogFollowWorkflowID is the ID of a connection's CatalogFollow.
func CatalogFollowWorkflowID(connectionID string) string {
	return CatalogWorkflowID(connectionID, CatalogKindFollow)
}
