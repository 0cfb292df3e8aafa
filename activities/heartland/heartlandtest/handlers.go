package heartlandtest

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// This file holds the catalog, custom-field, location, customer, payment
// type and webhook routes. Sales routes live in sales.go, stock in stock.go.

var protectedKeys = map[string]bool{"id": true, "created_at": true, "updated_at": true}

// mergeInto applies a partial-update body: given keys replace, custom
// values merge key by key, server-owned keys are ignored.
func mergeInto(dst, body doc) {
	for k, v := range body {
		if protectedKeys[k] {
			continue
		}
		if k == "custom" {
			bag, _ := dst["custom"].(map[string]any)
			if bag == nil {
				bag = map[string]any{}
			}
			if m, ok := v.(map[string]any); ok {
				for ck, cv := range m {
					bag[ck] = cv
				}
			}
			dst["custom"] = bag
			continue
		}
		dst[k] = v
	}
}

// normNumbers rewrites numeric fields as exact json.Numbers, rejecting text.
func normNumbers(d doc, fields ...string) error {
	for _, f := range fields {
		v, ok := d[f]
		if !ok || v == nil {
			continue
		}
		n, ok := asDec(v)
		if !ok {
			return errField(f, "is not a number")
		}
		d[f] = dnum(n)
	}
	return nil
}

// normID checks an optional reference: null/absent is fine, anything else
// must be the id of a record in c.
func normID(d doc, field string, c *collection) error {
	v, ok := d[field]
	if !ok || v == nil {
		return nil
	}
	id, ok := asInt(v)
	if !ok {
		return errField(field, "is invalid")
	}
	if _, ok := c.get(id); !ok {
		return errField(field, "is invalid")
	}
	d[field] = num(id)
	return nil
}

func isBlank(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	}
	return false
}

// checkRequired rejects a record missing a value for a required custom
// field of its group, as Heartland does for API saves too.
func (s *Server) checkRequired(group string, d doc) error {
	bag, _ := d["custom"].(map[string]any)
	details := map[string]any{}
	var names []string
	for _, f := range s.customFields.all() {
		if getStr(f, "group_id") != group || !getBool(f, "required") {
			continue
		}
		key := getStr(f, "key")
		if isBlank(bag[key]) {
			details["custom@"+key] = []string{"can't be blank"}
			names = append(names, getStr(f, "name"))
		}
	}
	if len(details) == 0 {
		return nil
	}
	return errValidation("Validation failed: "+strings.Join(names, ", ")+" can't be blank", details)
}

// checkUnique rejects a public_id already used by another record of c.
func checkUnique(c *collection, d doc, self int64) error {
	pid := getStr(d, "public_id")
	if pid == "" {
		return nil
	}
	for id, o := range c.docs {
		if id != self && getStr(o, "public_id") == pid {
			return errValidation("Public ID has already been taken", map[string]any{"public_id": []string{"has already been taken"}})
		}
	}
	return nil
}

// assignPublicID numbers a record whose public_id was left blank, the way
// Heartland auto-increments Item #, Customer #, order and invoice numbers.
func assignPublicID(c *collection, d doc, id int64) {
	if getStr(d, "public_id") != "" {
		return
	}
	pid := strconv.FormatInt(id, 10)
	for n := 2; checkUnique(c, doc{"public_id": pid}, id) != nil; n++ {
		pid = strconv.FormatInt(id, 10) + "-" + strconv.Itoa(n)
	}
	d["public_id"] = pid
}

func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil
}

// lookup finds the record named by path value "id" in c.
func lookup(r *http.Request, c *collection, what string) (doc, int64, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return nil, 0, errNotFound(what)
	}
	d, ok := c.get(id)
	if !ok {
		return nil, 0, errNotFound(what)
	}
	return d, id, nil
}

// writeOne prints one record honouring _only[] and _include[].
func writeOne(w http.ResponseWriter, r *http.Request, d doc, inc includer) error {
	q := r.URL.Query()
	writeJSON(w, http.StatusOK, render(d, q["_only[]"], q["_include[]"], inc))
	return nil
}

// ---- items ----

func (s *Server) newItemDoc() doc {
	now := s.stamp()
	return doc{
		"public_id": "", "description": "", "long_description": "", "type": "Item",
		"cost": num(0), "price": num(0), "original_price": num(0),
		"active": true, "track_inventory": true, "allow_fractional_qty": false,
		"prompt_for_price": false, "available_online": false, "has_images": false,
		"grid_id": nil, "primary_barcode": nil, "custom": map[string]any{},
		"created_at": now, "updated_at": now,
	}
}

