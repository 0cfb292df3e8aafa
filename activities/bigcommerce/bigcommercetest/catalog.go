package bigcommercetest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/shopspring/decimal"
)

func (s *Server) catalogRoutes() {
	s.api.HandleFunc("GET /v3/catalog/products", s.listProducts)
	s.api.HandleFunc("POST /v3/catalog/products", s.createProduct)
	s.api.HandleFunc("PUT /v3/catalog/products", s.updateProducts)
	s.api.HandleFunc("GET /v3/catalog/products/{id}", s.getProduct)
	s.api.HandleFunc("GET /v3/catalog/products/{id}/custom-fields", s.listCustomFields)
	s.api.HandleFunc("POST /v3/catalog/products/{id}/custom-fields", s.createCustomField)
	s.api.HandleFunc("GET /v3/catalog/variants", s.listVariants)
	s.api.HandleFunc("PUT /v3/catalog/variants", s.updateVariants)
}

func parseIncludes(r *http.Request) (variants, fields bool) {
	for _, inc := range strings.Split(r.URL.Query().Get("include"), ",") {
		switch strings.TrimSpace(inc) {
		case "variants":
			variants = true
		case "custom_fields":
			fields = true
		}
	}
	return
}

// timeFilter parses a date filter; ok=false with a message when malformed.
func timeFilter(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, true
	}
	t, err := bc.ParseTime(v)
	return t, err == nil
}

func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ids := intSet(q.Get("id:in"))
	if id := q.Get("id"); id != "" {
		ids = intSet(id)
	}
	skus := strSet(q.Get("sku:in"))
	// Filters the API does not document (date_created:min, say) are
	// ignored, as a real store ignores them: a client relying on one reads
	// the whole catalog here too.
	modMin, ok := timeFilter(q.Get("date_modified:min"))
	if !ok {
		writeV3Error(w, http.StatusUnprocessableEntity, "The filter value is invalid", map[string]string{"date_modified:min": "invalid date"})
		return
	}
	afterID := 0
	if v := q.Get("id:greater"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeV3Error(w, http.StatusUnprocessableEntity, "The filter value is invalid", map[string]string{"id:greater": "not an integer"})
			return
		}
		afterID = n
	}
	withV, withF := parseIncludes(r)
	s.st.mu.Lock()
	var out []bc.Product
	// Products are kept in id order, which is also what sort=id asks for.
	for _, id := range sortedKeys(s.st.products) {
		p := s.st.products[id]
		if ids != nil && !ids[id] || id <= afterID {
			continue
		}
		if sku := q.Get("sku"); sku != "" && p.SKU != sku {
			continue
		}
		if skus != nil && !skus[p.SKU] {
			continue
		}
		if name := q.Get("name"); name != "" && p.Name != name {
			continue
		}
		if !modMin.IsZero() && p.DateModified.Before(modMin) {
			continue
		}
		out = append(out, withModifiers(r, s.st.render(p, withV, withF), p))
	}
	s.st.mu.Unlock()
	v3List(w, r, out, productsPageMax(r))
}

func (s *Server) getProduct(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	withV, withF := parseIncludes(r)
	s.st.mu.Lock()
	p := s.st.products[id]
	var out bc.Product
	if p != nil {
		out = s.st.render(p, withV, withF)
	}
	s.st.mu.Unlock()
	if p == nil {
		writeV3Error(w, http.StatusNotFound, "The requested product was not found.", nil)
		return
	}
	v3Data(w, http.StatusOK, out)
}

