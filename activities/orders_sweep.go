package activities

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// ListModifiedOrders returns orders modified at or after the watermark,
// oldest first: a page of Limit, or more when whole pages share the
// watermark's second.
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
		limit := pageLimit(req.Limit)
		walk := cl.BigCommerce.WalkOrders(bigcommerce.OrderFilter{MinDateModified: since, Limit: limit}, bigcommerce.Cursor{})
		orders, err := walk.Next(ctx)
		// A full page whose orders were all modified in the watermark's own
		// second says nothing newer, and the next listing from the same
		// watermark would show the same page: BigCommerce stamps more orders
		// than a page in one second when staff change their status in bulk.
		// Read on past that second.
		for pages := 1; err == nil && !walk.Done() && pages < maxSameSecondPages && len(orders) == pages*limit &&
			allModifiedAt(orders[len(orders)-limit:], since); pages++ {
			var more []bigcommerce.Order
			if more, err = walk.Next(ctx); err == nil {
				orders = append(orders, more...)
			}
		}
		if err != nil {
			return res, bigCommerceError("list BigCommerce orders modified since "+req.Since, err)
		}
		if req.CheckHooks {
			// A failure here is not the round's: the next round looks again.
			res.HooksReenabled, _ = reenableHooks(ctx, cl.BigCommerce, req.ConnectionID)
		}
		listed := make([]ModifiedOrder, 0, len(orders))
		for _, o := range orders {
			modified := o.DateModified.Time.UTC()
			listed = append(listed, ModifiedOrder{OrderID: o.ID, StatusID: o.StatusID, DateModified: modified.Format(time.RFC3339)})
			if w := modified.Format(time.RFC3339); w > res.Watermark {
				res.Watermark = w
			}
		}
		res.Orders, res.Read = a.setAsideRead(ctx, req.ConnectionID, listed)
		return res, nil
	})
}

// maxSameSecondPages bounds the pages one listing reads when orders keep
// sharing the watermark's second.
const maxSameSecondPages = 40

// allModifiedAt reports whether every order was last modified in the
// second at (none is, when at is zero: the first listing has no watermark).
func allModifiedAt(orders []bigcommerce.Order, at time.Time) bool {
	if at.IsZero() {
		return false
	}
	for _, o := range orders {
		if !o.DateModified.Time.Truncate(time.Second).Equal(at) {
			return false
		}
	}
	return true
}

// pageLimit is how many orders one listing asks for, given a request's Limit.
func pageLimit(limit int) int {
	if limit <= 0 || limit > bigcommerce.MaxPageLimit {
		return bigcommerce.MaxPageLimit
	}
	return limit
}

// ModifiedOrdersRequest lists orders modified since a watermark.
type ModifiedOrdersRequest struct {
	ConnectionID string `json:"connection_id"`
	// Since is an RFC 3339 timestamp; empty means the beginning.
	Since string `json:"since,omitempty"`
	// Limit is the page size; a call returns one page, or more when the
	// orders of whole pages were all modified in the watermark's second.
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
	// Orders are the orders to hand to their workflows.
	Orders []ModifiedOrder `json:"orders"`
	// Read are the orders of the page whose workflow has read that change
	// already, or has finished: handing them over would change nothing.
	Read []ModifiedOrder `json:"read,omitempty"`
	// Watermark is the newest date_modified seen (RFC 3339), or the input's.
	Watermark string `json:"watermark"`
	// HooksReenabled are the scopes of hrbc's hooks BigCommerce had
	// deactivated (after failed deliveries) and this call turned back on.
	HooksReenabled []string `json:"hooks_reenabled,omitempty"`
}

// Listed is how many orders the listing returned, handed over or not.
func (r ModifiedOrdersResult) Listed() int { return len(r.Orders) + len(r.Read) }

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

