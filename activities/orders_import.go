package activities

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/hrbc/hrbc/activities/heartland"
)

// importsPerConnection bounds the imports of one connection that talk to
// Heartland at once. Heartland is paced per connection: twenty imports at
// once interleave their calls and all finish at the end of a burst, two at
// a time finish one pair after another at the same overall rate, and leave
// room in the pace for other work (inventory) in between. Two rather than
// one, so that one import's time on the network never leaves the pace idle.
const importsPerConnection = 2

// importHeartbeat is how often an import reports that it is alive.
const importHeartbeat = 10 * time.Second

// heartbeatEvery records a heartbeat every d until stop is called.
func heartbeatEvery(ctx context.Context, d time.Duration) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx)
			}
		}
	}()
	return func() { close(done) }
}

// importSlots hands out those places, first come first served (goroutines
// blocked on a channel are woken in order). The zero value is ready.
type importSlots struct {
	mu     sync.Mutex
	byConn map[string]chan struct{}
}

// acquire waits for a place until ctx ends; release gives it back.
func (s *importSlots) acquire(ctx context.Context, connectionID string) (release func(), err error) {
	s.mu.Lock()
	if s.byConn == nil {
		s.byConn = map[string]chan struct{}{}
	}
	ch, ok := s.byConn[connectionID]
	if !ok {
		ch = make(chan struct{}, importsPerConnection)
		s.byConn[connectionID] = ch
	}
	s.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		// A timeout here is the queue's, not Heartland's: Temporal retries.
		return nil, fmt.Errorf("wait for a Heartland import slot of connection %q: %w", connectionID, ctx.Err())
	}
}

// ImportSalesOrder brings a BigCommerce order, as the workflow read it, into
// Heartland in one activity: find the sales order by its public_id; resolve
// the SKUs; find or create the customer and its addresses; create the
// order with its lines and release it. A new order with a new customer
// costs eight Heartland calls (seven with CreateOrdersOpen; locations come
// from the cache), where the separate activities cost fourteen.
//
// It heartbeats throughout, queue included: its start-to-close timeout is
// long enough for a flash sale's queue, and the heartbeat is what notices a
// worker that died meanwhile.
//
// Every step looks up before it creates, so a rerun after a crash anywhere
// finishes the job and creates nothing twice. An order found closed or
// canceled (an earlier import, finished) is returned as it is; unknown SKUs
// are returned before anything is written.
func (a *Orders) ImportSalesOrder(ctx context.Context, req ImportSalesOrderRequest) (ImportSalesOrderResult, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return ImportSalesOrderResult{}, err
	}
	stop := heartbeatEvery(ctx, importHeartbeat)
	defer stop()
	release, err := a.imports.acquire(ctx, req.ConnectionID)
	if err != nil {
		return ImportSalesOrderResult{}, err
	}
	defer release()
	hl := cl.Heartland
	existing, err := findSalesOrder(ctx, hl, req.PublicID)
	if err != nil {
		return ImportSalesOrderResult{}, err
	}
	if existing != nil && (existing.Status == heartland.OrderClosed || existing.Status == heartland.OrderCanceled) {
		return ImportSalesOrderResult{Order: SalesOrderRef{ID: existing.ID, Status: existing.Status}}, nil
	}

	skus := make([]string, 0, len(req.Lines))
	for _, l := range req.Lines {
		if !slices.Contains(skus, l.SKU) {
			skus = append(skus, l.SKU)
		}
	}
	resolved, err := resolveItems(ctx, hl, skus)
	if err != nil {
		return ImportSalesOrderResult{}, err
	}
	if len(resolved.Missing) > 0 {
		return ImportSalesOrderResult{Missing: resolved.Missing}, nil
	}
	itemOf := make(map[string]int64, len(resolved.Items))
	for _, it := range resolved.Items {
		itemOf[it.SKU] = it.ItemID
	}
	sreq := EnsureSalesOrderRequest{ConnectionID: req.ConnectionID, PublicID: req.PublicID,
		SourceLocationID: req.SourceLocationID, ShippingCharge: req.ShippingCharge}
	for _, l := range req.Lines {
		sreq.Lines = append(sreq.Lines, SalesLine{OrderProductID: l.OrderProductID, ItemID: itemOf[l.SKU],
			Quantity: l.Quantity, UnitPrice: l.UnitPrice})
	}
	if existing == nil {
		// An order found already has its customer; only a new one needs it.
		if sreq.Customer, err = ensureCustomer(ctx, hl, req.Email, req.Billing, req.Shipping); err != nil {
			return ImportSalesOrderResult{}, err
		}
	}
	ref, err := a.ensureSalesOrder(ctx, hl, existing, sreq)
	if err != nil {
		return ImportSalesOrderResult{}, err
	}
	// Listed last: a source location the cache did not know yet has just
	// refreshed it.
	locs, err := a.locations(ctx, req.ConnectionID, hl)
	if err != nil {
		return ImportSalesOrderResult{}, err
	}
	return ImportSalesOrderResult{Order: ref, Locations: toLocations(locs)}, nil
}
