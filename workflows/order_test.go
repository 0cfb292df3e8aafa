package workflows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// orderWorld is a scripted stand-in for both platforms: the mocked
// activities read and change it, and tests assert on it.
type orderWorld struct {
	snap        activities.OrderSnapshot
	missing     []string
	hlOrder     int64
	hlStatus    string
	distributed map[int64]int64
	invoices    []activities.InvoiceSummary
	captures    int
	shipments   []activities.ShipmentRequest
	payments    []int64
	bcStatus    int
	outside     int
	failEnsure  error
	// opened are Heartland locations opened after the order's import: a
	// fresh read of the locations finds them.
	opened []activities.Location
	// failRefresh fails the fresh read of the locations.
	failRefresh error
	// legacy runs the workflow as before leanImportChange.
	legacy bool
	// reads and statusReads count ReadOrder and ReadOrderStatus calls.
	reads, statusReads int
	// throttledReads is how many more ReadOrder calls fail as if the store
	// throttled them.
	throttledReads int
	// throttledShipments is how many more CreateShipment calls fail as if
	// the store throttled them.
	throttledShipments int
	// duringRead, when set, runs inside each ReadOrder call, before it
	// answers: what happens while the read is on its way.
	duringRead func()
	// distributeCalls counts DistributeLines calls.
	distributeCalls int
	// paid are the amounts booked in Heartland, invoices and charges;
	// captured is what BigCommerce holds (captures less refunds).
	paid     []decimal.Decimal
	captured decimal.Decimal
	// hlTotal is the Heartland order's total, shipping charge included.
	hlTotal decimal.Decimal
	// settled counts SettleOrderPayment calls that found the money right.
	settled int
	// everOpen is whether the Heartland order was ever released (open),
	// committing stock.
	everOpen bool
	// hlReads and invoiceLists count ReadHeartlandOrder and ListInvoices calls.
	hlReads, invoiceLists int
	// duringHLRead, when set, runs inside each ReadHeartlandOrder call,
	// before it answers.
	duringHLRead func()
	// current are the connection's settings as CurrentSettings reads them
	// now; nil reads as no settings.
	current *Settings
	// settingsReads counts CurrentSettings calls.
	settingsReads int
	// gone makes BigCommerce answer that it has no such order.
	gone bool
	// failDistribute fails DistributeLines for lines sent to a location.
	failDistribute map[int64]error
	// importStamped is whether the last import asked for a stamp.
	importStamped bool
	// importOutage is how many more ImportSalesOrder calls fail as if
	// Heartland did not answer.
	importOutage int
	// importBusy is how many more imports asked InPlace are refused as
	// their connection's import slots would be, all taken.
	importBusy int
	// badSource refuses imports at that source location; importSource is
	// the source location of the last import.
	badSource, importSource int64
	// gatewayRounds is how many looks a capture stays "capture pending";
	// declineCapture makes the gateway decline it then.
	gatewayRounds  int
	declineCapture bool
	// inventoryTold are the changed signals the order sent the inventory
	// sync.
	inventoryTold []InventoryChanged
}

// sweepSaw is what the HeartlandSweep tells the order of its Heartland
// order as it is now, invoices aside.
func (w *orderWorld) sweepSaw() HeartlandChange {
	return HeartlandChange{Status: w.hlStatus}
}

func newOrderWorld(legacy bool) *orderWorld {
	return &orderWorld{
		legacy: legacy,
		snap: activities.OrderSnapshot{
			OrderID: 100, StatusID: bcAwaitingFulfilment, Status: "Awaiting Fulfillment", PaymentStatus: "authorized",
			Email: "ada@example.com", ShippingCharge: "5.00", Total: "53.00", OrderAddressID: 7, DateModified: "2026-11-27T10:00:00Z",
			Lines: []activities.OrderLine{
				{OrderProductID: 1, SKU: "TEE-S", Name: "Tee", Quantity: 2, UnitPrice: "12.00"},
				{OrderProductID: 2, SKU: "MUG", Name: "Mug", Quantity: 1, UnitPrice: "24.00"},
			},
		},
		distributed: map[int64]int64{},
		bcStatus:    bcAwaitingFulfilment,
		hlTotal:     decimal.RequireFromString("53.00"),
	}
}

// paidTotal is what the Heartland order has been paid.
func (w *orderWorld) paidTotal() decimal.Decimal {
	sum := decimal.Zero
	for _, p := range w.paid {
		sum = sum.Add(p)
	}
	return sum
}

// received mirrors activities' list of payment statuses with the money in.
func received(paymentStatus string) bool {
	return paymentStatus == "captured" || paymentStatus == "paid"
}

