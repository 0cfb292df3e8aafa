package bigcommercetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/shopspring/decimal"
)

func (s *Server) orderRoutes() {
	s.api.HandleFunc("GET /v2/orders", s.listOrders)
	s.api.HandleFunc("GET /v2/orders/{id}", s.getOrder)
	s.api.HandleFunc("PUT /v2/orders/{id}", s.updateOrder)
	s.api.HandleFunc("GET /v2/orders/{id}/products", s.listOrderProducts)
	s.api.HandleFunc("GET /v2/orders/{id}/shipping_addresses", s.listShippingAddresses)
	// Every order advertises its coupons link; the fake has no coupons, so
	// the list is empty (204), as the real store answers for an order
	// without any.
	s.api.HandleFunc("GET /v2/orders/{id}/coupons", s.listCoupons)
	s.api.HandleFunc("GET /v2/order_statuses", s.listOrderStatuses)
	s.shipmentRoutes()
	s.paymentRoutes()
}

// statusNames is the v2 status table: id → (name, control-panel sort order).
var statusNames = map[int]struct {
	name  string
	order int
}{
	0: {"Incomplete", 0}, 1: {"Pending", 1}, 2: {"Shipped", 8}, 3: {"Partially Shipped", 6},
	4: {"Refunded", 11}, 5: {"Cancelled", 9}, 6: {"Declined", 10}, 7: {"Awaiting Payment", 2},
	8: {"Awaiting Pickup", 5}, 9: {"Awaiting Shipment", 4}, 10: {"Completed", 7},
	11: {"Awaiting Fulfillment", 3}, 12: {"Manual Verification Required", 13}, 13: {"Disputed", 12},
	14: {"Partially Refunded", 14},
}

// OrderSeed describes an order for AddOrder.
type OrderSeed struct {
	// StatusID 0 means Awaiting Fulfillment (11); set Incomplete for status 0.
	StatusID   int
	Incomplete bool
	// PaymentStatus defaults from the status: "authorized" while awaiting
	// fulfilment/shipment/pickup, "captured" once shipped or completed,
	// "refunded"/"partially refunded" for 4/14, "void" for 5/6, else "pending".
	PaymentStatus string
	PaymentMethod string // default "Credit Card"
	CustomerID    int
	CustomerEmail string
	FirstName     string
	LastName      string
	ShippingCost  decimal.Decimal
	Lines         []OrderLine
	// PartialRefund refunds one unit of the first line after creation: the
	// order ends in Partially Refunded (14) with a v3 refund record.
	PartialRefund bool
	// AuthorizeOnly is a checkout through an authorize-only gateway: the
	// order waits at Awaiting Payment (7) with its payment authorized until
	// it is captured (unless StatusID or PaymentStatus say otherwise).
	AuthorizeOnly   bool
	ExternalOrderID string
	CustomerMessage string
}

// OrderLine is one line of a seeded order.
type OrderLine struct {
	SKU      string
	Quantity int
	// Price per unit; default the variant's (or product's) price.
	Price *decimal.Decimal
	// GiftWrapping adds wrapping to the line.
	GiftWrapping *GiftWrapping
	// Modifiers are customisations (e.g. a Text field engraving) shown in
	// product_options next to the variant's own option choice.
	Modifiers []bc.OrderProductOption
}

// GiftWrapping is a line's gift wrapping.
type GiftWrapping struct {
	Name    string
	Cost    decimal.Decimal
	Message string
}

func defaultPaymentStatus(status int) string {
	switch status {
	case 11, 9, 8, 12, 3:
		return bc.PaymentAuthorized
	case 2, 10:
		return bc.PaymentCaptured
	case 4:
		return bc.PaymentRefunded
	case 14:
		return bc.PaymentPartiallyRefunded
	case 5, 6:
		return bc.PaymentVoid
	}
	return "pending"
}

// AddOrder seeds an order and emits store/order/created. Stock of each
// line is decremented at the default location (the default
// update_stock_behavior, "order_placed").
func (s *Server) AddOrder(o OrderSeed) (bc.Order, error) {
	order, err := s.createOrder(o)
	if err != nil {
		return bc.Order{}, err
	}
	if o.PartialRefund {
		if err := s.seedPartialRefund(order.ID); err != nil {
			return bc.Order{}, err
		}
		order, _ = s.Order(order.ID)
	}
	return order, nil
}