func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) {
	var in bc.ProductCreate
	if err := decodeBody(r, &in); err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, "JSON data is missing or invalid", map[string]string{"body": err.Error()})
		return
	}
	seed := ProductSeed{
		Name: in.Name, SKU: in.SKU, Type: in.Type, Price: in.Price.Decimal, Weight: in.Weight.Decimal,
		Tracking: in.InventoryTracking, CustomFields: in.CustomFields, Description: in.Description,
		UPC: in.UPC, Categories: in.Categories, IsVisible: in.IsVisible,
	}
	if in.InventoryTracking == "" {
		seed.Tracking = bc.TrackingNone
	}
	if in.InventoryLevel != nil && seed.Tracking == bc.TrackingProduct {
		seed.Stock = map[int]int{0: *in.InventoryLevel}
	}
	for _, v := range in.Variants {
		vs := VariantSeed{SKU: v.SKU, UPC: v.UPC}
		if v.Price != nil {
			d := v.Price.Decimal
			vs.Price = &d
		}
		for _, ov := range v.OptionValues {
			vs.Option = ov.Label
		}
		if v.InventoryLevel != nil && seed.Tracking == bc.TrackingVariant {
			vs.Stock = map[int]int{0: *v.InventoryLevel}
		}
		seed.Variants = append(seed.Variants, vs)
	}
	p, status, title, fields := s.addProduct(seed)
	if status != 0 {
		writeV3Error(w, status, title, fields)
		return
	}
	v3Data(w, http.StatusOK, p)
}

// ProductSeed describes a product for AddProduct.
type ProductSeed struct {
	Name string
	SKU  string
	Type string // physical (default) or digital
	// Price and Weight default to 10 and 1.
	Price, Weight decimal.Decimal
	// Tracking is none, product or variant. Default: product for a simple
	// product, variant when Variants are given.
	Tracking string
	// Stock is the on-hand quantity per location id (0 = default location)
	// for a product tracked by product.
	Stock        map[int]int
	Variants     []VariantSeed
	CustomFields []bc.CustomField
	Description  string
	UPC          string
	Categories   []int
	IsVisible    *bool
}

// VariantSeed describes one variant of a seeded product.
type VariantSeed struct {
	SKU    string
	Option string           // option value label, e.g. "Small"
	Price  *decimal.Decimal // nil: the product's price
	UPC    string
	// Stock per location id (0 = default) for a product tracked by variant.
	Stock map[int]int
}

// AddProduct seeds a product (and its variants, custom fields and stock)
// and emits store/product/created. It panics on a duplicate name or SKU
// (seeding mistakes should fail loudly).
func (s *Server) AddProduct(p ProductSeed) bc.Product {
	if p.Price.IsZero() {
		p.Price = decimal.NewFromInt(10)
	}
	if p.Weight.IsZero() {
		p.Weight = decimal.NewFromInt(1)
	}
	if p.Tracking == "" {
		p.Tracking = bc.TrackingProduct
		if len(p.Variants) > 0 {
			p.Tracking = bc.TrackingVariant
		}
	}
	out, status, title, _ := s.addProduct(p)
	if status != 0 {
		panic(fmt.Sprintf("bigcommercetest: AddProduct %q: %d %s", p.Name, status, title))
	}
	return out
}

