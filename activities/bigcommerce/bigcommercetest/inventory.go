package bigcommercetest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

func (s *Server) inventoryRoutes() {
	s.api.HandleFunc("GET /v3/inventory/locations", s.listLocations)
	s.api.HandleFunc("PUT /v3/inventory/adjustments/absolute", s.adjust(false))
	s.api.HandleFunc("POST /v3/inventory/adjustments/relative", s.adjust(true))
	s.api.HandleFunc("GET /v3/inventory/items", s.listInventoryItems)
}

// maxStock is the per-location maximum the Inventory API accepts.
const maxStock = 2147483647

// LocationSeed describes a location for AddLocation.
type LocationSeed struct {
	Code    string
	Label   string
	Default bool // becomes the default location
	// Disabled locations are listed with enabled=false.
	Disabled bool
}

// AddLocation adds a location and returns it. Every store starts with a
// default location (id 1, code "BC-LOCATION-1").
func (s *Server) AddLocation(l LocationSeed) bc.Location {
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	return *st.addLocation(l)
}

func (st *store) addLocation(l LocationSeed) *bc.Location {
	id := st.nextID("location")
	if l.Code == "" {
		l.Code = fmt.Sprintf("BC-LOCATION-%d", id)
	}
	if l.Label == "" {
		l.Label = l.Code
	}
	now := bc.Time{Time: st.now()}
	loc := &bc.Location{
		ID: id, Code: l.Code, Label: l.Label, TypeID: "PHYSICAL", Enabled: !l.Disabled,
		StorefrontVisibility: true, TimeZone: "Etc/UTC", CreatedAt: now, UpdatedAt: now,
	}
	st.locations = append(st.locations, loc)
	if l.Default || st.defaultLoc == 0 {
		st.defaultLoc = id
	}
	return loc
}

// DefaultLocationID returns the default location's id.
func (s *Server) DefaultLocationID() int {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	return s.st.defaultLoc
}

// Locations returns all locations.
func (s *Server) Locations() []bc.Location {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	out := make([]bc.Location, 0, len(s.st.locations))
	for _, l := range s.st.locations {
		out = append(out, *l)
	}
	return out
}

func (s *Server) listLocations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ids := intSet(q.Get("location_id:in"))
	codes := strSet(q.Get("location_code:in"))
	st := s.st
	st.mu.Lock()
	var out []bc.Location
	for _, l := range st.locations {
		if ids != nil && !ids[l.ID] {
			continue
		}
		if codes != nil && !codes[l.Code] {
			continue
		}
		if d := q.Get("is_default"); d != "" && (d == "true" || d == "1") != (l.ID == st.defaultLoc) {
			continue
		}
		if a := q.Get("is_active"); a != "" && (a == "true" || a == "1") != l.Enabled {
			continue
		}
		out = append(out, *l)
	}
	st.mu.Unlock()
	v3List(w, r, out, 250)
}

// describe renders an identifier the way BigCommerce's messages do.
func describe(it bc.AdjustmentItem) string {
	switch {
	case it.ProductID != 0:
		return fmt.Sprintf("product_id %d", it.ProductID)
	case it.VariantID != 0:
		return fmt.Sprintf("variant_id %d", it.VariantID)
	}
	return "sku " + it.SKU
}

// resolveItem maps an adjustment row to its inventory item, enforcing
// that the identifier matches the product's tracking mode. Caller holds mu.
func (st *store) resolveItem(it bc.AdjustmentItem) (itemKey, string) {
	n := 0
	for _, set := range []bool{it.ProductID != 0, it.VariantID != 0, it.SKU != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return itemKey{}, "Item must have exactly one of sku, variant_id or product_id"
	}
	id := describe(it)
	if it.ProductID != 0 {
		p := st.products[it.ProductID]
		switch {
		case p == nil:
			return itemKey{}, fmt.Sprintf("Item with %s does not exist", id)
		case p.InventoryTracking == bc.TrackingVariant:
			return itemKey{}, fmt.Sprintf("Item with %s is tracked by variant, please update stock by variant id or sku", id)
		case p.InventoryTracking != bc.TrackingProduct:
			return itemKey{}, fmt.Sprintf("Item with %s is not tracked", id)
		}
		return itemKey{productID: p.ID}, ""
	}
	var v *bc.Variant
	if it.VariantID != 0 {
		v = st.variants[it.VariantID]
	} else {
		v = st.variantBySKU(it.SKU)
	}
	if v == nil {
		return itemKey{}, fmt.Sprintf("Item with %s does not exist", id)
	}
	p := st.products[v.ProductID]
	switch p.InventoryTracking {
	case bc.TrackingProduct:
		return itemKey{}, fmt.Sprintf("Item with %s is tracked by product, please update stock by product id", id)
	case bc.TrackingVariant:
		return itemKey{productID: p.ID, variantID: v.ID}, ""
	}
	return itemKey{}, fmt.Sprintf("Item with %s is not tracked", id)
}