// MustAddOrder is AddOrder that panics on error (for seeding).
func (s *Server) MustAddOrder(o OrderSeed) bc.Order {
	ord, err := s.AddOrder(o)
	if err != nil {
		panic(err)
	}
	return ord
}

func (s *Server) createOrder(o OrderSeed) (bc.Order, error) {
	if len(o.Lines) == 0 {
		return bc.Order{}, fmt.Errorf("bigcommercetest: order needs at least one line")
	}
	status := o.StatusID
	if status == 0 && o.AuthorizeOnly {
		status = bc.StatusAwaitingPayment
		if o.PaymentStatus == "" {
			o.PaymentStatus = bc.PaymentAuthorized
		}
	}
	if status == 0 && !o.Incomplete {
		status = bc.StatusAwaitingFulfillment
	}
	if _, ok := statusNames[status]; !ok {
		return bc.Order{}, fmt.Errorf("bigcommercetest: unknown status %d", status)
	}
	if o.PaymentStatus == "" {
		o.PaymentStatus = defaultPaymentStatus(status)
	}
	if o.PaymentMethod == "" {
		o.PaymentMethod = "Credit Card"
	}
	if o.CustomerEmail == "" {
		o.CustomerEmail = "jane.doe@example.com"
	}
	if o.FirstName == "" {
		o.FirstName, o.LastName = "Jane", "Doe"
	}
	st := s.st
	st.mu.Lock()
	now := st.now()
	id := st.nextID("order")
	rec := &orderRec{}
	addr := bc.ShippingAddress{
		ID: st.nextID("address"), OrderID: id, FirstName: o.FirstName, LastName: o.LastName,
		Street1: "455 Main Street", City: "Austin", State: "Texas", Zip: "78751",
		Country: "United States", CountryISO2: "US", Email: o.CustomerEmail, Phone: "555-123-4567",
		ShippingMethod: "Flat Rate", BaseCost: bc.MoneyFromDecimal(o.ShippingCost),
		CostExTax: bc.MoneyFromDecimal(o.ShippingCost), CostIncTax: bc.MoneyFromDecimal(o.ShippingCost),
	}
	subtotal, wrapping := decimal.Zero, decimal.Zero
	items := 0
	type decrement struct {
		k   itemKey
		qty int
	}
	var decs []decrement
	for _, l := range o.Lines {
		v := st.variantBySKU(l.SKU)
		if v == nil || l.Quantity <= 0 {
			st.mu.Unlock()
			return bc.Order{}, fmt.Errorf("bigcommercetest: order line %q x%d: unknown SKU or bad quantity", l.SKU, l.Quantity)
		}
		p := st.products[v.ProductID]
		price := p.Price.Decimal
		if v.Price != nil {
			price = v.Price.Decimal
		}
		if l.Price != nil {
			price = *l.Price
		}
		total := price.Mul(decimal.NewFromInt(int64(l.Quantity)))
		opID := st.nextID("order_product")
		op := bc.OrderProduct{
			ID: opID, OrderID: id, ProductID: p.ID, VariantID: v.ID, OrderAddressID: addr.ID,
			Name: p.Name, SKU: v.SKU, Type: p.Type,
			BasePrice: bc.MoneyFromDecimal(price), PriceExTax: bc.MoneyFromDecimal(price),
			PriceIncTax: bc.MoneyFromDecimal(price), BaseTotal: bc.MoneyFromDecimal(total),
			TotalExTax: bc.MoneyFromDecimal(total), TotalIncTax: bc.MoneyFromDecimal(total),
			DiscountedTotalIncTax: bc.MoneyFromDecimal(total), Weight: bc.MoneyFromDecimal(p.Weight.Decimal),
			Quantity: l.Quantity, ProductOptions: []bc.OrderProductOption{},
		}
		if p.BaseVariantID == nil && len(v.OptionValues) > 0 {
			ov := v.OptionValues[0]
			op.ProductOptions = append(op.ProductOptions, bc.OrderProductOption{
				ID: st.nextID("order_option"), OptionID: ov.OptionID, OrderProductID: opID, ProductOptionID: ov.OptionID,
				DisplayName: ov.OptionDisplayName, DisplayValue: ov.Label, Value: strconv.Itoa(ov.ID),
				Type: "Multiple choice", Name: ov.OptionDisplayName, DisplayStyle: "Rectangle",
			})
		}
		for _, m := range l.Modifiers {
			m.ID = st.nextID("order_option")
			m.OrderProductID = opID
			op.ProductOptions = append(op.ProductOptions, m)
		}
		if g := l.GiftWrapping; g != nil {
			op.WrappingID = 1
			op.WrappingName = g.Name
			op.WrappingMessage = g.Message
			op.BaseWrappingCost = bc.MoneyFromDecimal(g.Cost)
			op.WrappingCostExTax = bc.MoneyFromDecimal(g.Cost)
			op.WrappingCostIncTax = bc.MoneyFromDecimal(g.Cost)
			wrapping = wrapping.Add(g.Cost)
		}
		rec.products = append(rec.products, op)
		subtotal = subtotal.Add(total)
		items += l.Quantity
		if k, ok := st.itemOf(v); ok && !o.Incomplete {
			decs = append(decs, decrement{k, l.Quantity})
		}
	}
	for _, d := range decs {
		l := st.level(d.k, st.defaultLoc)
		l.onHand = max(l.onHand-d.qty, 0)
	}
	addr.ItemsTotal = items
	rec.addresses = []bc.ShippingAddress{addr}
	total := subtotal.Add(o.ShippingCost).Add(wrapping)
	m := bc.MoneyFromDecimal
	rec.order = bc.Order{
		ID: id, CustomerID: bc.FlexInt(o.CustomerID), DateCreated: bc.V2Time{Time: now}, DateModified: bc.V2Time{Time: now},
		StatusID: status, Status: statusNames[status].name, CustomStatus: statusNames[status].name,
		SubtotalExTax: m(subtotal), SubtotalIncTax: m(subtotal), BaseShippingCost: m(o.ShippingCost),
		ShippingCostExTax: m(o.ShippingCost), ShippingCostIncTax: m(o.ShippingCost),
		BaseWrappingCost: m(wrapping), WrappingCostExTax: m(wrapping), WrappingCostIncTax: m(wrapping),
		TotalExTax: m(total), TotalIncTax: m(total), ItemsTotal: items,
		PaymentMethod: o.PaymentMethod, PaymentStatus: o.PaymentStatus, CurrencyCode: "USD",
		CurrencyExchangeRate: bc.NewMoney("1"), ShippingAddressCount: 1, CustomerMessage: o.CustomerMessage,
		ChannelID: 1, OrderSource: "www", ExternalOrderID: o.ExternalOrderID,
		BillingAddress: bc.BillingAddress{
			FirstName: o.FirstName, LastName: o.LastName, Street1: "455 Main Street", City: "Austin",
			State: "Texas", Zip: "78751", Country: "United States", CountryISO2: "US", Email: o.CustomerEmail,
		},
	}
	if status == bc.StatusShipped || status == bc.StatusPartiallyShipped {
		rec.order.DateShipped = bc.V2Time{Time: now}
	}
	switch o.PaymentStatus {
	case bc.PaymentAuthorized:
		rec.transactions = append(rec.transactions, st.newTransaction(id, "authorization", total))
	case bc.PaymentCaptured, bc.PaymentPaid, bc.PaymentRefunded, bc.PaymentPartiallyRefunded:
		rec.transactions = append(rec.transactions, st.newTransaction(id, "purchase", total))
	}
	st.orders[id] = rec
	out := s.renderOrder(rec)
	st.mu.Unlock()
	s.hooks.emit("store/order/created", map[string]any{"type": "order", "id": id})
	return out, nil
}