// addProduct validates and stores a product; status != 0 on failure.
func (s *Server) addProduct(in ProductSeed) (bc.Product, int, string, map[string]string) {
	if in.Type == "" {
		in.Type = "physical"
	}
	switch {
	case strings.TrimSpace(in.Name) == "":
		return bc.Product{}, 422, "Missing Required Fields", map[string]string{"name": "name is required"}
	case in.Type != "physical" && in.Type != "digital":
		return bc.Product{}, 422, "Invalid Field", map[string]string{"type": "type must be physical or digital"}
	case in.Tracking != bc.TrackingNone && in.Tracking != bc.TrackingProduct && in.Tracking != bc.TrackingVariant:
		return bc.Product{}, 422, "Invalid Field", map[string]string{"inventory_tracking": "must be none, product or variant"}
	}
	st := s.st
	st.mu.Lock()
	if st.nameTaken(in.Name, 0) {
		st.mu.Unlock()
		return bc.Product{}, 409, "The product name is a duplicate", map[string]string{"name": "The product name is a duplicate"}
	}
	seen := map[string]bool{}
	for _, sku := range append([]string{in.SKU}, variantSKUs(in.Variants)...) {
		if sku == "" {
			continue
		}
		if seen[sku] || st.skuTaken(sku, 0, 0) {
			st.mu.Unlock()
			return bc.Product{}, 409, "The product SKU is a duplicate", map[string]string{"sku": "SKU " + sku + " is already in use"}
		}
		seen[sku] = true
	}
	now := st.now()
	p := &bc.Product{
		ID: st.nextID("product"), Name: in.Name, Type: in.Type, SKU: in.SKU, Description: in.Description,
		Weight: bc.NumberFromDecimal(in.Weight), Price: bc.NumberFromDecimal(in.Price),
		CalculatedPrice: bc.NumberFromDecimal(in.Price), InventoryTracking: in.Tracking,
		IsVisible: true, Availability: "available", Categories: append([]int{}, in.Categories...),
		UPC: in.UPC, DateCreated: bc.Time{Time: now}, DateModified: bc.Time{Time: now},
	}
	if in.IsVisible != nil {
		p.IsVisible = *in.IsVisible
	}
	st.products[p.ID] = p
	if len(in.Variants) == 0 {
		// A simple product still has one base variant carrying its SKU.
		v := &bc.Variant{ID: st.nextID("variant"), ProductID: p.ID, SKU: p.SKU, OptionValues: []bc.OptionValue{}}
		st.addVariant(v)
		id := v.ID
		p.BaseVariantID = &id
	} else {
		optID := st.nextID("option")
		for _, vs := range in.Variants {
			skuID := st.nextID("variant") + 10000
			v := &bc.Variant{ID: skuID - 10000, ProductID: p.ID, SKU: vs.SKU, SKUID: &skuID, UPC: vs.UPC}
			if vs.Price != nil {
				n := bc.NumberFromDecimal(*vs.Price)
				v.Price = &n
			}
			label := vs.Option
			if label == "" {
				label = vs.SKU
			}
			v.OptionValues = []bc.OptionValue{{ID: st.nextID("option_value"), Label: label, OptionID: optID, OptionDisplayName: "Option"}}
			st.addVariant(v)
			for loc, q := range vs.Stock {
				if in.Tracking == bc.TrackingVariant {
					st.setAbsolute(itemKey{p.ID, v.ID}, st.resolveLoc(loc), q)
				}
			}
		}
	}
	if in.Tracking == bc.TrackingProduct {
		for loc, q := range in.Stock {
			st.setAbsolute(itemKey{productID: p.ID}, st.resolveLoc(loc), q)
		}
	}
	for _, cf := range in.CustomFields {
		cf.ID = st.nextID("custom_field")
		st.customFields[p.ID] = append(st.customFields[p.ID], cf)
	}
	out := st.render(p, true, true)
	st.mu.Unlock()
	s.hooks.emit("store/product/created", map[string]any{"type": "product", "id": p.ID})
	return out, 0, "", nil
}

func variantSKUs(vs []VariantSeed) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.SKU)
	}
	return out
}

// resolveLoc maps 0 to the default location. Caller holds mu.
func (st *store) resolveLoc(loc int) int {
	if loc == 0 {
		return st.defaultLoc
	}
	return loc
}

// setAbsolute sets a level as an absolute adjustment would. Caller holds mu.
func (st *store) setAbsolute(item itemKey, loc, qty int) {
	l := st.level(item, loc)
	l.onHand = qty
	l.initialized = true
}