// settle is SettleOrderPayment on the world: the balance is booked as
// the charges payment when that makes paid equal captured.
func (w *orderWorld) settle(context.Context, activities.SettleRequest) (activities.SettleResult, error) {
	balance := w.hlTotal.Sub(w.paidTotal())
	if balance.IsPositive() && w.paidTotal().Add(balance).Equal(w.captured) {
		w.paid = append(w.paid, balance)
		balance = decimal.Zero
	}
	res := activities.SettleResult{Captured: w.captured.StringFixed(2), TotalPaid: w.paidTotal().StringFixed(2), Balance: balance.StringFixed(2)}
	if !balance.IsZero() || !w.paidTotal().Equal(w.captured) {
		res.Problem = "money does not add up: balance " + res.Balance + ", paid " + res.TotalPaid + ", captured " + res.Captured
		return res, nil
	}
	w.settled++
	return res, nil
}

func (w *orderWorld) install(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterActivity(&activities.Orders{})
	if w.legacy {
		orderBefore(env, leanImportChange)
	}
	env.OnActivity(orderActivities.ReadOrder, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.OrderRequest) (activities.OrderSnapshot, error) {
			w.reads++
			if w.duringRead != nil {
				w.duringRead()
			}
			if w.gone {
				return activities.OrderSnapshot{}, temporal.NewNonRetryableApplicationError("BigCommerce has no order 100", activities.ErrTypeOrderNotFound, nil)
			}
			if w.throttledReads > 0 {
				w.throttledReads--
				return activities.OrderSnapshot{}, errors.New("bigcommerce: GET /v2/orders/100: 429 Too Many Requests")
			}
			return w.snap, nil
		})
	env.OnSignalExternalWorkflow(mock.Anything, InventoryWorkflowID("shop"), "", InventoryChangedSignal, mock.Anything).Return(
		func(_, _, _, _ string, arg any) error {
			w.inventoryTold = append(w.inventoryTold, arg.(InventoryChanged))
			return nil
		})
	env.OnActivity(orderActivities.CurrentSettings, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.CurrentSettingsRequest) (json.RawMessage, error) {
			w.settingsReads++
			return json.Marshal(w.current)
		})
	env.OnActivity(orderActivities.ReadOrderStatus, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.OrderRequest) (activities.OrderStatusSnapshot, error) {
			w.statusReads++
			if w.gone {
				return activities.OrderStatusSnapshot{}, temporal.NewNonRetryableApplicationError("BigCommerce has no order 100", activities.ErrTypeOrderNotFound, nil)
			}
			return activities.OrderStatusSnapshot{OrderID: w.snap.OrderID, StatusID: w.snap.StatusID, Status: w.snap.Status,
				PaymentStatus: w.snap.PaymentStatus, DateModified: w.snap.DateModified}, nil
		})
	env.OnActivity(orderActivities.ImportSalesOrder, mock.Anything, mock.Anything).Return(w.importSalesOrder)
	env.OnActivity(orderActivities.FindSalesOrder, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.FindSalesOrderRequest) (activities.FindSalesOrderResult, error) {
			if w.hlOrder == 0 {
				return activities.FindSalesOrderResult{}, nil
			}
			return activities.FindSalesOrderResult{Found: true, ID: w.hlOrder, Status: w.hlStatus}, nil
		})
	env.OnActivity(orderActivities.ResolveOrderItems, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.ResolveItemsRequest) (activities.ResolveItemsResult, error) {
			var res activities.ResolveItemsResult
			for i, sku := range req.SKUs {
				if slices.Contains(w.missing, sku) {
					res.Missing = append(res.Missing, sku)
				} else {
					res.Items = append(res.Items, activities.ResolvedItem{SKU: sku, ItemID: int64(500 + i)})
				}
			}
			return res, nil
		})
	env.OnActivity(orderActivities.ListShipFromLocations, mock.Anything, mock.Anything).Return(
		[]activities.Location{{ID: 1, Name: "Main"}, {ID: 2, Name: "Warehouse"}, {ID: 3, Name: "Website"}}, nil)
	env.OnActivity(orderActivities.RefreshShipFromLocations, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.ConnectionRequest) ([]activities.Location, error) {
			if w.failRefresh != nil {
				return nil, w.failRefresh
			}
			return append([]activities.Location{{ID: 1, Name: "Main"}, {ID: 2, Name: "Warehouse"}, {ID: 3, Name: "Website"}}, w.opened...), nil
		})
	env.OnActivity(orderActivities.EnsureCustomer, mock.Anything, mock.Anything).Return(
		activities.CustomerRef{CustomerID: 9, BillingAddressID: 10, ShippingAddressID: 11}, nil)
	env.OnActivity(orderActivities.EnsureSalesOrder, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.EnsureSalesOrderRequest) (activities.SalesOrderRef, error) {
			if w.failEnsure != nil {
				return activities.SalesOrderRef{}, w.failEnsure
			}
			w.hlOrder, w.hlStatus = 900, "open"
			if req.Cancelled {
				w.hlStatus = "canceled"
			} else {
				w.everOpen = true
			}
			ref := activities.SalesOrderRef{ID: 900, Status: w.hlStatus, Created: true}
			for i, l := range req.Lines {
				ref.Lines = append(ref.Lines, activities.SalesOrderLine{LineID: int64(70 + i), OrderProductID: l.OrderProductID, ItemID: l.ItemID, Quantity: l.Quantity})
			}
			return ref, nil
		})
	env.OnActivity(orderActivities.DistributeLines, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.DistributeRequest) error {
			w.distributeCalls++
			for _, l := range req.Lines {
				if err := w.failDistribute[l.LocationID]; err != nil {
					return err
				}
			}
			for _, l := range req.Lines {
				w.distributed[l.LineID] = l.LocationID
			}
			return nil
		})
	env.OnActivity(orderActivities.ReadHeartlandOrder, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.HeartlandOrderRequest) (activities.HeartlandOrderSnapshot, error) {
			w.hlReads++
			if w.duringHLRead != nil {
				w.duringHLRead()
			}
			snap := activities.HeartlandOrderSnapshot{Status: w.hlStatus}
			for i := range w.snap.Lines {
				id := int64(70 + i)
				snap.Lines = append(snap.Lines, activities.HeartlandLine{LineID: id, LocationID: w.distributed[id]})
			}
			return snap, nil
		})
	env.OnActivity(orderActivities.ListInvoices, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.InvoicesRequest) ([]activities.InvoiceSummary, error) {
			w.invoiceLists++
			return w.invoices, nil
		})
	env.OnActivity(orderActivities.CapturePayment, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.OrderRequest) (activities.CaptureResult, error) {
			res := activities.CaptureResult{PaymentStatus: w.snap.PaymentStatus, StatusID: w.snap.StatusID}
			if w.snap.PaymentStatus == "capture pending" {
				w.gatewayRounds--
			}
			if w.snap.PaymentStatus == "authorized" && !slices.Contains(settledStatuses, w.snap.StatusID) {
				w.captures++
				w.snap.PaymentStatus = "capture pending"
				res.Captured = true
			}
			if w.snap.PaymentStatus == "capture pending" && w.gatewayRounds <= 0 {
				w.snap.PaymentStatus = "captured"
				if w.declineCapture {
					w.snap.PaymentStatus = "declined"
				} else {
					w.captured = decimal.RequireFromString(w.snap.Total)
				}
				if w.snap.StatusID == bcAwaitingPayment {
					w.snap.StatusID, w.snap.Status = bcAwaitingFulfilment, "Awaiting Fulfillment"
				}
			}
			res.PaymentStatus, res.StatusID = w.snap.PaymentStatus, w.snap.StatusID
			res.Pending = res.PaymentStatus == "capture pending"
			if !received(res.PaymentStatus) {
				res.Blocker = "payment_status " + res.PaymentStatus + ": payment not received"
			}
			return res, nil
		})
	env.OnActivity(orderActivities.SettleOrderPayment, mock.Anything, mock.Anything).Return(w.settle)
	env.OnActivity(orderActivities.CreateShipment, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.ShipmentRequest) (activities.ShipmentResult, error) {
			if w.throttledShipments > 0 {
				w.throttledShipments--
				return activities.ShipmentResult{}, errors.New("bigcommerce: POST /v2/orders/100/shipments: 429 Too Many Requests")
			}
			w.shipments = append(w.shipments, req)
			return activities.ShipmentResult{ShipmentID: len(w.shipments), Created: true}, nil
		})
	env.OnActivity(orderActivities.RecordInvoicePayment, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.InvoicePaymentRequest) error {
			w.payments = append(w.payments, req.InvoiceID)
			w.paid = append(w.paid, decimal.RequireFromString(req.Amount))
			return nil
		})
	env.OnActivity(orderActivities.SetOrderStatus, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.OrderStatusRequest) error {
			w.bcStatus = req.StatusID
			return nil
		})
	env.OnActivity(orderActivities.SetSalesOrderStatus, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.SalesOrderStatusRequest) error {
			w.hlStatus = req.Status
			return nil
		})
	env.OnActivity(orderActivities.RecordOutsideFulfillment, mock.Anything, mock.Anything).Return(
		func(_ context.Context, req activities.OutsideFulfillmentRequest) error {
			w.outside++
			w.paid = append(w.paid, decimal.RequireFromString(req.Amount))
			return nil
		})
}

