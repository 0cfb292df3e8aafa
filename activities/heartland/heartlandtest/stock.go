package heartlandtest

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"
)

// Stock is kept as on-hand per (item, location); committed is derived from
// open sales orders (each undelivered line quantity, at its ship-from
// location or, while undistributed, at the order's source location), and
// available = on hand - committed. Every change of on-hand stock is written
// to inventory transactions so "what moved since T" can be answered; a
// change of committed stock only with WithCommitmentTransactions (real
// Heartland very likely does not log commitments).

// moveOnHand changes on-hand stock and records the movement.
func (s *Server) moveOnHand(item, loc int64, delta decimal.Decimal, kind, srcType string, srcID int64) {
	if delta.IsZero() {
		return
	}
	p := position{item, loc}
	s.onHand[p] = s.onHand[p].Add(delta)
	s.recordTx(p, delta, decimal.Zero, kind, srcType, srcID)
}

func (s *Server) recordTx(p position, onHand, committed decimal.Decimal, kind, srcType string, srcID int64) {
	s.invTx.insert(doc{
		"item_id": num(p.item), "location_id": num(p.loc), "type": kind,
		"qty": dnum(onHand), "qty_committed": dnum(committed),
		"source_type": srcType, "source_id": num(srcID), "created_at": s.stamp(),
	})
}

func (s *Server) computeCommitted() map[position]decimal.Decimal {
	out := map[position]decimal.Decimal{}
	// One pass over the lines, not one per order: it runs on every order
	// and invoice change.
	lines := map[int64][]doc{}
	for _, l := range s.orderLines.all() {
		id := getInt(l, "order_id")
		lines[id] = append(lines[id], l)
	}
	for _, o := range s.orders.all() {
		if getStr(o, "status") != statusOpen {
			continue
		}
		src := getInt(o, "source_location_id")
		for _, l := range lines[getInt(o, "id")] {
			rem := getDec(l, "qty").Sub(getDec(l, "qty_invoiced"))
			if !rem.IsPositive() {
				continue
			}
			loc := getInt(l, "ship_from_location_id")
			if loc == 0 {
				loc = src
			}
			p := position{getInt(l, "item_id"), loc}
			out[p] = out[p].Add(rem)
		}
	}
	return out
}

// syncCommitments recomputes committed stock after an order or invoice
// change; with WithCommitmentTransactions it records a transaction for
// every position whose commitment moved.
func (s *Server) syncCommitments(srcType string, srcID int64) {
	next := s.computeCommitted()
	keys := map[position]bool{}
	for p := range next {
		keys[p] = true
	}
	for p := range s.committed {
		keys[p] = true
	}
	for _, p := range sortedPositions(keys) {
		if d := next[p].Sub(s.committed[p]); !d.IsZero() && s.commitmentTx {
			s.recordTx(p, decimal.Zero, d, "commitment", srcType, srcID)
		}
	}
	s.committed = next
}

func sortedPositions(m map[position]bool) []position {
	out := make([]position, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].item != out[j].item {
			return out[i].item < out[j].item
		}
		return out[i].loc < out[j].loc
	})
	return out
}

// valueRow builds one ungrouped /inventory/values row.
func (s *Server) valueRow(p position) doc {
	on, com := s.onHand[p], s.committed[p]
	it, _ := s.items.get(p.item)
	return doc{
		"item_id": num(p.item), "location_id": num(p.loc),
		"qty": dnum(on), "qty_on_hand": dnum(on), "qty_committed": dnum(com), "qty_available": dnum(on.Sub(com)),
		"qty_on_po": num(0), "qty_in_transit": num(0), "unit_cost": dnum(getDec(it, "cost")),
	}
}

var qtyFields = []string{"qty", "qty_on_hand", "qty_committed", "qty_available", "qty_on_po", "qty_in_transit"}