func (s *Server) adjust(relative bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in bc.AdjustmentRequest
		if err := decodeBody(r, &in); err != nil {
			writeV3Error(w, http.StatusUnprocessableEntity, "JSON data is missing or invalid", map[string]string{"body": err.Error()})
			return
		}
		if len(in.Items) == 0 {
			writeV3Error(w, http.StatusUnprocessableEntity, "Missing Required Fields", map[string]string{"items": "at least one item is required"})
			return
		}
		if len(in.Items) > bc.MaxInventoryBatch {
			writeV3Error(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The maximum items allowed in the array is %d", bc.MaxInventoryBatch), nil)
			return
		}
		st := s.st
		st.mu.Lock()
		defer st.mu.Unlock()
		keys := make([]itemKey, len(in.Items))
		var problems, uninit, negative []string
		for i, it := range in.Items {
			if st.location(it.LocationID) == nil {
				problems = append(problems, fmt.Sprintf("Location with id %d does not exist", it.LocationID))
				continue
			}
			k, msg := st.resolveItem(it)
			if msg != "" {
				problems = append(problems, msg)
				continue
			}
			keys[i] = k
			l := st.stock[stockKey{k, it.LocationID}]
			switch {
			case !relative && (it.Quantity < 0 || it.Quantity > maxStock):
				problems = append(problems, fmt.Sprintf("Item with %s has invalid quantity %d", describe(it), it.Quantity))
			case relative && (l == nil || !l.initialized):
				uninit = append(uninit, describe(it))
			case relative && l.onHand+it.Quantity < l.safety:
				negative = append(negative, describe(it))
			}
		}
		switch {
		case len(problems) > 0:
			writeV3Error(w, http.StatusUnprocessableEntity, "["+strings.Join(problems, ", ")+"]", map[string]string{})
			return
		case len(uninit) > 0:
			writeV3Error(w, http.StatusUnprocessableEntity,
				fmt.Sprintf("Items with identity: [%s] requires absolute adjustment before relative", strings.Join(uninit, ", ")), map[string]string{})
			return
		case len(negative) > 0:
			writeV3Error(w, http.StatusUnprocessableEntity,
				fmt.Sprintf("Items with identity: [%s] would drop below safety stock", strings.Join(negative, ", ")), map[string]string{})
			return
		}
		apply := func() {
			for i, it := range in.Items {
				if relative {
					st.level(keys[i], it.LocationID).onHand += it.Quantity
				} else {
					st.setAbsolute(keys[i], it.LocationID, it.Quantity)
				}
			}
		}
		if d := s.cfg.inventoryDelay; d > 0 {
			// The real API applies adjustments asynchronously: validated
			// now, visible a little later.
			time.AfterFunc(d, func() {
				st.mu.Lock()
				defer st.mu.Unlock()
				apply()
			})
		} else {
			apply()
		}
		writeJSON(w, http.StatusOK, bc.TransactionResponse{TransactionID: uuid.NewString()})
	}
}

// inventoryItems lists tracked items as GET /v3/inventory/items shows them. Caller holds mu.
func (st *store) inventoryItems() []bc.InventoryItem {
	var out []bc.InventoryItem
	for _, pid := range sortedKeys(st.products) {
		p := st.products[pid]
		switch p.InventoryTracking {
		case bc.TrackingProduct:
			idn := bc.InventoryIdentity{SKU: p.SKU, ProductID: p.ID}
			if p.BaseVariantID != nil {
				idn.VariantID = *p.BaseVariantID
			}
			out = append(out, bc.InventoryItem{Identity: idn, Locations: st.itemLocations(itemKey{productID: p.ID})})
		case bc.TrackingVariant:
			for _, v := range st.variantsOf(p.ID) {
				idn := bc.InventoryIdentity{SKU: v.SKU, ProductID: p.ID, VariantID: v.ID, SKUID: v.SKUID}
				out = append(out, bc.InventoryItem{Identity: idn, Locations: st.itemLocations(itemKey{p.ID, v.ID})})
			}
		}
	}
	return out
}