// validateItem checks a merged item record; self is its id (0 when new).
func (s *Server) validateItem(d doc, self int64) error {
	if isBlank(d["description"]) {
		return errField("description", "can't be blank")
	}
	if err := normNumbers(d, "cost", "price", "original_price", "weight"); err != nil {
		return err
	}
	if err := checkUnique(s.items, d, self); err != nil {
		return err
	}
	return s.checkRequired("item", d)
}

func (s *Server) listItems(w http.ResponseWriter, r *http.Request) error {
	renderList(w, r, s.items.all(), nil)
	return nil
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.items, "Item")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) createItem(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	d := s.newItemDoc()
	mergeInto(d, body)
	if err := s.validateItem(d, 0); err != nil {
		return err
	}
	id := s.items.insert(d)
	assignPublicID(s.items, d, id)
	s.emit(eventItemCreated, d)
	return s.created(w, r, "items/"+strconv.FormatInt(id, 10), d)
}

func (s *Server) updateItem(w http.ResponseWriter, r *http.Request) error {
	return s.updateDoc(w, r, s.items, "Item", s.validateItem, eventItemUpdated)
}

// updateDoc is a partial PUT: the body's fields are merged into the stored
// record, which is validated, stamped, stored and announced by event.
func (s *Server) updateDoc(w http.ResponseWriter, r *http.Request, c *collection, what string,
	validate func(doc, int64) error, event string) error {
	d, id, err := lookup(r, c, what)
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	next := copyDoc(d)
	mergeInto(next, body)
	if err := validate(next, id); err != nil {
		return err
	}
	next["updated_at"] = s.stamp()
	c.docs[id] = next
	s.emit(event, next)
	w.WriteHeader(http.StatusOK)
	return nil
}

// ---- custom fields ----

var customFieldGroups = map[string]bool{"item": true, "customer": true, "sales.transaction": true, "sales.transaction.line_item": true}

var nonKey = regexp.MustCompile(`[^a-z0-9]+`)

// customKey derives the machine key from a name the way the server does
// (lower-case, underscores), suffixing duplicates.
func (s *Server) customKey(name string) string {
	base := strings.Trim(nonKey.ReplaceAllString(strings.ToLower(name), "_"), "_")
	if base == "" {
		base = "field"
	}
	key := base
	for n := 2; ; n++ {
		taken := false
		for _, f := range s.customFields.docs {
			if getStr(f, "key") == key {
				taken = true
				break
			}
		}
		if !taken {
			return key
		}
		key = base + "_" + strconv.Itoa(n)
	}
}

func validateCustomField(d doc) error {
	if isBlank(d["name"]) {
		return errField("name", "can't be blank")
	}
	if !customFieldGroups[getStr(d, "group_id")] {
		return errField("group_id", "is not included in the list")
	}
	for _, b := range []string{"required", "unique"} {
		if _, ok := toBool(d[b]); !ok {
			return errField(b, "is not a boolean")
		}
		d[b], _ = toBool(d[b])
	}
	return nil
}

func (s *Server) listCustomFields(w http.ResponseWriter, r *http.Request) error {
	renderList(w, r, s.customFields.all(), nil)
	return nil
}

func (s *Server) getCustomField(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.customFields, "Custom field")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) createCustomField(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	d := doc{"name": "", "group_id": "", "required": false, "unique": false, "validation_type": "text", "metadata": map[string]any{}}
	mergeInto(d, body)
	delete(d, "key")
	if err := validateCustomField(d); err != nil {
		return err
	}
	d["key"] = s.customKey(getStr(d, "name"))
	id := s.customFields.insert(d)
	return s.created(w, r, "custom_fields/"+strconv.FormatInt(id, 10), d)
}

func (s *Server) updateCustomField(w http.ResponseWriter, r *http.Request) error {
	d, id, err := lookup(r, s.customFields, "Custom field")
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	delete(body, "key")
	delete(body, "group_id")
	next := copyDoc(d)
	mergeInto(next, body)
	if err := validateCustomField(next); err != nil {
		return err
	}
	s.customFields.docs[id] = next
	w.WriteHeader(http.StatusOK)
	return nil
}

// ---- locations ----

func (s *Server) includeLocation(d doc, rel string) (any, bool) {
	if rel != "stations" {
		return nil, false
	}
	id := getInt(d, "id")
	var out []any
	for _, st := range s.stations.where(func(st doc) bool { return getInt(st, "location_id") == id }) {
		out = append(out, st)
	}
	if out == nil {
		out = []any{}
	}
	return out, true
}

func (s *Server) listLocations(w http.ResponseWriter, r *http.Request) error {
	renderList(w, r, s.locations.all(), s.includeLocation)
	return nil
}