// importSalesOrder is ImportSalesOrder on the world: what FindSalesOrder,
// ResolveOrderItems and EnsureSalesOrder do, in one.
func (w *orderWorld) importSalesOrder(_ context.Context, req activities.ImportSalesOrderRequest) (activities.ImportSalesOrderResult, error) {
	if req.InPlace && w.importBusy > 0 {
		w.importBusy--
		return activities.ImportSalesOrderResult{}, temporal.NewNonRetryableApplicationError(
			"import cannot start at once: its connection's imports are all taken", activities.ErrTypeImportBusy, nil)
	}
	if w.importOutage > 0 {
		w.importOutage--
		return activities.ImportSalesOrderResult{}, errors.New("heartland: POST /api/sales/orders: dial tcp: connection refused")
	}
	if w.badSource != 0 && req.SourceLocationID == w.badSource {
		return activities.ImportSalesOrderResult{}, temporal.NewNonRetryableApplicationError(
			"heartland: location 3 has no active station", activities.ErrTypeHeartlandRejected, nil)
	}
	w.importSource = req.SourceLocationID
	if w.hlOrder != 0 && (w.hlStatus == "closed" || w.hlStatus == "canceled") {
		return activities.ImportSalesOrderResult{Order: activities.SalesOrderRef{ID: w.hlOrder, Status: w.hlStatus}}, nil
	}
	var res activities.ImportSalesOrderResult
	var skus []string
	for _, l := range req.Lines {
		if !slices.Contains(skus, l.SKU) {
			skus = append(skus, l.SKU)
		}
		if slices.Contains(w.missing, l.SKU) && !slices.Contains(res.Missing, l.SKU) {
			res.Missing = append(res.Missing, l.SKU)
		}
	}
	if len(res.Missing) > 0 {
		return res, nil
	}
	if w.failEnsure != nil {
		return res, w.failEnsure
	}
	w.hlOrder, w.hlStatus = 900, "open"
	if req.Cancelled {
		w.hlStatus = "canceled"
		res.Order = activities.SalesOrderRef{ID: 900, Status: w.hlStatus, Created: true}
		return res, nil
	}
	w.everOpen = true
	res.Order = activities.SalesOrderRef{ID: 900, Status: "open", Created: true}
	w.importStamped = req.Stamp
	if req.Stamp {
		res.Order.Stamp = &activities.HeartlandStamp{UpdatedAt: "2026-11-27T10:00:02Z", Status: "open"}
	}
	for i, l := range req.Lines {
		res.Order.Lines = append(res.Order.Lines, activities.SalesOrderLine{LineID: int64(70 + i), OrderProductID: l.OrderProductID,
			ItemID: int64(500 + slices.Index(skus, l.SKU)), Quantity: l.Quantity})
	}
	res.Locations = []activities.Location{{ID: 1, Name: "Main"}, {ID: 2, Name: "Warehouse"}, {ID: 3, Name: "Website"}}
	if t := req.TellInventory; t != nil {
		// What the activity signals the inventory sync (it is tested
		// against a real server in worker/).
		if t.WorkflowID != InventoryWorkflowID("shop") || t.Signal != InventoryChangedSignal {
			return res, fmt.Errorf("import told to tell %s/%s", t.WorkflowID, t.Signal)
		}
		var items []int64
		for _, l := range res.Order.Lines {
			if !slices.Contains(items, l.ItemID) {
				items = append(items, l.ItemID)
			}
		}
		w.inventoryTold = append(w.inventoryTold, InventoryChanged{ItemIDs: items, Source: t.Source})
	}
	return res, nil
}

