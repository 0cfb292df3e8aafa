package bigcommercetest

import (
	"sort"
	"sync"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// itemKey identifies an inventory item: a product tracked by product
// (variantID 0) or a variant of a product tracked by variant.
type itemKey struct{ productID, variantID int }

type stockKey struct {
	item itemKey
	loc  int
}

type stockLevel struct {
	onHand      int
	safety      int
	initialized bool // an absolute adjustment has been made (relative needs it)
}

type orderRec struct {
	order        bc.Order
	products     []bc.OrderProduct
	addresses    []bc.ShippingAddress
	shipments    []bc.Shipment
	transactions []bc.Transaction
	refunds      []bc.Refund
}

// store is the whole in-memory state, behind one mutex.
type store struct {
	mu       sync.Mutex
	now      func() time.Time
	ids      map[string]int
	products map[int]*bc.Product // Variants and CustomFields kept apart
	variants map[int]*bc.Variant
	// variantIDs lists each product's variant ids in creation (= id)
	// order, so listing a page of products does not scan every variant.
	variantIDs   map[int][]int
	customFields map[int][]bc.CustomField
	locations    []*bc.Location
	defaultLoc   int
	stock        map[stockKey]*stockLevel
	orders       map[int]*orderRec
	hooks        map[int]*bc.Hook
	// gateway says how captures settle (SetGateway).
	gateway Gateway
}

func newStore(now func() time.Time) *store {
	return &store{
		now:          now,
		ids:          map[string]int{},
		products:     map[int]*bc.Product{},
		variants:     map[int]*bc.Variant{},
		variantIDs:   map[int][]int{},
		customFields: map[int][]bc.CustomField{},
		stock:        map[stockKey]*stockLevel{},
		orders:       map[int]*orderRec{},
		hooks:        map[int]*bc.Hook{},
	}
}

// firstIDs make ids of different kinds look different in logs and tests.
var firstIDs = map[string]int{
	"product": 111, "variant": 201, "location": 1, "order": 100, "order_product": 1001,
	"address": 501, "shipment": 1, "hook": 20001, "custom_field": 1, "transaction": 1,
	"refund": 1, "option_value": 61, "option": 11,
}

// nextID returns the next id of a kind. Caller holds mu.
func (st *store) nextID(kind string) int {
	if st.ids[kind] == 0 {
		st.ids[kind] = firstIDs[kind]
		if st.ids[kind] == 0 {
			st.ids[kind] = 1
		}
		return st.ids[kind]
	}
	st.ids[kind]++
	return st.ids[kind]
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

// level returns (creating) the stock record of an item at a location.
func (st *store) level(item itemKey, loc int) *stockLevel {
	k := stockKey{item, loc}
	l := st.stock[k]
	if l == nil {
		l = &stockLevel{}
		st.stock[k] = l
	}
	return l
}

func (st *store) onHand(item itemKey, loc int) int {
	if l := st.stock[stockKey{item, loc}]; l != nil {
		return l.onHand
	}
	return 0
}

func (st *store) location(id int) *bc.Location {
	for _, l := range st.locations {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// addVariant stores a new variant (ids only grow, so variantIDs stays sorted).
func (st *store) addVariant(v *bc.Variant) {
	st.variants[v.ID] = v
	st.variantIDs[v.ProductID] = append(st.variantIDs[v.ProductID], v.ID)
}

// variantsOf lists a product's variants by id.
func (st *store) variantsOf(pid int) []*bc.Variant {
	ids := st.variantIDs[pid]
	out := make([]*bc.Variant, 0, len(ids))
	for _, id := range ids {
		out = append(out, st.variants[id])
	}
	return out
}

// skuOwner finds which product or variant holds a SKU (exceptVariant/
// exceptProduct let an update keep its own SKU).
func (st *store) skuTaken(sku string, exceptProduct, exceptVariant int) bool {
	if sku == "" {
		return false
	}
	for id, p := range st.products {
		if p.SKU == sku && id != exceptProduct {
			return true
		}
	}
	for id, v := range st.variants {
		if v.SKU == sku && id != exceptVariant {
			// A simple product's base variant shares the product's SKU.
			if p := st.products[v.ProductID]; p != nil && p.BaseVariantID != nil && *p.BaseVariantID == id && v.ProductID == exceptProduct {
				continue
			}
			return true
		}
	}
	return false
}

func (st *store) nameTaken(name string, except int) bool {
	for id, p := range st.products {
		if p.Name == name && id != except {
			return true
		}
	}
	return false
}

// variantBySKU finds a variant by SKU (the lowest id if several share it).
func (st *store) variantBySKU(sku string) *bc.Variant {
	var found *bc.Variant
	for _, v := range st.variants {
		if v.SKU == sku && (found == nil || v.ID < found.ID) {
			found = v
		}
	}
	return found
}

// itemOf returns the inventory item a variant's stock lives on, if tracked.
func (st *store) itemOf(v *bc.Variant) (itemKey, bool) {
	p := st.products[v.ProductID]
	if p == nil {
		return itemKey{}, false
	}
	switch p.InventoryTracking {
	case bc.TrackingProduct:
		return itemKey{productID: p.ID}, true
	case bc.TrackingVariant:
		return itemKey{productID: p.ID, variantID: v.ID}, true
	}
	return itemKey{}, false
}

// render returns a product as the API shows it, with catalog inventory
// levels taken from the default location.
func (st *store) render(p *bc.Product, withVariants, withFields bool) bc.Product {
	out := *p
	out.Categories = append([]int{}, p.Categories...)
	out.Variants, out.CustomFields, out.Modifiers = nil, nil, nil
	if out.GiftWrappingOptionsType == "" {
		out.GiftWrappingOptionsType = bc.GiftWrapAny // a store's default
	}
	vs := st.variantsOf(p.ID)
	switch p.InventoryTracking {
	case bc.TrackingProduct:
		out.InventoryLevel = st.onHand(itemKey{productID: p.ID}, st.defaultLoc)
	case bc.TrackingVariant:
		out.InventoryLevel = 0
		for _, v := range vs {
			out.InventoryLevel += st.onHand(itemKey{p.ID, v.ID}, st.defaultLoc)
		}
	default:
		out.InventoryLevel = 0
	}
	if withVariants {
		out.Variants = []bc.Variant{}
		for _, v := range vs {
			out.Variants = append(out.Variants, st.renderVariant(v))
		}
	}
	if withFields {
		out.CustomFields = append([]bc.CustomField{}, st.customFields[p.ID]...)
	}
	return out
}

func (st *store) renderVariant(v *bc.Variant) bc.Variant {
	out := *v
	out.OptionValues = append([]bc.OptionValue{}, v.OptionValues...)
	out.InventoryLevel = 0
	if item, ok := st.itemOf(v); ok {
		out.InventoryLevel = st.onHand(item, st.defaultLoc)
	}
	p := st.products[v.ProductID]
	out.CalculatedPrice = p.Price
	if v.Price != nil {
		out.CalculatedPrice = *v.Price
	}
	return out
}