func (s *Server) getLocation(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.locations, "Location")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, s.includeLocation)
}

// ---- customers ----

func (s *Server) validateCustomer(d doc, self int64) error {
	if isBlank(d["first_name"]) && isBlank(d["last_name"]) && isBlank(d["email"]) {
		return errField("last_name", "can't be blank")
	}
	if err := checkUnique(s.customers, d, self); err != nil {
		return err
	}
	return s.checkRequired("customer", d)
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) error {
	rows := s.customers.all()
	if q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("query"))); q != "" {
		rows = s.customers.where(func(d doc) bool {
			for _, k := range []string{"first_name", "last_name", "email", "public_id", "phone"} {
				if strings.Contains(strings.ToLower(getStr(d, k)), q) {
					return true
				}
			}
			return false
		})
	}
	renderList(w, r, rows, nil)
	return nil
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) error {
	d, _, err := lookup(r, s.customers, "Customer")
	if err != nil {
		return err
	}
	return writeOne(w, r, d, nil)
}

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	now := s.stamp()
	d := doc{"public_id": "", "first_name": "", "last_name": "", "email": nil, "phone": nil, "active": true,
		"custom": map[string]any{}, "created_at": now, "updated_at": now}
	mergeInto(d, body)
	if err := s.validateCustomer(d, 0); err != nil {
		return err
	}
	id := s.customers.insert(d)
	assignPublicID(s.customers, d, id)
	s.emit(eventCustomerCreated, d)
	return s.created(w, r, "customers/"+strconv.FormatInt(id, 10), d)
}

func (s *Server) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	return s.updateDoc(w, r, s.customers, "Customer", s.validateCustomer, "customer_updated")
}

func (s *Server) listAddresses(w http.ResponseWriter, r *http.Request) error {
	_, id, err := lookup(r, s.customers, "Customer")
	if err != nil {
		return err
	}
	renderList(w, r, s.addresses.where(func(a doc) bool { return getInt(a, "customer_id") == id }), nil)
	return nil
}

func (s *Server) createAddress(w http.ResponseWriter, r *http.Request) error {
	_, cid, err := lookup(r, s.customers, "Customer")
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	d := doc{}
	mergeInto(d, body)
	if isBlank(d["line_1"]) {
		return errField("line_1", "can't be blank")
	}
	d["customer_id"] = num(cid)
	id := s.addresses.insert(d)
	return s.created(w, r, "customers/"+strconv.FormatInt(cid, 10)+"/addresses/"+strconv.FormatInt(id, 10), d)
}

// ---- payment types ----

func (s *Server) listPaymentTypes(w http.ResponseWriter, r *http.Request) error {
	renderList(w, r, s.paymentTypes.all(), nil)
	return nil
}

func (s *Server) createPaymentType(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	d := doc{"active": true}
	mergeInto(d, body)
	if isBlank(d["name"]) {
		return errField("name", "can't be blank")
	}
	for _, o := range s.paymentTypes.docs {
		if strings.EqualFold(getStr(o, "name"), getStr(d, "name")) {
			return errValidation("Name has already been taken", map[string]any{"name": []string{"has already been taken"}})
		}
	}
	id := s.paymentTypes.insert(d)
	return s.created(w, r, "payment_types/"+strconv.FormatInt(id, 10), d)
}

// ---- webhooks ----

var knownEvents = map[string]bool{
	eventItemCreated: true, eventItemUpdated: true, "item_grid_updated": true,
	eventCustomerCreated: true, "customer_updated": true,
	eventSalesTransactionCompleted: true, "location_updated": true,
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	renderList(w, r, s.webhooks.all(), nil)
	return nil
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	u, err := url.Parse(getStr(body, "url"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errField("url", "is not a valid URL")
	}
	raw, _ := body["events"].([]any)
	if len(raw) == 0 {
		return errField("events", "can't be blank")
	}
	events := make([]any, 0, len(raw))
	for _, e := range raw {
		name, _ := e.(string)
		if !knownEvents[name] {
			return errField("events", "contains an unknown event")
		}
		events = append(events, name)
	}
	d := doc{"url": u.String(), "events": events, "active": true, "created_at": s.stamp()}
	id := s.webhooks.insert(d)
	// Webhooks answer the new subscription as JSON besides the Location,
	// as production code reads the id from the body.
	w.Header().Set("Location", "http://"+r.Host+"/api/webhooks/"+strconv.FormatInt(id, 10))
	writeJSON(w, http.StatusCreated, wire(d))
	return nil
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) error {
	_, id, err := lookup(r, s.webhooks, "Webhook")
	if err != nil {
		return err
	}
	s.webhooks.remove(id)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
