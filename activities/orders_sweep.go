package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// ListModifiedOrders returns orders modified at or after the watermark,
// oldest first, at most Limit of them.
func (a *Orders) ListModifiedOrders(ctx context.Context, req ModifiedOrdersRequest) (ModifiedOrdersResult, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (ModifiedOrdersResult, error) {
		res := ModifiedOrdersResult{Watermark: req.Since}
		var since time.Time
		var err error
		if req.Since != "" {
			if since, err = time.Parse(time.RFC3339, req.Since); err != nil {
				return res, fmt.Errorf("watermark %q: %w", req.Since, err)
			}
		}
		limit := req.Limit
		if limit <= 0 || limit > bigcommerce.MaxPageLimit {
			limit = bigcommerce.MaxPageLimit
		}
		orders, err := cl.BigCommerce.WalkOrders(bigcommerce.OrderFilter{MinDateModified: since, Limit: limit}, bigcommerce.Cursor{}).Next(ctx)
		if err != nil {
			return res, bigCommerceError("list BigCommerce orders modified since "+req.Since, err)
		}
		if req.CheckHooks {
			// A failure here is not the round's: the next round looks again.
			res.HooksReenabled, _ = reenableHooks(ctx, cl.BigCommerce, req.ConnectionID)
		}
		for _, o := range orders {
			modified := o.DateModified.Time.UTC()
			res.Orders = append(res.Orders, ModifiedOrder{OrderID: o.ID, StatusID: o.StatusID, DateModified: modified.Format(time.RFC3339)})
			if w := modified.Format(time.RFC3339); w > res.Watermark {
				res.Watermark = w
			}
		}
		return res, nil
	})
}

// ModifiedOrdersRequest lists orders modified since a watermark.
type ModifiedOrdersRequest struct {
	ConnectionID string `json:"connection_id"`
	// Since is an RFC 3339 timestamp; empty means the beginning.
	Since string `json:"since,omitempty"`
	// Limit caps how many orders one call returns.
	Limit int `json:"limit"`
	// CheckHooks also looks for hrbc's BigCommerce hooks the store has
	// deactivated and turns them back on (one more call).
	CheckHooks bool `json:"check_hooks,omitempty"`
}

// ModifiedOrder is one order the sweep found.
type ModifiedOrder struct {
	OrderID      int    `json:"order_id"`
	StatusID     int    `json:"status_id"`
	DateModified string `json:"date_modified"`
}

// ModifiedOrdersResult is a page of orders, oldest change first.
type ModifiedOrdersResult struct {
	Orders []ModifiedOrder `json:"orders"`
	// Watermark is the newest date_modified seen (RFC 3339), or the input's.
	Watermark string `json:"watermark"`
	// HooksReenabled are the scopes of hrbc's hooks BigCommerce had
	// deactivated (after failed deliveries) and this call turned back on.
	HooksReenabled []string `json:"hooks_reenabled,omitempty"`
}

// maxAwaitingOrders bounds the orders one ListAwaitingOrders returns; a
// store with more waiting has them distributed as they change.
const maxAwaitingOrders = 2000

// ListAwaitingOrders returns the ids of the BigCommerce orders Awaiting
// Fulfillment: those whose Order workflows may wait for distribution,
// for the sweep to tell them when auto-distribute is turned on.
func (a *Orders) ListAwaitingOrders(ctx context.Context, req ConnectionRequest) ([]int, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) ([]int, error) {
		status := bigcommerce.StatusAwaitingFulfillment
		walk := cl.BigCommerce.WalkOrders(bigcommerce.OrderFilter{StatusID: &status}, bigcommerce.Cursor{})
		var ids []int
		for !walk.Done() && len(ids) < maxAwaitingOrders {
			orders, err := walk.Next(ctx)
			if err != nil {
				return nil, bigCommerceError("list BigCommerce orders awaiting fulfillment", err)
			}
			if len(orders) == 0 {
				break
			}
			for _, o := range orders {
				ids = append(ids, o.ID)
			}
		}
		return ids, nil
	})
}
