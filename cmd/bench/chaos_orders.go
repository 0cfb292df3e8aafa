package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// orderDriver plays shopper, admin and store staff for the chaos test:
// it creates orders in the store, distributes each to two locations with
// the operator's command once imported, and invoices both locations.
type orderDriver struct {
	f       *Fakes
	starter *starter.Client
	shop    Shop
	conn    string

	mu      sync.Mutex
	created []int
	// problems are driver-side failures (not hrbc's), reported as such.
	problems    []string
	distributed atomic.Int64
	// inHeartland counts orders distributed by staff in Heartland.
	inHeartland atomic.Int64
	invoiced    atomic.Int64
	retries     atomic.Int64
}

// create makes order n in the store; the store's webhook brings it to hrbc.
func (d *orderDriver) create(n int) (int, error) {
	o, err := d.f.BC.AddOrder(d.shop.orderSeed(n))
	if err != nil {
		return 0, fmt.Errorf("create order %d: %w", n, err)
	}
	d.mu.Lock()
	d.created = append(d.created, o.ID)
	d.mu.Unlock()
	return o.ID, nil
}

// Created lists the store's order ids so far.
func (d *orderDriver) Created() []int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]int(nil), d.created...)
}

func (d *orderDriver) problem(format string, args ...any) {
	d.mu.Lock()
	d.problems = append(d.problems, fmt.Sprintf(format, args...))
	d.mu.Unlock()
}

// drive carries one order from import to its two invoices. Every other
// order is distributed by store staff in Heartland's own screens, behind
// hrbc's back, the rest with the operator's command.
func (d *orderDriver) drive(ctx context.Context, id int) {
	publicID := workflows.HeartlandOrderPublicID(id)
	var hl heartlandtest.OrderState
	if err := waitUntil(ctx, 250*time.Millisecond, "order "+publicID+" in Heartland", func() bool {
		var ok bool
		hl, ok = d.f.HL.OrderByPublicID(publicID)
		return ok && hl.Order.Status == "open" && len(hl.Lines) >= 2
	}); err != nil {
		d.problem("order %d: never imported: %v", id, err)
		return
	}
	line0, line1 := hl.Lines[0].ID, hl.Lines[1].ID
	req := workflows.DistributeOrderRequest{LocationID: d.shop.Main.ID,
		Lines: []workflows.LineAssignment{{LineID: line1, LocationID: d.shop.Warehouse.ID}}}
	distributed := func() bool {
		o, ok := d.f.HL.OrderByPublicID(publicID)
		if !ok {
			return false
		}
		want := map[int64]int64{line0: d.shop.Main.ID, line1: d.shop.Warehouse.ID}
		for _, l := range o.Lines {
			if w, ok := want[l.ID]; ok && (l.ShipFromLocationID == nil || *l.ShipFromLocationID != w) {
				return false
			}
		}
		return true
	}
	if id%2 == 0 {
		d.distributeInHeartland(id, hl.Order.ID, line0, line1)
	}
	for !distributed() {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		_, err := d.starter.DistributeOrder(cctx, d.conn, id, req)
		cancel()
		if err == nil || ctx.Err() != nil {
			break
		}
		d.retries.Add(1)
		if errors.Is(err, starter.ErrOrderRejected) && !sleepCtx(ctx, time.Second) {
			return
		}
		if !sleepCtx(ctx, 500*time.Millisecond) {
			return
		}
	}
	if err := waitUntil(ctx, 250*time.Millisecond, "order "+publicID+" distributed in Heartland", distributed); err != nil {
		d.problem("order %d: distribution never reached Heartland: %v", id, err)
		return
	}
	d.distributed.Add(1)
	for _, loc := range []int64{d.shop.Main.ID, d.shop.Warehouse.ID} {
		if _, err := d.f.HL.InvoiceOrderAt(hl.Order.ID, loc); err != nil {
			d.problem("order %d: invoice at location %d: %v", id, loc, err)
			continue
		}
		d.invoiced.Add(1)
		sleepCtx(ctx, 300*time.Millisecond)
	}
}

// distributeInHeartland sends line 0 to Main Street and line 1 to the
// Warehouse the way staff do in Heartland's distribute screen, one line at
// a time; hrbc is not told.
func (d *orderDriver) distributeInHeartland(id int, heartlandID, line0, line1 int64) {
	for _, l := range []struct{ line, loc int64 }{{line0, d.shop.Main.ID}, {line1, d.shop.Warehouse.ID}} {
		if _, err := d.f.HL.DistributeLines(heartlandID, l.loc, l.line); err != nil {
			d.problem("order %d: distribute line %d in Heartland: %v", id, l.line, err)
			return
		}
	}
	d.inHeartland.Add(1)
}
