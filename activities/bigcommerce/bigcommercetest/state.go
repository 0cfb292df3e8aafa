package bigcommercetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// StateVersion is the version SaveState writes and the only one LoadState
// accepts.
const StateVersion = 1

// ErrStateVersion is returned (wrapped) by LoadState for a state of another
// version, so a caller can tell "written by another release" from "damaged".
var ErrStateVersion = errors.New("unknown state version")

// state is the store as SaveState writes it. Records use the API types, so
// the file reads like the API's own answers; the store's internal types
// (stock keys, order records) get explicit rows because their fields are
// unexported.
type state struct {
	Version         int                      `json:"version"`
	IDs             map[string]int           `json:"ids"`
	Products        []bc.Product             `json:"products"`
	Variants        []bc.Variant             `json:"variants"`
	VariantIDs      map[int][]int            `json:"variant_ids"`
	CustomFields    map[int][]bc.CustomField `json:"custom_fields"`
	Locations       []bc.Location            `json:"locations"`
	DefaultLocation int                      `json:"default_location"`
	Stock           []stockRow               `json:"stock"`
	Orders          []orderState             `json:"orders"`
	Hooks           []bc.Hook                `json:"hooks"`
}

type stockRow struct {
	ProductID   int  `json:"product_id"`
	VariantID   int  `json:"variant_id"`
	LocationID  int  `json:"location_id"`
	OnHand      int  `json:"on_hand"`
	Safety      int  `json:"safety"`
	Initialized bool `json:"initialized"`
}

type orderState struct {
	Order        bc.Order             `json:"order"`
	Products     []bc.OrderProduct    `json:"products"`
	Addresses    []bc.ShippingAddress `json:"addresses"`
	Shipments    []bc.Shipment        `json:"shipments"`
	Transactions []bc.Transaction     `json:"transactions"`
	Refunds      []bc.Refund          `json:"refunds"`
}

// SaveState writes the store's whole state (catalog, locations, stock,
// orders with everything hung on them, hooks and the id counters) as
// versioned JSON that LoadState reads back. Configuration (token, limiter,
// faults, clock) and in-flight webhook deliveries are not state. The output
// is deterministic, so callers can skip writing when nothing changed.
func (s *Server) SaveState(w io.Writer) error {
	st := s.st
	st.mu.Lock()
	// Marshal under the lock: records share slices with the live store
	// (an order's lines are updated in place), so a copy made here and
	// encoded later would race with the handlers.
	b, err := json.Marshal(st.snapshot())
	st.mu.Unlock()
	if err != nil {
		return fmt.Errorf("bigcommercetest: encode state: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("bigcommercetest: write state: %w", err)
	}
	return nil
}

// snapshot builds the saved form. Caller holds mu.
func (st *store) snapshot() state {
	out := state{
		Version: StateVersion, IDs: st.ids, VariantIDs: st.variantIDs, CustomFields: st.customFields,
		DefaultLocation: st.defaultLoc,
		Products:        []bc.Product{}, Variants: []bc.Variant{}, Locations: []bc.Location{},
		Stock: []stockRow{}, Orders: []orderState{}, Hooks: []bc.Hook{},
	}
	for _, id := range sortedKeys(st.products) {
		out.Products = append(out.Products, *st.products[id])
	}
	for _, id := range sortedKeys(st.variants) {
		out.Variants = append(out.Variants, *st.variants[id])
	}
	for _, l := range st.locations {
		out.Locations = append(out.Locations, *l)
	}
	for k, l := range st.stock {
		out.Stock = append(out.Stock, stockRow{k.item.productID, k.item.variantID, k.loc, l.onHand, l.safety, l.initialized})
	}
	sort.Slice(out.Stock, func(i, j int) bool {
		a, b := out.Stock[i], out.Stock[j]
		if a.ProductID != b.ProductID {
			return a.ProductID < b.ProductID
		}
		if a.VariantID != b.VariantID {
			return a.VariantID < b.VariantID
		}
		return a.LocationID < b.LocationID
	})
	for _, id := range sortedKeys(st.orders) {
		r := st.orders[id]
		out.Orders = append(out.Orders, orderState{r.order, r.products, r.addresses, r.shipments, r.transactions, r.refunds})
	}
	for _, id := range sortedKeys(st.hooks) {
		out.Hooks = append(out.Hooks, *st.hooks[id])
	}
	return out
}

// LoadState replaces the store's whole state with one SaveState wrote,
// e.g. right after Start so a sandbox continues where it stopped. The
// state is checked before anything changes: on an error (another version,
// damaged JSON, records that contradict each other) the store is untouched.
func (s *Server) LoadState(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("bigcommercetest: read state: %w", err)
	}
	var head struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("bigcommercetest: decode state: %w", err)
	}
	if head.Version != StateVersion {
		return fmt.Errorf("bigcommercetest: state version %d, this build reads version %d: %w", head.Version, StateVersion, ErrStateVersion)
	}
	var in state
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("bigcommercetest: decode state: %w", err)
	}
	next, err := in.build()
	if err != nil {
		return fmt.Errorf("bigcommercetest: state: %w", err)
	}
	st := s.st
	st.mu.Lock()
	st.ids, st.products, st.variants, st.variantIDs = next.ids, next.products, next.variants, next.variantIDs
	st.customFields, st.locations, st.defaultLoc = next.customFields, next.locations, next.defaultLoc
	st.stock, st.orders, st.hooks = next.stock, next.orders, next.hooks
	st.mu.Unlock()
	return nil
}