func (s *Server) updateProducts(w http.ResponseWriter, r *http.Request) {
	var in []bc.ProductUpdate
	if err := decodeBody(r, &in); err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, "JSON data is missing or invalid", map[string]string{"body": err.Error()})
		return
	}
	if len(in) > bc.MaxProductBatch {
		writeV3Error(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The maximum items allowed in the array is %d", bc.MaxProductBatch), nil)
		return
	}
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	// Validate the whole batch first: a 4xx batch saves nothing.
	for _, u := range in {
		if u.ID == 0 {
			writeV3Error(w, http.StatusUnprocessableEntity, "Missing Required Fields", map[string]string{"id": "id is required"})
			return
		}
		if st.products[u.ID] == nil {
			writeV3Error(w, http.StatusNotFound, fmt.Sprintf("Product %d not found", u.ID), nil)
			return
		}
		if u.Name != nil && st.nameTaken(*u.Name, u.ID) {
			writeV3Error(w, http.StatusConflict, "The product name is a duplicate", map[string]string{"name": "The product name is a duplicate"})
			return
		}
		if u.SKU != nil && st.skuTaken(*u.SKU, u.ID, 0) {
			writeV3Error(w, http.StatusConflict, "The product SKU is a duplicate", map[string]string{"sku": "SKU " + *u.SKU + " is already in use"})
			return
		}
		if u.InventoryTracking != nil {
			switch *u.InventoryTracking {
			case bc.TrackingNone, bc.TrackingProduct, bc.TrackingVariant:
			default:
				writeV3Error(w, http.StatusUnprocessableEntity, "Invalid Field", map[string]string{"inventory_tracking": "must be none, product or variant"})
				return
			}
		}
	}
	now := st.now()
	out := make([]bc.Product, 0, len(in))
	for _, u := range in {
		p := st.products[u.ID]
		applyProductUpdate(st, p, u)
		p.DateModified = bc.Time{Time: now}
		out = append(out, st.render(p, false, false))
	}
	v3Data(w, http.StatusOK, out)
}

func applyProductUpdate(st *store, p *bc.Product, u bc.ProductUpdate) {
	if u.Name != nil {
		p.Name = *u.Name
	}
	if u.SKU != nil {
		p.SKU = *u.SKU
		if p.BaseVariantID != nil {
			st.variants[*p.BaseVariantID].SKU = *u.SKU
		}
	}
	if u.Description != nil {
		p.Description = *u.Description
	}
	if u.Price != nil {
		p.Price = *u.Price
		p.CalculatedPrice = *u.Price
	}
	if u.CostPrice != nil {
		p.CostPrice = *u.CostPrice
	}
	if u.RetailPrice != nil {
		p.RetailPrice = *u.RetailPrice
	}
	if u.SalePrice != nil {
		p.SalePrice = *u.SalePrice
		if !u.SalePrice.IsZero() {
			p.CalculatedPrice = *u.SalePrice
		}
	}
	if u.Weight != nil {
		p.Weight = *u.Weight
	}
	if u.InventoryTracking != nil {
		p.InventoryTracking = *u.InventoryTracking
	}
	if u.IsVisible != nil {
		p.IsVisible = *u.IsVisible
	}
	if u.Categories != nil {
		p.Categories = append([]int{}, u.Categories...)
	}
	if u.UPC != nil {
		p.UPC = *u.UPC
	}
	// Catalog inventory writes go to the default location, and only when
	// the product is tracked by product (otherwise they are ignored).
	if u.InventoryLevel != nil && p.InventoryTracking == bc.TrackingProduct {
		st.setAbsolute(itemKey{productID: p.ID}, st.defaultLoc, max(*u.InventoryLevel, 0))
	}
}

func (s *Server) listCustomFields(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	s.st.mu.Lock()
	p := s.st.products[id]
	fields := append([]bc.CustomField{}, s.st.customFields[id]...)
	s.st.mu.Unlock()
	if p == nil {
		writeV3Error(w, http.StatusNotFound, "The requested product was not found.", nil)
		return
	}
	v3List(w, r, fields, 250)
}

func (s *Server) createCustomField(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	var in bc.CustomField
	if err := decodeBody(r, &in); err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, "JSON data is missing or invalid", map[string]string{"body": err.Error()})
		return
	}
	if l := len(in.Name); l == 0 || l > 250 {
		writeV3Error(w, http.StatusUnprocessableEntity, "Invalid Field", map[string]string{"name": "name must be 1-250 characters"})
		return
	}
	if l := len(in.Value); l == 0 || l > 250 {
		writeV3Error(w, http.StatusUnprocessableEntity, "Invalid Field", map[string]string{"value": "value must be 1-250 characters"})
		return
	}
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.products[id] == nil {
		writeV3Error(w, http.StatusNotFound, "The requested product was not found.", nil)
		return
	}
	for _, cf := range st.customFields[id] {
		if cf.Name == in.Name && cf.Value == in.Value {
			writeV3Error(w, http.StatusConflict, "The custom field name and value pair is a duplicate", map[string]string{"name": "duplicate name and value"})
			return
		}
	}
	if len(st.customFields[id]) >= 200 {
		writeV3Error(w, http.StatusUnprocessableEntity, "A product can have at most 200 custom fields", nil)
		return
	}
	in.ID = st.nextID("custom_field")
	st.customFields[id] = append(st.customFields[id], in)
	v3Data(w, http.StatusOK, in)
}

