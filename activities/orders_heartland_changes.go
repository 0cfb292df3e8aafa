package activities

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/hrbc/hrbc/activities/heartland"
)

// HeartlandChangesOverlap is how far before its watermark each round reads
// again. A record whose updated_at was stamped just before the previous
// round but committed after it would otherwise be missed for good; the
// records read twice are recognised by HeartlandChangesRequest.Seen.
const HeartlandChangesOverlap = 10 * time.Second

// ListHeartlandChanges lists the web orders changed in Heartland since the
// watermark: sales orders updated (status, distribution, payments) and
// invoices updated (created or completed), whoever changed them, store
// staff in Heartland's screens included. Two paginated walks, plus one
// call naming the orders of invoices whose order did not change itself.
// Orders without a "BC-<n>" public_id (POS and other channels) are left out.
func (a *Orders) ListHeartlandChanges(ctx context.Context, req HeartlandChangesRequest) (HeartlandChangesResult, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (HeartlandChangesResult, error) {
		since, err := time.Parse(time.RFC3339, req.Watermark)
		if err != nil {
			return HeartlandChangesResult{}, fmt.Errorf("watermark %q: %w", req.Watermark, err)
		}
		from := since.Add(-HeartlandChangesOverlap)
		var orders []heartland.SalesOrder
		var invoices []heartland.Invoice
		var ordersListed time.Time
		if req.Only != ChangesOfInvoices {
			walk := cl.Heartland.WalkSalesOrdersUpdatedSince(from, heartland.Cursor{})
			if orders, err = walk.All(ctx); err != nil {
				return HeartlandChangesResult{}, heartlandError("list Heartland sales orders updated since "+from.UTC().Format(time.RFC3339), err)
			}
			ordersListed = walk.Date()
		}
		if req.Only != ChangesOfOrders {
			if invoices, err = cl.Heartland.WalkInvoicesUpdatedSince(from, heartland.Cursor{}).All(ctx); err != nil {
				return HeartlandChangesResult{}, heartlandError("list Heartland invoices updated since "+from.UTC().Format(time.RFC3339), err)
			}
		}
		c := newChangeSet(since, req.Seen)
		for _, o := range orders {
			c.known[o.ID] = o
			// Two changes in one second share updated_at; the fields hrbc acts
			// on tell some apart, not a distribution: an order listed before
			// its second is over gets a second look (freshOrder).
			if c.freshOrder(fmt.Sprintf("o%d/%s/%s/%s", o.ID, o.Status, o.TotalPaid.StringFixed(2), o.Balance.StringFixed(2)), o.UpdatedAt, ordersListed) {
				c.touch(o, 0)
			}
		}
		var missing []int64
		var fresh []heartland.Invoice
		for _, inv := range invoices {
			if !c.fresh(fmt.Sprintf("i%d/%s/%t", inv.ID, inv.Status, inv.Completed), invoiceStamp(inv)) {
				continue
			}
			fresh = append(fresh, inv)
			if _, ok := c.known[inv.OrderID]; !ok && !slices.Contains(missing, inv.OrderID) {
				missing = append(missing, inv.OrderID)
			}
		}
		if len(missing) > 0 {
			named, err := cl.Heartland.ListSalesOrdersByID(ctx, missing)
			if err != nil {
				return HeartlandChangesResult{}, heartlandError("read the Heartland orders of new invoices", err)
			}
			for _, o := range named {
				c.known[o.ID] = o
			}
		}
		for _, inv := range fresh {
			if o, ok := c.known[inv.OrderID]; ok {
				c.touch(o, inv.ID)
			}
		}
		res := c.result()
		for i := range res.Orders {
			res.Orders[i].Status = a.hrbcStatus(req.ConnectionID, cl.Heartland, res.Orders[i].Status)
		}
		res.Orders, res.Known = a.setAsideKnown(ctx, req.ConnectionID, res.Orders, c.known)
		return res, nil
	})
}