// bothImports runs a test on the lean import and on the one before
// leanImportChange, which runs begun earlier still take.
func bothImports(t *testing.T, test func(t *testing.T, legacy bool)) {
	t.Run("lean", func(t *testing.T) { test(t, false) })
	t.Run("legacy", func(t *testing.T) { test(t, true) })
}

// invoice returns a completed invoice of the given order lines at a location.
func invoice(id, location int64, total string, lines ...activities.InvoicedLine) activities.InvoiceSummary {
	return activities.InvoiceSummary{ID: id, LocationID: location, Completed: true, Total: total, Lines: lines}
}

func orderSettings() Settings {
	s := DefaultSettings()
	s.OrderSync, s.SourceLocationID = true, 3
	return s
}

func newOrderEnv(t *testing.T, w *orderWorld) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(Order)
	w.install(env)
	return env
}

func queryOrder(t *testing.T, env *testsuite.TestWorkflowEnvironment) OrderState {
	t.Helper()
	v, err := env.QueryWorkflow(OrderStatusQuery)
	if err != nil {
		t.Fatal(err)
	}
	var st OrderState
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func update(env *testsuite.TestWorkflowEnvironment, name string, args ...any) *updateResultAny {
	r := &updateResultAny{}
	env.UpdateWorkflow(name, name+"-"+time.Now().String(), &testsuite.TestUpdateCallback{
		OnReject:   func(err error) { r.rejected = err },
		OnAccept:   func() {},
		OnComplete: func(v any, err error) { r.completed, r.err = true, err },
	}, args...)
	return r
}

type updateResultAny struct {
	rejected  error
	completed bool
	err       error
}

func TestOrderHappyPathTwoInvoicesTwoLocations(t *testing.T) {
	bothImports(t, testOrderHappyPathTwoInvoicesTwoLocations)
}

func testOrderHappyPathTwoInvoicesTwoLocations(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	env := newOrderEnv(t, w)
	var afterDistribute OrderState
	var rejectedUnknownLocation, rejectedUnknownLine *updateResultAny
	env.RegisterDelayedCallback(func() {
		st := queryOrder(t, env)
		if st.Stage != OrderStageAwaitingDistribution || st.HeartlandOrderID != 900 {
			t.Errorf("before distribute: %+v", st)
		}
		rejectedUnknownLocation = update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 42})
		rejectedUnknownLine = update(env, OrderDistributeUpdate, DistributeOrderRequest{Lines: []LineAssignment{{LineID: 99, LocationID: 1}}})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		// After the unknown location's fresh read has answered.
		update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1, Lines: []LineAssignment{{LineID: 71, LocationID: 2}}})
	}, 90*time.Second)
	env.RegisterDelayedCallback(func() {
		afterDistribute = queryOrder(t, env)
		w.invoices = []activities.InvoiceSummary{invoice(5, 1, "29.00", activities.InvoicedLine{OrderLineID: 70, Quantity: 2})}
		env.SignalWorkflow(OrderHeartlandChangedSignal, nil)
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		w.invoices = append(w.invoices, invoice(6, 2, "24.00", activities.InvoicedLine{OrderLineID: 71, Quantity: 1}))
		// No signal: the poll finds it.
	}, 3*time.Minute)

	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})

	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	// An unknown line is rejected at once; an unknown location only after
	// the locations were read afresh (it might have opened since).
	if rejectedUnknownLine == nil || rejectedUnknownLine.rejected == nil {
		t.Errorf("distribute with an unknown line was not rejected")
	}
	var appErr *temporal.ApplicationError
	if r := rejectedUnknownLocation; r == nil || !r.completed || !errors.As(r.err, &appErr) || appErr.Type() != ErrTypeUnknownLocation {
		t.Errorf("distribute to an unknown location = %+v, want it to fail with %s", r, ErrTypeUnknownLocation)
	}
	if afterDistribute.Stage != OrderStageFulfilling || w.distributed[70] != 1 || w.distributed[71] != 2 {
		t.Errorf("after distribute: stage %s, distributed %v", afterDistribute.Stage, w.distributed)
	}
	if w.captures != 1 || len(w.shipments) != 2 || len(w.payments) != 2 {
		t.Fatalf("captures=%d shipments=%d payments=%d, want 1, 2, 2", w.captures, len(w.shipments), len(w.payments))
	}
	first, second := w.shipments[0], w.shipments[1]
	if first.InvoiceID != 5 || len(first.Items) != 1 || first.Items[0].OrderProductID != 1 || first.Items[0].Quantity != 2 || first.OrderAddressID != 7 {
		t.Errorf("first shipment = %+v", first)
	}
	if second.InvoiceID != 6 || second.Items[0].OrderProductID != 2 || second.Items[0].Quantity != 1 {
		t.Errorf("second shipment = %+v", second)
	}
	if w.bcStatus != bcShipped || w.hlStatus != "closed" {
		t.Errorf("closing: BigCommerce status %d, Heartland %q", w.bcStatus, w.hlStatus)
	}
}