func (st *store) newTransaction(orderID int, event string, amount decimal.Decimal) bc.Transaction {
	return bc.Transaction{
		ID: st.nextID("transaction"), OrderID: bc.FlexString(strconv.Itoa(orderID)), Event: event,
		Method: "credit_card", Amount: bc.NumberFromDecimal(amount), Currency: "USD", Gateway: "testgateway",
		GatewayTransactionID: fmt.Sprintf("gw-%d-%s", orderID, event), Status: "ok", Test: true,
		DateCreated: bc.Time{Time: st.now()},
	}
}

// renderOrder returns the order with its link objects. Caller holds mu.
func (s *Server) renderOrder(rec *orderRec) bc.Order {
	o := rec.order
	link := func(sub string) *bc.Resource {
		res := fmt.Sprintf("/orders/%d/%s", o.ID, sub)
		return &bc.Resource{URL: s.BaseURL() + "/v2" + res, Resource: res}
	}
	o.Products, o.ShippingAddresses, o.Coupons = link("products"), link("shipping_addresses"), link("coupons")
	return o
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	minMod, ok1 := timeFilter(q.Get("min_date_modified"))
	maxMod, ok2 := timeFilter(q.Get("max_date_modified"))
	minCreated, ok3 := timeFilter(q.Get("min_date_created"))
	if !ok1 || !ok2 || !ok3 {
		writeV2Error(w, http.StatusBadRequest, "The field 'min_date_modified' is invalid.")
		return
	}
	statusFilter := -1
	if v := q.Get("status_id"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeV2Error(w, http.StatusBadRequest, "The field 'status_id' is invalid.")
			return
		}
		statusFilter = n
	}
	st := s.st
	st.mu.Lock()
	var out []bc.Order
	for _, id := range sortedKeys(st.orders) {
		rec := st.orders[id]
		o := rec.order
		switch {
		case o.IsDeleted:
			continue
		case statusFilter >= 0 && o.StatusID != statusFilter:
			continue
		case statusFilter < 0 && o.StatusID == bc.StatusIncomplete:
			// Incomplete orders are listed only when asked for explicitly.
			continue
		case !minMod.IsZero() && o.DateModified.Before(minMod):
			continue
		case !maxMod.IsZero() && o.DateModified.After(maxMod):
			continue
		case !minCreated.IsZero() && o.DateCreated.Before(minCreated):
			continue
		case q.Get("email") != "" && !strings.EqualFold(o.BillingAddress.Email, q.Get("email")):
			continue
		case q.Get("min_id") != "" && o.ID < atoiDefault(q.Get("min_id"), 0):
			continue
		}
		out = append(out, s.renderOrder(rec))
	}
	st.mu.Unlock()
	switch q.Get("sort") {
	case "date_modified:asc":
		sort.SliceStable(out, func(i, j int) bool { return out[i].DateModified.Before(out[j].DateModified.Time) })
	case "date_modified:desc":
		sort.SliceStable(out, func(i, j int) bool { return out[i].DateModified.After(out[j].DateModified.Time) })
	case "id:desc":
		sort.SliceStable(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	}
	v2List(w, r, out)
}