// invoiceStamp is when an invoice last changed; created_at stands in on
// a server that does not print updated_at for invoices.
func invoiceStamp(inv heartland.Invoice) time.Time {
	if !inv.UpdatedAt.IsZero() {
		return inv.UpdatedAt
	}
	return inv.CreatedAt
}

// changeSet gathers one round's changes per web order.
type changeSet struct {
	watermark time.Time
	seen      map[string]bool
	// keep are the records near the new watermark, to know them next round.
	keep []seenRecord
	// unsettled is the oldest stamp of a sales order awaiting its second
	// look; the watermark stays at it so the next round lists it again.
	unsettled time.Time
	known     map[int64]heartland.SalesOrder
	byID      map[int]*HeartlandOrderChange
}

// secondLook is how long after a sales order's stamp a listing must be
// for the stamp's second to be over: the second itself, and a second for
// the server answering the listing and the one stamping the record to
// disagree.
const secondLook = 2 * time.Second

// unsettledMark ends the key of a sales-order record the sweep told of
// while the record's second may not have been over: a second change in
// that second (a distribution, which moves neither status nor amounts)
// would share the key.
const unsettledMark = "~"

// freshOrder is fresh for a sales order, whose key cannot tell two changes
// in one second apart. One listed before its second is certainly over
// (listed, the server's Date, earlier than secondLook after the stamp; or
// no Date) is told now and kept as unsettled; a later round that lists it
// again, at least secondLook after the stamp (or, without a Date, the
// next one), tells it once more and settles it. The order reads Heartland
// on each word, so the second one sees what the first may have missed.
func (c *changeSet) freshOrder(id string, at, listed time.Time) bool {
	at = at.UTC().Truncate(time.Second)
	key := id + "@" + at.Format(time.RFC3339)
	over := !listed.IsZero() && !listed.Before(at.Add(secondLook))
	switch {
	case c.seen[key]:
		return c.fresh(id, at)
	case c.seen[key+unsettledMark]:
		if !over && !listed.IsZero() {
			c.keepUnsettled(key, at)
			return false
		}
		c.fresh(id, at)
		return true
	case !over:
		c.keepUnsettled(key, at)
		return true
	}
	return c.fresh(id, at)
}

// keepUnsettled keeps a record's key for its second look, and the
// watermark at its stamp.
func (c *changeSet) keepUnsettled(key string, at time.Time) {
	c.keep = append(c.keep, seenRecord{key + unsettledMark, at})
	if c.unsettled.IsZero() || at.Before(c.unsettled) {
		c.unsettled = at
	}
	if at.After(c.watermark) {
		c.watermark = at
	}
}

type seenRecord struct {
	key string
	at  time.Time
}

func newChangeSet(since time.Time, seen []string) *changeSet {
	c := &changeSet{watermark: since, seen: map[string]bool{}, known: map[int64]heartland.SalesOrder{}, byID: map[int]*HeartlandOrderChange{}}
	for _, k := range seen {
		c.seen[k] = true
	}
	return c
}

// fresh reports whether a record's change is new to the sweep, and keeps
// it for the next round's overlap.
func (c *changeSet) fresh(id string, at time.Time) bool {
	at = at.UTC().Truncate(time.Second)
	key := id + "@" + at.Format(time.RFC3339)
	c.keep = append(c.keep, seenRecord{key, at})
	if at.After(c.watermark) {
		c.watermark = at
	}
	return !c.seen[key]
}

// touch records a change of a web order: its own (invoiceID 0) or an
// invoice's.
func (c *changeSet) touch(o heartland.SalesOrder, invoiceID int64) {
	orderID, ok := webOrderID(o.PublicID)
	if !ok {
		return
	}
	ch := c.byID[orderID]
	if ch == nil {
		ch = &HeartlandOrderChange{OrderID: orderID, HeartlandOrderID: o.ID}
		c.byID[orderID] = ch
	}
	ch.Status = o.Status
	if invoiceID != 0 && !slices.Contains(ch.InvoiceIDs, invoiceID) {
		ch.InvoiceIDs = append(ch.InvoiceIDs, invoiceID)
	}
}