// build turns a decoded state into store maps, refusing what would make
// the handlers misbehave later (dangling references, ids the counters
// would hand out again).
func (in state) build() (*store, error) {
	st := newStore(nil)
	if in.IDs != nil {
		st.ids = in.IDs
	}
	for i := range in.Products {
		p := in.Products[i]
		if p.ID <= 0 || st.products[p.ID] != nil {
			return nil, fmt.Errorf("product id %d missing or repeated", p.ID)
		}
		st.products[p.ID] = &p
	}
	for i := range in.Variants {
		v := in.Variants[i]
		if v.ID <= 0 || st.variants[v.ID] != nil || st.products[v.ProductID] == nil {
			return nil, fmt.Errorf("variant %d: id repeated or product %d unknown", v.ID, v.ProductID)
		}
		st.variants[v.ID] = &v
	}
	listed := 0
	for pid, ids := range in.VariantIDs {
		if st.products[pid] == nil {
			return nil, fmt.Errorf("variant index: unknown product %d", pid)
		}
		for _, id := range ids {
			if v := st.variants[id]; v == nil || v.ProductID != pid {
				return nil, fmt.Errorf("variant index: variant %d is not one of product %d", id, pid)
			}
		}
		st.variantIDs[pid] = ids
		listed += len(ids)
	}
	if listed != len(st.variants) {
		return nil, fmt.Errorf("variant index lists %d variants, the state has %d", listed, len(st.variants))
	}
	for pid, fields := range in.CustomFields {
		if st.products[pid] == nil {
			return nil, fmt.Errorf("custom fields of unknown product %d", pid)
		}
		st.customFields[pid] = fields
	}
	locs := map[int]bool{}
	for i := range in.Locations {
		l := in.Locations[i]
		if l.ID <= 0 || locs[l.ID] {
			return nil, fmt.Errorf("location id %d missing or repeated", l.ID)
		}
		locs[l.ID] = true
		st.locations = append(st.locations, &l)
	}
	if !locs[in.DefaultLocation] {
		return nil, fmt.Errorf("default location %d is not a location", in.DefaultLocation)
	}
	st.defaultLoc = in.DefaultLocation
	for _, r := range in.Stock {
		k := stockKey{itemKey{r.ProductID, r.VariantID}, r.LocationID}
		if st.products[r.ProductID] == nil || !locs[r.LocationID] || st.stock[k] != nil {
			return nil, fmt.Errorf("stock row %+v: unknown product or location, or repeated", r)
		}
		st.stock[k] = &stockLevel{onHand: r.OnHand, safety: r.Safety, initialized: r.Initialized}
	}
	for _, o := range in.Orders {
		if o.Order.ID <= 0 || st.orders[o.Order.ID] != nil {
			return nil, fmt.Errorf("order id %d missing or repeated", o.Order.ID)
		}
		st.orders[o.Order.ID] = &orderRec{o.Order, o.Products, o.Addresses, o.Shipments, o.Transactions, o.Refunds}
	}
	for i := range in.Hooks {
		h := in.Hooks[i]
		if h.ID <= 0 || st.hooks[h.ID] != nil {
			return nil, fmt.Errorf("hook id %d missing or repeated", h.ID)
		}
		st.hooks[h.ID] = &h
	}
	for kind, maxID := range map[string]int{
		"product": maxKey(st.products), "variant": maxKey(st.variants), "location": maxKey(locs),
		"order": maxKey(st.orders), "hook": maxKey(st.hooks),
	} {
		if maxID > st.ids[kind] {
			return nil, fmt.Errorf("id counter %q is %d but a record has id %d: new records would reuse ids", kind, st.ids[kind], maxID)
		}
	}
	return st, nil
}

func maxKey[V any](m map[int]V) int {
	n := 0
	for k := range m {
		n = max(n, k)
	}
	return n
}