// order looks up an order record; writes the v2 404 when missing. Caller holds mu.
func (s *Server) orderOr404(w http.ResponseWriter, r *http.Request, v3 bool) *orderRec {
	id, _ := pathID(r, "id")
	rec := s.st.orders[id]
	if rec == nil || rec.order.IsDeleted {
		if v3 {
			writeV3Error(w, http.StatusNotFound, fmt.Sprintf("Order %d not found", id), nil)
		} else {
			writeV2Error(w, http.StatusNotFound, "The requested resource was not found.")
		}
		return nil
	}
	return rec
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	if rec := s.orderOr404(w, r, false); rec != nil {
		writeJSON(w, http.StatusOK, s.renderOrder(rec))
	}
}

func (s *Server) updateOrder(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if err := decodeBody(r, &body); err != nil {
		writeV2Error(w, http.StatusBadRequest, err.Error())
		return
	}
	st := s.st
	st.mu.Lock()
	rec := s.orderOr404(w, r, false)
	if rec == nil {
		st.mu.Unlock()
		return
	}
	raw, ok := body["status_id"]
	var statusID int
	if ok {
		if err := json.Unmarshal(raw, &statusID); err != nil {
			st.mu.Unlock()
			writeV2Error(w, http.StatusBadRequest, "The field 'status_id' is invalid.")
			return
		}
		if _, known := statusNames[statusID]; !known {
			st.mu.Unlock()
			writeV2Error(w, http.StatusBadRequest, "The field 'status_id' is invalid.")
			return
		}
	}
	prev := rec.order.StatusID
	if ok {
		st.setStatus(rec, statusID)
	}
	rec.order.DateModified = bc.V2Time{Time: st.now()}
	out := s.renderOrder(rec)
	st.mu.Unlock()
	s.emitOrderChange(out.ID, prev, out.StatusID)
	writeJSON(w, http.StatusOK, out)
}