func (c *changeSet) result() HeartlandChangesResult {
	if !c.unsettled.IsZero() && c.unsettled.Before(c.watermark) {
		c.watermark = c.unsettled
	}
	res := HeartlandChangesResult{Watermark: c.watermark.Format(time.RFC3339)}
	for _, r := range c.keep {
		if !r.at.Before(c.watermark.Add(-HeartlandChangesOverlap)) && !slices.Contains(res.Seen, r.key) {
			res.Seen = append(res.Seen, r.key)
		}
	}
	slices.Sort(res.Seen)
	for _, ch := range c.byID {
		slices.Sort(ch.InvoiceIDs)
		res.Orders = append(res.Orders, *ch)
	}
	slices.SortFunc(res.Orders, func(a, b HeartlandOrderChange) int { return a.OrderID - b.OrderID })
	return res
}

// webOrderID reads the BigCommerce order id out of a Heartland public_id
// "BC-<n>" (workflows.HeartlandOrderPublicID).
func webOrderID(publicID string) (int, bool) {
	rest, ok := strings.CutPrefix(publicID, "BC-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0
}

// HeartlandChangesRequest asks for the web orders changed in Heartland
// since a watermark.
type HeartlandChangesRequest struct {
	ConnectionID string `json:"connection_id"`
	// Watermark is the newest updated_at seen (RFC 3339); required.
	Watermark string `json:"watermark"`
	// Seen are the records the last round returned near its watermark
	// (HeartlandChangesResult.Seen), not to be reported twice.
	Seen []string `json:"seen,omitempty"`
	// Only limits the round to one kind of record (ChangesOfOrders or
	// ChangesOfInvoices), each kind then keeping its own watermark; empty
	// lists both.
	Only string `json:"only,omitempty"`
}

// Kinds of record a Heartland changes round may be limited to.
const (
	// ChangesOfOrders lists sales orders only (status, distribution).
	ChangesOfOrders = "orders"
	// ChangesOfInvoices lists invoices only, and the orders they belong to.
	ChangesOfInvoices = "invoices"
)

// HeartlandOrderChange is one web order that changed in Heartland.
type HeartlandOrderChange struct {
	// OrderID is the BigCommerce order id, from the public_id.
	OrderID          int    `json:"order_id"`
	HeartlandOrderID int64  `json:"heartland_order_id"`
	Status           string `json:"status"`
	// InvoiceIDs are its invoices that changed; empty when only the order did.
	InvoiceIDs []int64 `json:"invoice_ids,omitempty"`
}

// HeartlandChangesResult is one round of the Heartland sweep.
type HeartlandChangesResult struct {
	// Orders changed, by BigCommerce order id.
	Orders []HeartlandOrderChange `json:"orders,omitempty"`
	// Watermark is the newest updated_at seen, or the request's.
	Watermark string `json:"watermark"`
	// Seen is what the next round passes back.
	Seen []string `json:"seen,omitempty"`
	// Known counts the changed orders left out of Orders because their
	// workflow knows the change already (setAsideKnown); a long poll's
	// result counts those of all its rounds.
	Known int `json:"known,omitempty"`
}

// HeartlandChangesWait asks for a long poll of the Heartland sweep's
// rounds: invoices every Interval and sales orders every OrdersEvery-th
// round, each kind from its own watermark, until a round finds a changed
// web order or MaxWait passes.
type HeartlandChangesWait struct {
	ConnectionID string `json:"connection_id"`
	// Orders and Invoices are the two kinds' watermarks and seen records
	// (Only is set by the activity).
	Orders   HeartlandChangesRequest `json:"orders"`
	Invoices HeartlandChangesRequest `json:"invoices"`
	// Ticks counts the sweep's rounds; orders are listed when
	// Ticks % OrdersEvery == 0.
	Ticks       int `json:"ticks"`
	OrdersEvery int `json:"orders_every"`
	// Interval is the pause before each round.
	Interval time.Duration `json:"interval"`
	// MaxWait is how long the activity polls without news before it returns.
	MaxWait time.Duration `json:"max_wait"`
}

// HeartlandChangesWaitResult is where the long poll stopped: both kinds'
// watermarks, the orders that changed (none when it returned idle) and the
// rounds counted.
type HeartlandChangesWaitResult struct {
	Orders   HeartlandChangesResult `json:"orders"`
	Invoices HeartlandChangesResult `json:"invoices"`
	Ticks    int                    `json:"ticks"`
}

// changed lists the web orders either kind's round found.
func (r HeartlandChangesWaitResult) changed() bool {
	return len(r.Orders.Orders) > 0 || len(r.Invoices.Orders) > 0
}

// WaitHeartlandChanges runs the Heartland sweep's rounds inside one
// activity and returns as soon as one finds a changed web order (its
// orders are then in the result, for the workflow to signal), or after
// MaxWait of rounds that found none. The watermarks travel in the
// heartbeat, so a retried attempt resumes where this one was.
func (a *Orders) WaitHeartlandChanges(ctx context.Context, in HeartlandChangesWait) (HeartlandChangesWaitResult, error) {
	// An unknown connection fails at once, not after the first interval.
	if _, err := a.Connections.Get(in.ConnectionID); err != nil {
		return HeartlandChangesWaitResult{}, err
	}
	cur := HeartlandChangesWaitResult{
		Orders:   HeartlandChangesResult{Watermark: in.Orders.Watermark, Seen: in.Orders.Seen},
		Invoices: HeartlandChangesResult{Watermark: in.Invoices.Watermark, Seen: in.Invoices.Seen},
		Ticks:    in.Ticks,
	}
	if activity.HasHeartbeatDetails(ctx) {
		var hb HeartlandChangesWaitResult
		if err := activity.GetHeartbeatDetails(ctx, &hb); err == nil && hb.Invoices.Watermark != "" {
			cur = hb
		}
	}
	// A newer long poll of the connection here (the workflow moved on after
	// a signal) ends this one where it stands.
	ctx, superseded, done := registerLongPoll(ctx, heartlandSweepPoll{a}, in.ConnectionID)
	defer done()
	alive := startKeepAlive(ctx, cur)
	defer alive.stop()
	every := max(in.OrdersEvery, 1)
	deadline := time.Now().Add(in.MaxWait)
	for {
		switch pause(ctx, in.Interval) {
		case pauseCancelled:
			if superseded.Load() {
				return cur, nil
			}
			return HeartlandChangesWaitResult{}, ctx.Err()
		case pauseWorkerStops:
			return cur, nil
		}
		next := cur
		next.Orders.Orders, next.Invoices.Orders = nil, nil
		if cur.Ticks%every == 0 {
			res, err := a.ListHeartlandChanges(ctx, HeartlandChangesRequest{ConnectionID: in.ConnectionID,
				Watermark: cur.Orders.Watermark, Seen: cur.Orders.Seen, Only: ChangesOfOrders})
			if err != nil {
				if superseded.Load() {
					return cur, nil
				}
				return HeartlandChangesWaitResult{}, err
			}
			res.Known += cur.Orders.Known
			next.Orders = res
		}
		res, err := a.ListHeartlandChanges(ctx, HeartlandChangesRequest{ConnectionID: in.ConnectionID,
			Watermark: cur.Invoices.Watermark, Seen: cur.Invoices.Seen, Only: ChangesOfInvoices})
		if err != nil {
			if superseded.Load() {
				return cur, nil
			}
			return HeartlandChangesWaitResult{}, err
		}
		res.Known += cur.Invoices.Known
		next.Invoices = res
		next.Ticks++
		cur = next
		if cur.changed() || !time.Now().Before(deadline) {
			return cur, nil
		}
		alive.beat(cur)
	}
}