func TestOrderAutoDistribute(t *testing.T) { bothImports(t, testOrderAutoDistribute) }

func testOrderAutoDistribute(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	w.invoices = []activities.InvoiceSummary{invoice(5, 2, "53.00",
		activities.InvoicedLine{OrderLineID: 70, Quantity: 2}, activities.InvoicedLine{OrderLineID: 71, Quantity: 1})}
	env := newOrderEnv(t, w)
	s := orderSettings()
	s.AutoDistributeLocationID = 2
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if w.distributed[70] != 2 || w.distributed[71] != 2 || len(w.shipments) != 1 || w.captures != 1 || w.hlStatus != "closed" {
		t.Errorf("distributed %v, shipments %d, captures %d, heartland %s", w.distributed, len(w.shipments), w.captures, w.hlStatus)
	}
}

func TestOrderWaitsForSyncedStatus(t *testing.T) { bothImports(t, testOrderWaitsForSyncedStatus) }

func testOrderWaitsForSyncedStatus(t *testing.T, legacy bool) {
	for _, status := range []int{0, 1, 4, 7, 8, 9, 10, 12, 13} {
		w := newOrderWorld(legacy)
		w.snap.StatusID = status
		env := newOrderEnv(t, w)
		env.RegisterDelayedCallback(func() {
			st := queryOrder(t, env)
			if st.Stage != OrderStageWaitingStatus || w.hlOrder != 0 {
				t.Errorf("status %d: stage %s, heartland order %d", status, st.Stage, w.hlOrder)
			}
			w.snap.StatusID = bcAwaitingFulfilment
			env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
		}, time.Hour)
		env.RegisterDelayedCallback(func() {
			if st := queryOrder(t, env); st.Stage != OrderStageAwaitingDistribution || w.hlOrder != 900 {
				t.Errorf("status %d then 11: stage %s", status, st.Stage)
			}
			env.CancelWorkflow()
		}, 2*time.Hour)
		env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	}
}

