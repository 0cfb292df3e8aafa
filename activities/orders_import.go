package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

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

// of returns the places of a connection.
func (s *importSlots) of(connectionID string) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byConn == nil {
		s.byConn = map[string]chan struct{}{}
	}
	ch, ok := s.byConn[connectionID]
	if !ok {
		ch = make(chan struct{}, importsPerConnection)
		s.byConn[connectionID] = ch
	}
	return ch
}

// tryAcquire takes a place only if one is free now (ok=false otherwise);
// release gives it back.
func (s *importSlots) tryAcquire(connectionID string) (release func(), ok bool) {
	ch := s.of(connectionID)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, true
	default:
		return nil, false
	}
}

// acquire waits for a place until ctx ends; release gives it back.
func (s *importSlots) acquire(ctx context.Context, connectionID string) (release func(), err error) {
	ch := s.of(connectionID)
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
// from the cache), where the separate activities cost fourteen; a Stamp
// adds one, where the order would otherwise read two when the Heartland
// sweep told it of its own import.
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
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (ImportSalesOrderResult, error) {
		stop := heartbeatEvery(ctx, importHeartbeat)
		defer stop()
		hl := cl.Heartland
		release, err := a.importSlot(ctx, req, hl)
		if err != nil {
			return ImportSalesOrderResult{}, err
		}
		release = sync.OnceFunc(release)
		defer release()
		existing, err := findSalesOrder(ctx, hl, req.PublicID)
		if err != nil {
			return ImportSalesOrderResult{}, err
		}
		if existing != nil {
			existing.Status = a.hrbcStatus(req.ConnectionID, hl, existing.Status)
		}
		if existing != nil && orderFinished(existing.Status) {
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
			SourceLocationID: req.SourceLocationID, ShippingCharge: req.ShippingCharge, Cancelled: req.Cancelled, Stamp: req.Stamp}
		for _, l := range req.Lines {
			sreq.Lines = append(sreq.Lines, SalesLine{OrderProductID: l.OrderProductID, ItemID: itemOf[l.SKU],
				Quantity: l.Quantity, UnitPrice: l.UnitPrice})
		}
		if existing == nil && req.InPlace && !timeToWrite(ctx) {
			return ImportSalesOrderResult{}, importBusy(req, "too little of its time left to create the order")
		}
		if existing == nil {
			// An order found already has its customer; only a new one needs it.
			if sreq.Customer, err = ensureCustomer(ctx, hl, req.Email, req.Billing, req.Shipping); err != nil {
				return ImportSalesOrderResult{}, err
			}
		}
		ref, err := a.ensureSalesOrder(ctx, hl, existing, sreq, release)
		if err != nil {
			return ImportSalesOrderResult{}, err
		}
		// Listed last: a source location the cache did not know yet has just
		// refreshed it.
		locs, err := a.locations(ctx, req.ConnectionID, hl)
		if err != nil {
			return ImportSalesOrderResult{}, err
		}
		if !orderFinished(ref.Status) {
			tellInventory(ctx, req.TellInventory, distinctItems(sreq.Lines))
		}
		return ImportSalesOrderResult{Order: ref, Locations: toLocations(locs)}, nil
	})
}

// importSlot takes the connection's import slot for req: at once or not at
// all for an import InPlace (ErrTypeImportBusy, when the slots are taken or
// Heartland's pacing has calls queued), otherwise waiting its turn.
func (a *Orders) importSlot(ctx context.Context, req ImportSalesOrderRequest, hl *heartland.Client) (release func(), err error) {
	if req.InPlace {
		if avail, _, paced := hl.Pacing(); paced && avail < 0 {
			return nil, importBusy(req, "Heartland's pacing has calls queued")
		}
		release, ok := a.imports.tryAcquire(req.ConnectionID)
		if !ok {
			return nil, importBusy(req, "its connection's imports are all taken")
		}
		return release, nil
	}
	return a.imports.acquire(ctx, req.ConnectionID)
}

// inPlaceWriteMargin is the time an import InPlace must have left before
// it creates anything. Its deadline is short (the workflow task waits on
// it), and a create cut off by that deadline may still reach Heartland
// after the import that takes over has looked the order up and found
// nothing: the order would be created twice. Refused before its writes, it
// leaves them all to the activity that follows.
const inPlaceWriteMargin = 2 * time.Second

// timeToWrite reports whether ctx leaves an import InPlace the time for
// its writes.
func timeToWrite(ctx context.Context) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Until(dl) >= inPlaceWriteMargin
}

// importBusy is the refusal of an import InPlace that would have to wait.
func importBusy(req ImportSalesOrderRequest, why string) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("import of %s cannot start at once: %s", req.PublicID, why), ErrTypeImportBusy, nil)
}

// orderFinished reports whether a Heartland order's status is closed or
// canceled: an order an import no longer writes to.
func orderFinished(status string) bool {
	return status == heartland.OrderClosed || status == heartland.OrderCanceled
}