func (s *Server) inventoryValues(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	keys := map[position]bool{}
	for p := range s.onHand {
		keys[p] = true
	}
	for p := range s.committed {
		keys[p] = true
	}
	rows := make([]doc, 0, len(keys))
	for _, p := range sortedPositions(keys) {
		rows = append(rows, s.valueRow(p))
	}
	lp, err := parseList(r)
	if err != nil {
		return err
	}
	if rows, err = filterRows(rows, lp.filters); err != nil {
		return err
	}
	byItem, byLoc := false, false
	for _, g := range q["group[]"] {
		switch g {
		case "item_id":
			byItem = true
		case "location_id":
			byLoc = true
		default:
			return errBadRequest("unsupported group " + strconv.Quote(g))
		}
	}
	type key struct{ item, loc int64 }
	agg := map[key]doc{}
	var order []key
	for _, row := range rows {
		k := key{}
		if byItem {
			k.item = getInt(row, "item_id")
		}
		if byLoc {
			k.loc = getInt(row, "location_id")
		}
		a, ok := agg[k]
		if !ok {
			a = doc{}
			if byItem {
				a["item_id"] = num(k.item)
				a["unit_cost"] = row["unit_cost"]
			}
			if byLoc {
				a["location_id"] = num(k.loc)
			}
			for _, f := range qtyFields {
				a[f] = num(0)
			}
			agg[k] = a
			order = append(order, k)
		}
		for _, f := range qtyFields {
			a[f] = dnum(getDec(a, f).Add(getDec(row, f)))
		}
	}
	out := make([]doc, 0, len(order))
	for _, k := range order {
		a := agg[k]
		if q.Get("exclude_empty_locations") == "true" && getDec(a, "qty_on_hand").IsZero() && getDec(a, "qty_committed").IsZero() {
			continue
		}
		out = append(out, a)
	}
	sortRows(out, lp.sorts)
	// Filters already ran on the ungrouped rows; strip them before paging.
	r2 := r.Clone(r.Context())
	q2 := r2.URL.Query()
	for k := range q2 {
		if !reservedParams[k] || k == "_filter" || k == "_filter[]" {
			q2.Del(k)
		}
	}
	r2.URL.RawQuery = q2.Encode()
	renderList(w, r2, out, func(d doc, rel string) (any, bool) {
		switch rel {
		case "item":
			it, ok := s.items.get(getInt(d, "item_id"))
			return it, ok
		case "location":
			l, ok := s.locations.get(getInt(d, "location_id"))
			return l, ok
		}
		return nil, false
	})
	return nil
}

func (s *Server) inventoryTransactions(w http.ResponseWriter, r *http.Request) error {
	if s.noTx {
		return errNotFound("Route")
	}
	renderList(w, r, s.invTx.all(), nil)
	return nil
}

// ---- adjustment sets ----

func (s *Server) listReasons(w http.ResponseWriter, r *http.Request) error {
	renderList(w, r, s.adjReasons.all(), nil)
	return nil
}

func (s *Server) createAdjSet(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	d := doc{"status": statusPending, "description": "", "created_at": s.stamp()}
	mergeInto(d, body)
	if d["location_id"] == nil {
		return errField("location_id", "can't be blank")
	}
	if err := normID(d, "location_id", s.locations); err != nil {
		return err
	}
	if err := normID(d, "adjustment_reason_id", s.adjReasons); err != nil {
		return err
	}
	id := s.adjSets.insert(d)
	return s.created(w, r, "inventory/adjustment_sets/"+strconv.FormatInt(id, 10), d)
}

func (s *Server) getAdjSet(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.adjSets, "Adjustment set")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) updateAdjSet(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.adjSets, "Adjustment set")
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if st := getStr(body, "status"); st != "" {
		if st != "complete" && st != statusPending {
			return errField("status", "is not included in the list")
		}
		d["status"] = st
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) listAdjLines(w http.ResponseWriter, r *http.Request) error {
	_, id, err := lookup(r, s.adjSets, "Adjustment set")
	if err != nil {
		return err
	}
	renderList(w, r, s.adjLines.where(func(l doc) bool { return getInt(l, "adjustment_set_id") == id }), nil)
	return nil
}

// createAdjLine posts a delta immediately (UNCONFIRMED whether real sets
// wait for a status change; hrbc's client completes sets anyway).
func (s *Server) createAdjLine(w http.ResponseWriter, r *http.Request) error {
	set, id, err := lookup(r, s.adjSets, "Adjustment set")
	if err != nil {
		return err
	}
	if getStr(set, "status") == "complete" {
		return errField("status", "adjustment set is complete")
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	l := doc{}
	mergeInto(l, body)
	if l["item_id"] == nil {
		return errField("item_id", "can't be blank")
	}
	if err := normID(l, "item_id", s.items); err != nil {
		return err
	}
	qty, ok := asDec(l["qty"])
	if !ok || qty.IsZero() {
		return errField("qty", "must be a non-zero number")
	}
	if err := normNumbers(l, "qty", "unit_cost"); err != nil {
		return err
	}
	l["adjustment_set_id"] = num(id)
	lid := s.adjLines.insert(l)
	s.moveOnHand(getInt(l, "item_id"), getInt(set, "location_id"), qty, "adjustment", "AdjustmentSet", id)
	return s.created(w, r, "inventory/adjustment_sets/"+strconv.FormatInt(id, 10)+"/lines/"+strconv.FormatInt(lid, 10), l)
}