func (s *Server) listVariants(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	// The API documents id, sku, upc and product_id:in here; anything
	// else (id:in, sku:in) is ignored, as a real store ignores it.
	var ids map[int]bool
	if id := q.Get("id"); id != "" {
		ids = intSet(id)
	}
	pids := intSet(q.Get("product_id:in"))
	st := s.st
	st.mu.Lock()
	var out []bc.Variant
	for _, id := range sortedKeys(st.variants) {
		v := st.variants[id]
		if ids != nil && !ids[id] {
			continue
		}
		if pids != nil && !pids[v.ProductID] {
			continue
		}
		if sku := q.Get("sku"); sku != "" && v.SKU != sku {
			continue
		}
		out = append(out, st.renderVariant(v))
	}
	st.mu.Unlock()
	v3List(w, r, out, 250)
}

func (s *Server) updateVariants(w http.ResponseWriter, r *http.Request) {
	var in []bc.VariantUpdate
	if err := decodeBody(r, &in); err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, "JSON data is missing or invalid", map[string]string{"body": err.Error()})
		return
	}
	if len(in) > bc.MaxVariantBatch {
		writeV3Error(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The maximum items allowed in the array is %d", bc.MaxVariantBatch), nil)
		return
	}
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	// As the spec has it, a batch that fails answers 422 with one entry per
	// failed variant in batch_errors. Whether the real store still saves
	// the good ones is unconfirmed: the fake saves none, and hrbc writes
	// absolute values, so a rerun is right either way.
	var failed []map[string]any
	for i, u := range in {
		fail := func(title string, fields map[string]string) {
			fields["index"] = fmt.Sprint(i)
			failed = append(failed, map[string]any{"status": http.StatusUnprocessableEntity, "title": title, "type": errorType, "errors": fields})
		}
		switch v := st.variants[u.ID]; {
		case u.ID == 0:
			fail("Missing Required Fields", map[string]string{"id": "id is required"})
		case v == nil:
			fail(fmt.Sprintf("Variant %d not found", u.ID), map[string]string{"id": fmt.Sprint(u.ID)})
		case u.SKU != nil && st.skuTaken(*u.SKU, 0, u.ID):
			fail(fmt.Sprintf("Variant %d: the SKU is a duplicate", u.ID), map[string]string{"sku": "SKU " + *u.SKU + " is already in use"})
		}
	}
	if len(failed) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"batch_errors": failed})
		return
	}
	now := st.now()
	out := make([]bc.Variant, 0, len(in))
	for _, u := range in {
		v := st.variants[u.ID]
		if u.SKU != nil {
			v.SKU = *u.SKU
		}
		if u.Price != nil {
			p := *u.Price
			v.Price = &p
		}
		if u.SalePrice != nil {
			p := *u.SalePrice
			v.SalePrice = &p
		}
		if u.RetailPrice != nil {
			p := *u.RetailPrice
			v.RetailPrice = &p
		}
		if u.CostPrice != nil {
			p := *u.CostPrice
			v.CostPrice = &p
		}
		if u.Weight != nil {
			p := *u.Weight
			v.Weight = &p
		}
		if u.PurchasingDisabled != nil {
			v.PurchasingDisabled = *u.PurchasingDisabled
		}
		if u.UPC != nil {
			v.UPC = *u.UPC
		}
		if u.InventoryLevel != nil {
			if item, ok := st.itemOf(v); ok {
				st.setAbsolute(item, st.defaultLoc, max(*u.InventoryLevel, 0))
			}
		}
		st.products[v.ProductID].DateModified = bc.Time{Time: now}
		out = append(out, st.renderVariant(v))
	}
	v3Data(w, http.StatusOK, out)
}