// ModifiedOrdersWait asks for a long poll of the orders listing: a listing
// every Interval inside one activity, until one shows news or MaxWait passes.
type ModifiedOrdersWait struct {
	// Request is the listing each round makes.
	Request ModifiedOrdersRequest `json:"request"`
	// Known are the orders at the watermark the sweep handed over already,
	// with the state it told them: the listing, inclusive of its watermark,
	// shows them again, and they are not news.
	Known []ModifiedOrder `json:"known,omitempty"`
	// Interval is the pause before each listing (the sweep interval).
	Interval time.Duration `json:"interval"`
	// MaxWait is how long the activity lists without news before it returns.
	MaxWait time.Duration `json:"max_wait"`
}

// WaitModifiedOrders lists the orders modified since the watermark every
// Interval and returns the first listing with an order to hand over that is
// not among Known and was already to hand over at the listing before (or
// that re-enabled hooks), or a full page of orders
// whose workflows read them already, or, after MaxWait of listings without
// news, the last listing when it moves the watermark and an empty page at
// the request's watermark when it does not. The sweep's history then
// records one activity per change (or per MaxWait) instead of a timer and
// an activity per sweep interval. The workflow cancels it on new settings
// or sweepNow.
//
// An order is handed over at its second listing, not its first, because
// the first usually finds it on its way: its webhook is being answered, or
// its workflow has read it and the memo that says so has not reached
// visibility yet. A hand-over then costs the server a child start that
// fails or a signal the order ignores, and a busy cluster, slower to read
// orders, met more such orders at each listing: one run of 100 stores at
// 20 orders/s handed over 283 orders, and the server's retries of their
// child starts, while its writes timed out, left 977 empty histories. An
// order whose webhook was missed still reaches its workflow, one interval
// later.
func (a *Orders) WaitModifiedOrders(ctx context.Context, in ModifiedOrdersWait) (ModifiedOrdersResult, error) {
	// An unknown connection fails at once, not after the first interval.
	if _, err := a.Connections.Get(in.Request.ConnectionID); err != nil {
		return ModifiedOrdersResult{}, err
	}
	// A newer long poll of the connection here (the workflow moved on after
	// a signal) ends this one with nothing found.
	ctx, superseded, done := registerLongPoll(ctx, orderSweepPoll{a}, in.Request.ConnectionID)
	defer done()
	alive := startKeepAlive(ctx) // a killed worker is noticed within the heartbeat timeout
	defer alive.stop()
	idle := ModifiedOrdersResult{Watermark: in.Request.Since}
	deadline := time.Now().Add(in.MaxWait)
	// unreadBefore are the orders the previous listing had to hand over.
	var unreadBefore []int
	for {
		switch pause(ctx, in.Interval) {
		case pauseCancelled:
			if superseded.Load() {
				return idle, nil
			}
			return ModifiedOrdersResult{}, ctx.Err()
		case pauseWorkerStops:
			return idle, nil
		}
		page, err := a.ListModifiedOrders(ctx, in.Request)
		if err != nil {
			if superseded.Load() {
				return idle, nil
			}
			return ModifiedOrdersResult{}, err
		}
		moved := page.Watermark != in.Request.Since
		var unread []int
		for _, o := range page.Orders {
			if !slices.Contains(in.Known, o) {
				unread = append(unread, o.OrderID)
			}
		}
		missed := slices.ContainsFunc(unread, func(id int) bool { return slices.Contains(unreadBefore, id) })
		unreadBefore = unread
		switch {
		case len(page.HooksReenabled) > 0 || missed:
			return page, nil
		case moved && page.Listed() >= pageLimit(in.Request.Limit):
			// Orders whose workflows read them already fill the page: the
			// sweep moves its watermark past them, or the listing would
			// show nothing newer.
			return page, nil
		case !time.Now().Before(deadline):
			if moved {
				return page, nil
			}
			return idle, nil
		}
	}
}

// orderSweepPoll and heartlandSweepPoll tell the sweeps' long polls apart
// in the registry of long polls.
type (
	orderSweepPoll     struct{ a *Orders }
	heartlandSweepPoll struct{ a *Orders }
)