// resolveItems looks every SKU up in one call.
func resolveItems(ctx context.Context, hl *heartland.Client, skus []string) (ResolveItemsResult, error) {
	items, err := hl.ItemsByPublicIDs(ctx, skus)
	if err != nil {
		return ResolveItemsResult{}, heartlandError("look up Heartland items by SKU", err)
	}
	byPublicID := make(map[string]int64, len(items))
	for _, it := range items {
		byPublicID[it.PublicID] = it.ID
	}
	var res ResolveItemsResult
	for _, sku := range skus {
		if id, ok := byPublicID[sku]; ok {
			res.Items = append(res.Items, ResolvedItem{SKU: sku, ItemID: id})
		} else {
			res.Missing = append(res.Missing, sku)
		}
	}
	return res, nil
}

// FindSalesOrder looks the Heartland order up by its public_id, the durable
// marker that keeps an order from being imported twice.
func (a *Orders) FindSalesOrder(ctx context.Context, req FindSalesOrderRequest) (FindSalesOrderResult, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (FindSalesOrderResult, error) {
		o, err := findSalesOrder(ctx, cl.Heartland, req.PublicID)
		if err != nil || o == nil {
			return FindSalesOrderResult{}, err
		}
		return FindSalesOrderResult{Found: true, ID: o.ID, Status: a.hrbcStatus(req.ConnectionID, cl.Heartland, o.Status)}, nil
	})
}

// findSalesOrder returns the order with this public_id, or nil.
func findSalesOrder(ctx context.Context, hl *heartland.Client, publicID string) (*heartland.SalesOrder, error) {
	o, err := hl.FindSalesOrderByPublicID(ctx, publicID)
	if errors.Is(err, heartland.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, heartlandError("find Heartland order "+publicID, err)
	}
	return &o, nil
}

// ResolvedItem pairs a SKU with its Heartland item.
type ResolvedItem struct {
	SKU    string `json:"sku"`
	ItemID int64  `json:"item_id"`
}

// ResolveItemsResult lists what was found, in the order asked, and the SKUs
// that have no Heartland item.
type ResolveItemsResult struct {
	Items   []ResolvedItem `json:"items"`
	Missing []string       `json:"missing,omitempty"`
}

// EnsureSalesOrderRequest finds the order by its public_id or creates it.
type EnsureSalesOrderRequest struct {
	ConnectionID     string      `json:"connection_id"`
	PublicID         string      `json:"public_id"`
	Customer         CustomerRef `json:"customer"`
	SourceLocationID int64       `json:"source_location_id"`
	ShippingCharge   string      `json:"shipping_charge"`
	Lines            []SalesLine `json:"lines"`
	// Cancelled records an order BigCommerce cancelled or declined before
	// hrbc saw it: it is kept as a canceled sales order, never released.
	Cancelled bool `json:"cancelled,omitempty"`
	// Stamp asks for SalesOrderRef.Stamp: a call more (and a new order
	// released before its lines are read), which spares the order the
	// Heartland sweep's word of its own import.
	Stamp bool `json:"stamp,omitempty"`
}

// ImportLine is a BigCommerce line to carry to Heartland by its SKU.
type ImportLine struct {
	OrderProductID int    `json:"order_product_id"`
	SKU            string `json:"sku"`
	Quantity       int    `json:"quantity"`
	UnitPrice      string `json:"unit_price"`
}

// ImportSalesOrderRequest is everything an import needs to know of the
// BigCommerce order, so that the activity asks BigCommerce nothing.
type ImportSalesOrderRequest struct {
	ConnectionID     string       `json:"connection_id"`
	PublicID         string       `json:"public_id"`
	SourceLocationID int64        `json:"source_location_id"`
	Email            string       `json:"email"`
	Billing          OrderAddress `json:"billing"`
	Shipping         OrderAddress `json:"shipping"`
	ShippingCharge   string       `json:"shipping_charge"`
	Lines            []ImportLine `json:"lines"`
	// Cancelled is as in EnsureSalesOrderRequest.
	Cancelled bool `json:"cancelled,omitempty"`
	// TellInventory, when set, is told the order's items once the order
	// is open in Heartland, its stock committed.
	TellInventory *InventoryTell `json:"tell_inventory,omitempty"`
	// Stamp is as in EnsureSalesOrderRequest.
	Stamp bool `json:"stamp,omitempty"`
	// InPlace asks for an import that starts at once or not at all: with
	// its connection's import slots taken, or calls queued behind
	// Heartland's pacing, it returns ErrTypeImportBusy before it calls
	// anything. The Order workflow runs such an import as a local
	// activity, inside the workflow task that read the order, and a busy
	// one as a regular activity that waits its turn.
	InPlace bool `json:"in_place,omitempty"`
}

// ImportSalesOrderResult is the Heartland order of an import, or why there
// is none yet.
type ImportSalesOrderResult struct {
	// Order is the sales order, its lines in BigCommerce's order; a closed
	// or canceled one (an earlier import, finished) comes without lines.
	Order SalesOrderRef `json:"order"`
	// Missing lists SKUs without a Heartland item; nothing was written.
	Missing []string `json:"missing,omitempty"`
	// Locations are the Heartland locations the order may ship from.
	Locations []Location `json:"locations,omitempty"`
}

// FindSalesOrderRequest looks an order up by its durable marker.
type FindSalesOrderRequest struct {
	ConnectionID string `json:"connection_id"`
	PublicID     string `json:"public_id"`
}

// FindSalesOrderResult reports whether the order exists, and its status.
type FindSalesOrderResult struct {
	Found  bool   `json:"found"`
	ID     int64  `json:"id,omitempty"`
	Status string `json:"status,omitempty"`
}