// setStatus changes the status and its name. Caller holds mu.
func (st *store) setStatus(rec *orderRec, status int) {
	rec.order.StatusID = status
	rec.order.Status = statusNames[status].name
	rec.order.CustomStatus = statusNames[status].name
	rec.order.DateModified = bc.V2Time{Time: st.now()}
}

// emitOrderChange sends store/order/updated, plus statusUpdated when the status moved.
func (s *Server) emitOrderChange(id, prev, next int) {
	s.hooks.emit("store/order/updated", map[string]any{"type": "order", "id": id})
	if prev != next {
		s.hooks.emit("store/order/statusUpdated", map[string]any{
			"type": "order", "id": id,
			"status": map[string]int{"previous_status_id": prev, "new_status_id": next},
		})
	}
}

// SetOrderStatus changes an order's status as a merchant would in the
// control panel and emits store/order/updated and store/order/statusUpdated.
func (s *Server) SetOrderStatus(id, status int) error {
	if _, ok := statusNames[status]; !ok {
		return fmt.Errorf("bigcommercetest: unknown status %d", status)
	}
	st := s.st
	st.mu.Lock()
	rec := st.orders[id]
	if rec == nil {
		st.mu.Unlock()
		return fmt.Errorf("bigcommercetest: no order %d", id)
	}
	prev := rec.order.StatusID
	st.setStatus(rec, status)
	st.mu.Unlock()
	s.emitOrderChange(id, prev, status)
	return nil
}

func (s *Server) listOrderProducts(w http.ResponseWriter, r *http.Request) {
	s.st.mu.Lock()
	rec := s.orderOr404(w, r, false)
	if rec == nil {
		s.st.mu.Unlock()
		return
	}
	items := append([]bc.OrderProduct(nil), rec.products...)
	s.st.mu.Unlock()
	v2List(w, r, items)
}

func (s *Server) listShippingAddresses(w http.ResponseWriter, r *http.Request) {
	s.st.mu.Lock()
	rec := s.orderOr404(w, r, false)
	if rec == nil {
		s.st.mu.Unlock()
		return
	}
	items := append([]bc.ShippingAddress(nil), rec.addresses...)
	s.st.mu.Unlock()
	v2List(w, r, items)
}

func (s *Server) listCoupons(w http.ResponseWriter, r *http.Request) {
	s.st.mu.Lock()
	rec := s.orderOr404(w, r, false)
	s.st.mu.Unlock()
	if rec == nil {
		return
	}
	v2List(w, r, []struct{}{})
}

func (s *Server) listOrderStatuses(w http.ResponseWriter, r *http.Request) {
	out := make([]bc.OrderStatus, 0, len(statusNames))
	for id := 0; id <= 14; id++ {
		n := statusNames[id]
		out = append(out, bc.OrderStatus{ID: id, Name: n.name, SystemLabel: n.name, CustomLabel: n.name, Order: n.order})
	}
	writeJSON(w, http.StatusOK, out)
}

// Order returns an order as GET /v2/orders/{id} would.
func (s *Server) Order(id int) (bc.Order, bool) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	rec := s.st.orders[id]
	if rec == nil {
		return bc.Order{}, false
	}
	return s.renderOrder(rec), true
}

// Orders returns every order by id.
func (s *Server) Orders() []bc.Order {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	var out []bc.Order
	for _, id := range sortedKeys(s.st.orders) {
		out = append(out, s.renderOrder(s.st.orders[id]))
	}
	return out
}

// OrderProducts returns an order's lines.
func (s *Server) OrderProducts(id int) []bc.OrderProduct {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	if rec := s.st.orders[id]; rec != nil {
		return append([]bc.OrderProduct(nil), rec.products...)
	}
	return nil
}

// PaymentStatus returns an order's payment_status ("" if no such order).
func (s *Server) PaymentStatus(id int) string {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	if rec := s.st.orders[id]; rec != nil {
		return rec.order.PaymentStatus
	}
	return ""
}

// touch marks an order modified now. Caller holds mu.
func (st *store) touch(rec *orderRec) { rec.order.DateModified = bc.V2Time{Time: st.now()} }
