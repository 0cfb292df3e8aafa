package heartlandtest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/shopspring/decimal"
)

// SaleLine is one line rung up at the POS.
type SaleLine struct {
	PublicID  string
	Qty       heartland.Qty
	UnitPrice *heartland.Money // nil: the item's price
}

func (s *Server) firstStation(locationID int64) (doc, error) {
	if _, ok := s.locations.get(locationID); !ok {
		return nil, fmt.Errorf("heartlandtest: no location %d", locationID)
	}
	sts := s.stations.where(func(st doc) bool { return getInt(st, "location_id") == locationID })
	if len(sts) == 0 {
		return nil, fmt.Errorf("heartlandtest: location %d has no station", locationID)
	}
	return sts[0], nil
}

func (s *Server) itemByPID(pid string) (doc, error) {
	for _, it := range s.items.all() {
		if getStr(it, "public_id") == pid {
			return it, nil
		}
	}
	return nil, fmt.Errorf("heartlandtest: no item with public_id %q", pid)
}

// RingUpSale completes a POS ticket at a location, as store staff would: on
// hand drops at that location (it may go negative, as POS allows) and
// sales_transaction_completed is emitted.
func (s *Server) RingUpSale(locationID int64, lines ...SaleLine) (heartland.Transaction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(lines) == 0 {
		return heartland.Transaction{}, errors.New("heartlandtest: a sale needs lines")
	}
	st, err := s.firstStation(locationID)
	if err != nil {
		return heartland.Transaction{}, err
	}
	type resolved struct {
		item       doc
		qty, price decimal.Decimal
	}
	var rs []resolved
	total := decimal.Zero
	for _, l := range lines {
		it, err := s.itemByPID(l.PublicID)
		if err != nil {
			return heartland.Transaction{}, err
		}
		if !l.Qty.IsPositive() {
			return heartland.Transaction{}, fmt.Errorf("heartlandtest: qty of %s must be positive", l.PublicID)
		}
		price := getDec(it, "price")
		if l.UnitPrice != nil {
			price = l.UnitPrice.Decimal
		}
		rs = append(rs, resolved{it, l.Qty.Decimal, price})
		total = total.Add(l.Qty.Decimal.Mul(price))
	}
	now := s.stamp()
	t := doc{"type": "Ticket", "public_id": "", "status": "complete", "completed": true, "completed_at": now,
		"local_completed_at": now, "source_location_id": num(locationID), "station_id": st["id"], "customer_id": nil,
		"subtotal": dnum(total), "tax_total": num(0), "total": dnum(total), "total_paid": dnum(total), "balance": num(0),
		"created_at": now, "updated_at": now}
	id := s.tickets.insert(t)
	t["public_id"] = "T-" + strconv.FormatInt(id, 10)
	for _, r := range rs {
		s.ticketLines.insert(doc{"ticket_id": num(id), "type": "ItemLine", "item_id": r.item["id"],
			"item_public_id": r.item["public_id"], "description": r.item["description"], "qty": dnum(r.qty),
			"unit_price": dnum(r.price), "adjusted_unit_price": dnum(r.price), "value": dnum(r.qty.Mul(r.price))})
		s.moveOnHand(getInt(r.item, "id"), locationID, r.qty.Neg(), "sale", "Ticket", id)
	}
	s.emit(eventSalesTransactionCompleted, t)
	return decodeAs[heartland.Transaction](t), nil
}

// ReceiveStock adds qty of an item to on hand at a location (a receipt).
func (s *Server) ReceiveStock(locationID int64, publicID string, qty heartland.Qty) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.locations.get(locationID); !ok {
		return fmt.Errorf("heartlandtest: no location %d", locationID)
	}
	it, err := s.itemByPID(publicID)
	if err != nil {
		return err
	}
	if !qty.IsPositive() {
		return errors.New("heartlandtest: received qty must be positive")
	}
	s.moveOnHand(getInt(it, "id"), locationID, qty.Decimal, "receipt", "Receipt", 0)
	return nil
}

// DistributeOrder sets every undistributed line of an order to ship from a
// location, as an admin's "Distribute" would.
func (s *Server) DistributeOrder(orderID, locationID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders.get(orderID)
	if !ok {
		return fmt.Errorf("heartlandtest: no sales order %d", orderID)
	}
	if _, ok := s.locations.get(locationID); !ok {
		return fmt.Errorf("heartlandtest: no location %d", locationID)
	}
	if err := s.editable(o); err != nil {
		return err
	}
	for _, l := range s.orderLinesOf(orderID) {
		if l["ship_from_location_id"] == nil {
			l["ship_from_location_id"] = num(locationID)
		}
	}
	s.syncCommitments("SalesOrder", orderID)
	return nil
}

// DistributeLines sets lines of an order to ship from a location, as store
// staff do in Heartland's distribute screen: the same change as a line PUT
// of ship_from_location_id, the order's updated_at moved with it. No line
// ids means every undistributed line. It returns the ids of the lines it
// distributed.
func (s *Server) DistributeLines(orderID, locationID int64, lineIDs ...int64) ([]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders.get(orderID)
	if !ok {
		return nil, fmt.Errorf("heartlandtest: no sales order %d", orderID)
	}
	if _, ok := s.locations.get(locationID); !ok {
		return nil, fmt.Errorf("heartlandtest: no location %d", locationID)
	}
	if err := s.editable(o); err != nil {
		return nil, err
	}
	var done []int64
	for _, l := range s.orderLinesOf(orderID) {
		id := getInt(l, "id")
		named := slices.Contains(lineIDs, id)
		if (len(lineIDs) > 0 && !named) || (len(lineIDs) == 0 && l["ship_from_location_id"] != nil) {
			continue
		}
		if getInt(l, "ship_from_location_id") != locationID && getDec(l, "qty_invoiced").IsPositive() {
			return nil, errField("ship_from_location_id", "cannot change after the line is invoiced")
		}
		l["ship_from_location_id"] = num(locationID)
		done = append(done, id)
	}
	for _, id := range lineIDs {
		if !slices.Contains(done, id) {
			return nil, fmt.Errorf("heartlandtest: sales order %d has no line %d", orderID, id)
		}
	}
	s.refreshOrder(o)
	s.syncCommitments("SalesOrder", orderID)
	return done, nil
}

// InvoiceOrderAt invoices and completes the lines of an open order
// distributed to a location, as that store's staff would: stock is consumed
// there, the commitment released, and the order closes once fully invoiced.
func (s *Server) InvoiceOrderAt(orderID, locationID int64) (heartland.Invoice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.firstStation(locationID)
	if err != nil {
		return heartland.Invoice{}, err
	}
	inv, err := s.newInvoice(doc{"order_id": num(orderID), "source_location_id": num(locationID), "station_id": st["id"]}, false)
	if err != nil {
		return heartland.Invoice{}, err
	}
	s.completeInvoice(inv)
	return decodeAs[heartland.Invoice](inv), nil
}