func (st *store) itemLocations(k itemKey) []bc.InventoryLocation {
	out := make([]bc.InventoryLocation, 0, len(st.locations))
	for _, l := range st.locations {
		lv := st.stock[stockKey{k, l.ID}]
		il := bc.InventoryLocation{
			LocationID: l.ID, LocationCode: l.Code, LocationName: l.Label, LocationEnabled: l.Enabled,
			Settings: bc.InventorySettings{IsInStock: true},
		}
		if lv != nil {
			il.TotalInventoryOnHand = lv.onHand
			il.AvailableToSell = max(lv.onHand-lv.safety, 0)
			il.Settings.SafetyStock = lv.safety
		}
		out = append(out, il)
	}
	return out
}

func (s *Server) listInventoryItems(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	skus := strSet(q.Get("sku:in"))
	vids := intSet(q.Get("variant_id:in"))
	pids := intSet(q.Get("product_id:in"))
	locs := intSet(q.Get("location_id:in"))
	s.st.mu.Lock()
	all := s.st.inventoryItems()
	s.st.mu.Unlock()
	var out []bc.InventoryItem
	for _, it := range all {
		if skus != nil && !skus[it.Identity.SKU] {
			continue
		}
		if vids != nil && !vids[it.Identity.VariantID] {
			continue
		}
		if pids != nil && !pids[it.Identity.ProductID] {
			continue
		}
		if locs != nil {
			var kept []bc.InventoryLocation
			for _, l := range it.Locations {
				if locs[l.LocationID] {
					kept = append(kept, l)
				}
			}
			it.Locations = kept
		}
		out = append(out, it)
	}
	v3List(w, r, out, 1000)
}

// SetStock sets the on-hand level of a SKU (product SKU for products
// tracked by product, variant SKU otherwise) at a location (0 = default),
// as an absolute adjustment would.
func (s *Server) SetStock(sku string, locationID, qty int) error {
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	k, err := st.itemBySKU(sku)
	if err != nil {
		return err
	}
	loc := st.resolveLoc(locationID)
	if st.location(loc) == nil {
		return fmt.Errorf("bigcommercetest: no location %d", loc)
	}
	st.setAbsolute(k, loc, qty)
	return nil
}

// SetSafetyStock sets a SKU's safety stock at a location (0 = default).
func (s *Server) SetSafetyStock(sku string, locationID, qty int) error {
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	k, err := st.itemBySKU(sku)
	if err != nil {
		return err
	}
	st.level(k, st.resolveLoc(locationID)).safety = qty
	return nil
}

// itemBySKU finds the tracked item behind a SKU. Caller holds mu.
func (st *store) itemBySKU(sku string) (itemKey, error) {
	v := st.variantBySKU(sku)
	if v == nil {
		// A product tracked by product but sold in variants keeps its
		// stock under the product SKU.
		for _, id := range sortedKeys(st.products) {
			if p := st.products[id]; p.SKU == sku && sku != "" && p.InventoryTracking == bc.TrackingProduct {
				return itemKey{productID: p.ID}, nil
			}
		}
		return itemKey{}, fmt.Errorf("bigcommercetest: unknown SKU %q", sku)
	}
	k, ok := st.itemOf(v)
	if !ok {
		return itemKey{}, fmt.Errorf("bigcommercetest: SKU %q is not tracked", sku)
	}
	return k, nil
}

// StockLevel returns the on-hand level of a SKU at a location (0 =
// default); ok is false when the SKU is unknown or untracked.
func (s *Server) StockLevel(sku string, locationID int) (int, bool) {
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	k, err := st.itemBySKU(sku)
	if err != nil {
		return 0, false
	}
	return st.onHand(k, st.resolveLoc(locationID)), true
}

// StockLevels returns a SKU's on-hand level per location id.
func (s *Server) StockLevels(sku string) map[int]int {
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	k, err := st.itemBySKU(sku)
	if err != nil {
		return nil
	}
	out := map[int]int{}
	for _, l := range st.locations {
		out[l.ID] = st.onHand(k, l.ID)
	}
	return out
}