func TestOrderNeedsAttention(t *testing.T) { bothImports(t, testOrderNeedsAttention) }

func testOrderNeedsAttention(t *testing.T, legacy bool) {
	cases := []struct {
		name   string
		setup  func(*orderWorld)
		reason string
		fix    func(*orderWorld)
	}{
		{"partial refund", func(w *orderWorld) { w.snap.StatusID = bcPartiallyRefunded }, "partially refunded",
			func(w *orderWorld) { w.snap.StatusID = bcAwaitingFulfilment }},
		{"gift wrapping", func(w *orderWorld) { w.snap.Lines[0].Unsupported = "gift wrapping" }, `line "Tee" (TEE-S): gift wrapping`,
			func(w *orderWorld) { w.snap.Lines[0].Unsupported = "" }},
		{"customization", func(w *orderWorld) { w.snap.Lines[1].Unsupported = `customization "Engraving" (Text field)` }, "Engraving",
			func(w *orderWorld) { w.snap.Lines[1].Unsupported = "" }},
		{"unknown SKU", func(w *orderWorld) { w.missing = []string{"MUG"} }, "unknown SKU: MUG",
			func(w *orderWorld) { w.missing = nil }},
		{"API rejection", func(w *orderWorld) {
			w.failEnsure = temporal.NewNonRetryableApplicationError("heartland: POST /sales/orders: validation: station_id can't be blank", "HeartlandRejected", nil)
		}, "station_id can't be blank", func(w *orderWorld) { w.failEnsure = nil }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newOrderWorld(legacy)
			tc.setup(w)
			env := newOrderEnv(t, w)
			var early *updateResultAny
			env.RegisterDelayedCallback(func() { early = update(env, OrderRetryUpdate) }, 0)
			env.RegisterDelayedCallback(func() {
				st := queryOrder(t, env)
				if st.Stage != OrderStageAttention || !strings.Contains(st.Attention, tc.reason) {
					t.Errorf("stage %s attention %q, want attention containing %q", st.Stage, st.Attention, tc.reason)
				}
				if w.hlOrder != 0 {
					t.Errorf("Heartland order created despite %s", tc.name)
				}
				tc.fix(w)
				update(env, OrderRetryUpdate)
			}, time.Hour)
			env.RegisterDelayedCallback(func() {
				if st := queryOrder(t, env); st.Stage != OrderStageAwaitingDistribution || st.Attention != "" {
					t.Errorf("after retry: stage %s attention %q", st.Stage, st.Attention)
				}
				env.CancelWorkflow()
			}, 2*time.Hour)
			env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
			if early == nil || early.rejected == nil {
				t.Error("retry before any attention was not rejected")
			}
		})
	}
}

func TestOrderCancelledBeforeFulfillment(t *testing.T) {
	bothImports(t, testOrderCancelledBeforeFulfillment)
}

