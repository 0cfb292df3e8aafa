package heartlandtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
)

// StateVersion is the version SaveState writes and the only one LoadState
// accepts.
const StateVersion = 1

// ErrStateVersion is returned (wrapped) by LoadState for a state of another
// version, so a caller can tell "written by another release" from "damaged".
var ErrStateVersion = errors.New("unknown state version")

// state is the account as SaveState writes it: every collection with its
// id counter, the grid counter and the stock maps as rows.
type state struct {
	Version     int                        `json:"version"`
	Collections map[string]collectionState `json:"collections"`
	Grids       int64                      `json:"grids"`
	OnHand      []stockRow                 `json:"on_hand"`
	Committed   []stockRow                 `json:"committed"`
}

type collectionState struct {
	Next int64 `json:"next"`
	Docs []doc `json:"docs"`
}

type stockRow struct {
	ItemID     int64           `json:"item_id"`
	LocationID int64           `json:"location_id"`
	Qty        decimal.Decimal `json:"qty"`
}

// collections names every table for the saved form. A table missing here
// would silently start empty after a load; TestStateCoversEveryCollection
// keeps the list complete.
func (s *Server) collections() map[string]*collection {
	return map[string]*collection{
		"items": s.items, "custom_fields": s.customFields, "locations": s.locations, "stations": s.stations,
		"customers": s.customers, "addresses": s.addresses, "sales_orders": s.orders, "sales_order_lines": s.orderLines,
		"payments": s.payments, "invoices": s.invoices, "invoice_lines": s.invoiceLines, "tickets": s.tickets,
		"ticket_lines": s.ticketLines, "payment_types": s.paymentTypes, "webhooks": s.webhooks,
		"adjustment_sets": s.adjSets, "adjustment_lines": s.adjLines, "adjustment_reasons": s.adjReasons,
		"inventory_transactions": s.invTx,
	}
}

// SaveState writes the account's whole state (every record with the id
// counters, grids, on-hand and committed stock, inventory transactions,
// webhook subscriptions) as versioned JSON that LoadState reads back.
// Configuration (token, faults, clock) and in-flight webhook deliveries are
// not state. The output is deterministic, so callers can skip writing when
// nothing changed.
func (s *Server) SaveState(w io.Writer) error {
	s.mu.Lock()
	// Marshal under the lock: the handlers update records in place.
	b, err := json.Marshal(s.snapshot())
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("heartlandtest: encode state: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("heartlandtest: write state: %w", err)
	}
	return nil
}

// snapshot builds the saved form. Caller holds mu.
func (s *Server) snapshot() state {
	out := state{Version: StateVersion, Collections: map[string]collectionState{}, Grids: s.grids,
		OnHand: stockRows(s.onHand), Committed: stockRows(s.committed)}
	for name, c := range s.collections() {
		out.Collections[name] = collectionState{Next: c.next, Docs: c.all()}
	}
	return out
}

func stockRows(m map[position]decimal.Decimal) []stockRow {
	out := make([]stockRow, 0, len(m))
	for p, q := range m {
		out = append(out, stockRow{p.item, p.loc, q})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ItemID != out[j].ItemID {
			return out[i].ItemID < out[j].ItemID
		}
		return out[i].LocationID < out[j].LocationID
	})
	return out
}

// LoadState replaces the account's whole state with one SaveState wrote,
// e.g. right after Listen so a sandbox continues where it stopped. The
// state is checked before anything changes: on an error (another version,
// damaged JSON, records that contradict each other) the account is
// untouched.
func (s *Server) LoadState(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("heartlandtest: read state: %w", err)
	}
	var head struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("heartlandtest: decode state: %w", err)
	}
	if head.Version != StateVersion {
		return fmt.Errorf("heartlandtest: state version %d, this build reads version %d: %w", head.Version, StateVersion, ErrStateVersion)
	}
	// Records hold numbers as json.Number, as readBody stores them; float64
	// would change how ids, quantities and filters compare.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var in state
	if err := dec.Decode(&in); err != nil {
		return fmt.Errorf("heartlandtest: decode state: %w", err)
	}
	// A table the state does not name starts empty; a name this build does
	// not know (written by a later one) is dropped.
	tables := map[string]*collection{}
	for name := range s.collections() {
		c, err := in.Collections[name].build()
		if err != nil {
			return fmt.Errorf("heartlandtest: state: collection %s: %w", name, err)
		}
		tables[name] = c
	}
	onHand, err := stockMap(in.OnHand, tables)
	if err != nil {
		return fmt.Errorf("heartlandtest: state: on hand: %w", err)
	}
	committed, err := stockMap(in.Committed, tables)
	if err != nil {
		return fmt.Errorf("heartlandtest: state: committed: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Tables are filled in place: the handlers hold these pointers.
	for name, c := range s.collections() {
		c.next, c.docs, c.ids = tables[name].next, tables[name].docs, tables[name].ids
	}
	s.grids, s.onHand, s.committed = in.Grids, onHand, committed
	return nil
}

// build checks a saved table: every record has a unique id the counter
// has already handed out, so the next insert cannot overwrite one.
func (cs collectionState) build() (*collection, error) {
	c := &collection{next: cs.Next, docs: make(map[int64]doc, len(cs.Docs))}
	for _, d := range cs.Docs {
		id, ok := asInt(d["id"])
		if !ok || id <= 0 || c.docs[id] != nil {
			return nil, fmt.Errorf("record id %v missing or repeated", d["id"])
		}
		if id > c.next {
			return nil, fmt.Errorf("record id %d is beyond the id counter %d: new records would reuse ids", id, c.next)
		}
		c.docs[id] = d
		c.ids = append(c.ids, id)
	}
	slices.Sort(c.ids)
	return c, nil
}

func stockMap(rows []stockRow, tables map[string]*collection) (map[position]decimal.Decimal, error) {
	out := make(map[position]decimal.Decimal, len(rows))
	for _, r := range rows {
		p := position{r.ItemID, r.LocationID}
		_, item := tables["items"].get(r.ItemID)
		_, loc := tables["locations"].get(r.LocationID)
		if _, dup := out[p]; !item || !loc || dup {
			return nil, fmt.Errorf("row item %d at location %d: unknown item or location, or repeated", r.ItemID, r.LocationID)
		}
		out[p] = r.Qty
	}
	return out, nil
}