func testOrderCancelledBeforeFulfillment(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	env := newOrderEnv(t, w)
	env.RegisterDelayedCallback(func() {
		w.snap.StatusID, w.snap.Status = bcCancelled, "Cancelled"
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if w.hlStatus != "canceled" || len(w.shipments) != 0 {
		t.Errorf("heartland status %q shipments %d", w.hlStatus, len(w.shipments))
	}
}

func TestOrderCancelledAfterPartialFulfillment(t *testing.T) {
	bothImports(t, testOrderCancelledAfterPartialFulfillment)
}

func testOrderCancelledAfterPartialFulfillment(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	w.invoices = []activities.InvoiceSummary{invoice(5, 1, "29.00", activities.InvoicedLine{OrderLineID: 70, Quantity: 2})}
	env := newOrderEnv(t, w)
	s := orderSettings()
	s.AutoDistributeLocationID = 1
	env.RegisterDelayedCallback(func() {
		w.snap.StatusID, w.snap.Status = bcCancelled, "Cancelled"
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		st := queryOrder(t, env)
		if st.Stage != OrderStageAttention || !strings.Contains(st.Attention, "Cancelled in BigCommerce after 1 shipment") {
			t.Errorf("stage %s attention %q", st.Stage, st.Attention)
		}
		if w.hlStatus == "canceled" {
			t.Error("a partly shipped order was cancelled in Heartland")
		}
		env.CancelWorkflow()
	}, time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
}

func TestOrderFirstSeenDeclinedIsRecordedCancelled(t *testing.T) {
	bothImports(t, testOrderFirstSeenDeclinedIsRecordedCancelled)
}

// An order declined before hrbc saw it is still a web sale: Heartland gets
// it as a canceled sales order, never released, so nothing is committed.
func testOrderFirstSeenDeclinedIsRecordedCancelled(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	w.snap.StatusID = bcDeclined
	env := newOrderEnv(t, w)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if w.hlOrder == 0 || w.hlStatus != "canceled" || w.everOpen {
		t.Errorf("Heartland order %d status %q (ever open %v), want a canceled order never opened", w.hlOrder, w.hlStatus, w.everOpen)
	}
	if st := queryOrder(t, env); st.Stage != OrderStageCancelled || st.HeartlandOrderID != w.hlOrder {
		t.Errorf("stage %s Heartland order %d, want cancelled with the order", st.Stage, st.HeartlandOrderID)
	}
}

func TestOrderAlreadyClosedByEarlierWorkflow(t *testing.T) {
	bothImports(t, testOrderAlreadyClosedByEarlierWorkflow)
}

func testOrderAlreadyClosedByEarlierWorkflow(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	w.hlOrder, w.hlStatus = 900, "closed"
	env := newOrderEnv(t, w)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(w.shipments) != 0 || w.hlStatus != "closed" {
		t.Errorf("closed order was worked again: %+v", w)
	}
}

func TestOrderOutsideFulfillment(t *testing.T) { bothImports(t, testOrderOutsideFulfillment) }

func testOrderOutsideFulfillment(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	// Captured at checkout, as the seed asks of stores that ship elsewhere.
	w.snap.PaymentStatus, w.captured = "captured", decimal.RequireFromString("53.00")
	env := newOrderEnv(t, w)
	s := orderSettings()
	s.OutsideFulfillment, s.FulfillmentLocationID = true, 2
	env.RegisterDelayedCallback(func() {
		if st := queryOrder(t, env); st.Stage != OrderStageFulfilling {
			t.Errorf("stage %s, want fulfilling while waiting for the outside service", st.Stage)
		}
		w.snap.StatusID = bcShipped
		env.SignalWorkflow(OrderBigCommerceChangedSignal, nil)
	}, time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if w.outside != 1 || w.distributed[70] != 2 || w.distributed[71] != 2 || w.hlStatus != "closed" || len(w.shipments) != 0 {
		t.Errorf("outside=%d distributed=%v heartland=%s shipments=%d", w.outside, w.distributed, w.hlStatus, len(w.shipments))
	}
}

func TestOrderContinueAsNewKeepsState(t *testing.T) { bothImports(t, testOrderContinueAsNewKeepsState) }

func testOrderContinueAsNewKeepsState(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	env := newOrderEnv(t, w)
	s := orderSettings()
	s.AutoDistributeLocationID = 1
	env.RegisterDelayedCallback(func() { env.SetContinueAsNewSuggested(true) }, time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: s})
	var can *workflow.ContinueAsNewError
	err := env.GetWorkflowError()
	if !errors.As(err, &can) {
		t.Fatalf("workflow ended with %v, want continue-as-new", err)
	}
}

func TestOrderUpdatesArrivingMidActivity(t *testing.T) {
	bothImports(t, testOrderUpdatesArrivingMidActivity)
}

func testOrderUpdatesArrivingMidActivity(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(Order)
	env.RegisterActivity(&activities.Orders{})
	// EnsureSalesOrder takes ten minutes; a distribute arriving meanwhile
	// finds the order still importing and is refused.
	env.OnActivity(orderActivities.EnsureSalesOrder, mock.Anything, mock.Anything).After(10 * time.Minute).Return(
		func(_ context.Context, req activities.EnsureSalesOrderRequest) (activities.SalesOrderRef, error) {
			w.hlOrder = 900
			ref := activities.SalesOrderRef{ID: 900, Status: "open", Created: true}
			for i, l := range req.Lines {
				ref.Lines = append(ref.Lines, activities.SalesOrderLine{LineID: int64(70 + i), OrderProductID: l.OrderProductID, ItemID: l.ItemID, Quantity: l.Quantity})
			}
			return ref, nil
		}).Once()
	// The lean import's one activity is as slow.
	env.OnActivity(orderActivities.ImportSalesOrder, mock.Anything, mock.Anything).After(10 * time.Minute).Return(w.importSalesOrder).Once()
	var early, late *updateResultAny
	env.RegisterDelayedCallback(func() {
		early = update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1})
	}, 5*time.Minute)
	// A distribute whose activity is still running makes a second one wait
	// its turn: it is refused rather than interleaved.
	env.OnActivity(orderActivities.DistributeLines, mock.Anything, mock.Anything).After(time.Minute).Return(
		func(_ context.Context, req activities.DistributeRequest) error {
			w.distributeCalls++
			for _, l := range req.Lines {
				w.distributed[l.LineID] = l.LocationID
			}
			return nil
		})
	env.RegisterDelayedCallback(func() {
		update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 2})
	}, 20*time.Minute)
	env.RegisterDelayedCallback(func() {
		late = update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 1})
	}, 20*time.Minute+30*time.Second)
	// The slow mocks above come first; the world's answer the rest.
	w.install(env)
	env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, time.Hour)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if early == nil || early.rejected == nil {
		t.Error("distribute during import was accepted")
	}
	if late == nil || late.rejected == nil {
		t.Error("distribute during a running distribute was accepted")
	}
	if w.distributed[70] != 2 || w.distributed[71] != 2 {
		t.Errorf("distributed %v, want both lines at 2", w.distributed)
	}
}

func TestOrderInUnsyncedStatusGivesUpAfterMaxWait(t *testing.T) {
	bothImports(t, testOrderInUnsyncedStatusGivesUpAfterMaxWait)
}

func testOrderInUnsyncedStatusGivesUpAfterMaxWait(t *testing.T, legacy bool) {
	w := newOrderWorld(legacy)
	w.snap.StatusID = 0
	env := newOrderEnv(t, w)
	// Runs under orderRescueChange keep waiting instead (TestOrderInUnsyncedStatusKeepsWaiting).
	orderBefore(env, orderRescueChange)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings(),
		Options: OrderOptions{MaxStatusWait: 48 * time.Hour}})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("completed=%v err=%v", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	if w.hlOrder != 0 {
		t.Error("an incomplete checkout reached Heartland")
	}
}

// A location opened after the order was imported is found by a fresh read
// when an admin distributes to it.
func TestOrderDistributeToANewlyOpenedLocation(t *testing.T) {
	w := newOrderWorld(false)
	env := newOrderEnv(t, w)
	var res *updateResultAny
	var st OrderState
	env.RegisterDelayedCallback(func() {
		w.opened = []activities.Location{{ID: 4, Name: "New Store"}}
		res = update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 4})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		st = queryOrder(t, env)
		env.CancelWorkflow()
	}, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if res == nil || res.rejected != nil || res.err != nil || !res.completed {
		t.Fatalf("distribute to the new location = %+v", res)
	}
	if w.distributed[70] != 4 || w.distributed[71] != 4 || st.Stage != OrderStageFulfilling ||
		!slices.ContainsFunc(st.Locations, func(l LocationRef) bool { return l.ID == 4 && l.Name == "New Store" }) {
		t.Errorf("distributed %v, state %+v", w.distributed, st)
	}
}

// When the fresh read of the locations fails, the admin gets the error and
// the order still awaits distribution.
func TestOrderDistributeWhenLocationsCannotBeRead(t *testing.T) {
	w := newOrderWorld(false)
	w.failRefresh = temporal.NewNonRetryableApplicationError("Heartland is down", "HeartlandRejected", nil)
	env := newOrderEnv(t, w)
	var res *updateResultAny
	var st OrderState
	env.RegisterDelayedCallback(func() {
		res = update(env, OrderDistributeUpdate, DistributeOrderRequest{LocationID: 4})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		st = queryOrder(t, env)
		env.CancelWorkflow()
	}, 2*time.Minute)
	env.ExecuteWorkflow(Order, OrderInput{ConnectionID: "shop", OrderID: 100, Settings: orderSettings()})
	if res == nil || !res.completed || res.err == nil || !strings.Contains(res.err.Error(), "Heartland is down") {
		t.Fatalf("distribute while the locations cannot be read = %+v", res)
	}
	if len(w.distributed) != 0 || st.Stage != OrderStageAwaitingDistribution {
		t.Errorf("distributed %v, stage %s; want nothing written, still awaiting distribution", w.distributed, st.Stage)
	}
}
