package activities

import (
	"errors"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// bcClient is a second client on the fixture's store, for what staff do
// in the BigCommerce control panel (refunds).
func (f *orderFixture) bcClient(t *testing.T) *bigcommerce.Client {
	t.Helper()
	c, err := bigcommerce.New(f.bc.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// invoiced imports the fixture's order, ships it all from Main and
// returns the Heartland order and the invoice.
func (f *orderFixture) invoiced(t *testing.T) (SalesOrderRef, InvoiceSummary) {
	t.Helper()
	ref := f.importOrder(t)
	if err := f.acts.DistributeLines(f.ctx, DistributeRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		Lines: []LineLocation{{LineID: ref.Lines[0].LineID, LocationID: f.main.ID}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.hl.InvoiceOrderAt(ref.ID, f.main.ID); err != nil {
		t.Fatal(err)
	}
	invs, err := f.acts.ListInvoices(f.ctx, InvoicesRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID})
	if err != nil || len(invs) != 1 {
		t.Fatalf("invoices %+v %v", invs, err)
	}
	return ref, invs[0]
}

// paidInvoice is invoiced with the payment captured and the invoice
// booked as paid, as the Order workflow leaves it before closing.
func (f *orderFixture) paidInvoice(t *testing.T) SalesOrderRef {
	t.Helper()
	ref, inv := f.invoiced(t)
	if _, err := f.acts.CapturePayment(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: f.orderID}); err != nil {
		t.Fatal(err)
	}
	if err := f.acts.RecordInvoicePayment(f.ctx, InvoicePaymentRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		InvoiceID: inv.ID, Amount: inv.Total, OrderID: f.orderID}); err != nil {
		t.Fatal(err)
	}
	return ref
}

func wantErrType(t *testing.T, err error, typ string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != typ || !appErr.NonRetryable() {
		t.Fatalf("error %v, want a non-retryable %s", err, typ)
	}
}

// The seed's order 100 on an account whose invoices carry only the lines
// (20): the order owes the shipping charge (5) too. Settling books it, so
// the order's balance is 0 and its total paid is what BigCommerce captured.
func TestSettleOrderPaymentBooksTheShippingCharge(t *testing.T) {
	f := newQuirkFixture(t, nil, heartlandtest.WithInvoicesWithoutShipping()).orderFixture
	ref := f.paidInvoice(t)
	for range 2 {
		res, err := f.acts.SettleOrderPayment(f.ctx, SettleRequest{ConnectionID: "shop", OrderID: f.orderID, HeartlandOrderID: ref.ID})
		if err != nil {
			t.Fatal(err)
		}
		if res.Problem != "" || res.Balance != "0.00" || res.TotalPaid != "25.00" || res.Captured != "25.00" {
			t.Fatalf("settle = %+v, want 25.00 paid and captured, balance 0", res)
		}
	}
	o, _ := f.hl.OrderByPublicID("BC-1")
	if !o.Order.Balance.IsZero() || len(o.Payments) != 2 || !o.Payments[1].Amount.Equal(heartland.DecInt(5)) {
		t.Errorf("Heartland order balance %s, payments %+v; want 0 and the 5.00 charge once", o.Order.Balance, o.Payments)
	}
}

// A partial refund leaves BigCommerce holding less than Heartland is
// owed: nothing is booked and the problem names both amounts.
func TestSettleOrderPaymentReportsMoneyThatDoesNotAddUp(t *testing.T) {
	f := newQuirkFixture(t, nil, heartlandtest.WithInvoicesWithoutShipping()).orderFixture
	ref := f.paidInvoice(t)
	amt := bigcommerce.NewNumber("5.00")
	if _, err := f.bcClient(t).CreateRefund(f.ctx, f.orderID, bigcommerce.RefundCreate{Items: []bigcommerce.RefundItem{{ItemType: "SHIPPING", Amount: &amt}}}); err != nil {
		t.Fatal(err)
	}
	res, err := f.acts.SettleOrderPayment(f.ctx, SettleRequest{ConnectionID: "shop", OrderID: f.orderID, HeartlandOrderID: ref.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Problem, "balance 5.00") || !strings.Contains(res.Problem, "captured 20.00") {
		t.Errorf("problem %q, want the balance and the captured amount", res.Problem)
	}
	if o, _ := f.hl.OrderByPublicID("BC-1"); len(o.Payments) != 1 {
		t.Errorf("payments %+v, want only the invoice's", o.Payments)
	}
}

// A pending payment is not captured, not reported as captured, and says
// why nothing may ship; no payment is booked in Heartland for it.
func TestUnpaidOrderIsNotCapturedOrBooked(t *testing.T) {
	f := newOrderFixture(t)
	o := f.bc.MustAddOrder(bigcommercetest.OrderSeed{CustomerEmail: "bo@example.com", PaymentStatus: "pending",
		Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	res, err := f.acts.CapturePayment(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	if res.Captured || !strings.Contains(res.Blocker, `"pending"`) {
		t.Errorf("capture = %+v, want not captured and a blocker naming the pending payment", res)
	}
	ref := f.importOrder(t)
	err = f.acts.RecordInvoicePayment(f.ctx, InvoicePaymentRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		InvoiceID: 1, Amount: "10.00", OrderID: o.ID})
	wantErrType(t, err, ErrTypePaymentNotReceived)
	if hlo, _ := f.hl.OrderByPublicID("BC-1"); len(hlo.Payments) != 0 {
		t.Errorf("payments %+v booked for money BigCommerce never received", hlo.Payments)
	}
}

// A fully refunded order stays Refunded: hrbc neither ships it in
// BigCommerce nor books its payment in Heartland.
func TestRefundedOrderIsNeverMovedOrBooked(t *testing.T) {
	f := newOrderFixture(t)
	ref, inv := f.invoiced(t)
	if _, err := f.acts.CapturePayment(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: f.orderID}); err != nil {
		t.Fatal(err)
	}
	snap := f.snapshot(t)
	if _, err := f.bcClient(t).CreateRefund(f.ctx, f.orderID, bigcommerce.RefundCreate{Items: []bigcommerce.RefundItem{
		{ItemType: "PRODUCT", ItemID: snap.Lines[0].OrderProductID, Quantity: 2},
		{ItemType: "SHIPPING", Amount: new(bigcommerce.NewNumber("5.00"))}}}); err != nil {
		t.Fatal(err)
	}
	if o, _ := f.bc.Order(f.orderID); o.StatusID != bigcommerce.StatusRefunded || o.PaymentStatus != bigcommerce.PaymentRefunded {
		t.Fatalf("after a full refund: status %d payment %q, want 4 refunded", o.StatusID, o.PaymentStatus)
	}
	err := f.acts.SetOrderStatus(f.ctx, OrderStatusRequest{ConnectionID: "shop", OrderID: f.orderID, StatusID: bigcommerce.StatusShipped})
	wantErrType(t, err, ErrTypeFinalStatus)
	err = f.acts.RecordInvoicePayment(f.ctx, InvoicePaymentRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		InvoiceID: inv.ID, Amount: inv.Total, OrderID: f.orderID})
	wantErrType(t, err, ErrTypePaymentNotReceived)
	if o, _ := f.bc.Order(f.orderID); o.StatusID != bigcommerce.StatusRefunded {
		t.Errorf("status %d, want 4 Refunded kept", o.StatusID)
	}
	if res, err := f.acts.CapturePayment(f.ctx, OrderRequest{ConnectionID: "shop", OrderID: f.orderID}); err != nil || res.StatusID != bigcommerce.StatusRefunded || res.Blocker == "" {
		t.Errorf("capture of a refunded order = %+v, %v", res, err)
	}
}

// An order cancelled before hrbc saw it is created canceled, never open.
func TestImportCancelledSaleCommitsNothing(t *testing.T) {
	f := newOrderFixture(t)
	snap := f.snapshot(t)
	res, err := f.acts.ImportSalesOrder(f.ctx, ImportSalesOrderRequest{ConnectionID: "shop", PublicID: "BC-1", SourceLocationID: f.website.ID,
		Email: snap.Email, Billing: snap.Billing, Shipping: snap.Shipping, ShippingCharge: snap.ShippingCharge, Cancelled: true,
		Lines: []ImportLine{{OrderProductID: snap.Lines[0].OrderProductID, SKU: "SKU-A", Quantity: 2, UnitPrice: snap.Lines[0].UnitPrice}}})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := f.hl.OrderByPublicID("BC-1")
	if res.Order.Status != heartland.OrderCanceled || o.Order.Status != heartland.OrderCanceled {
		t.Errorf("import = %+v, Heartland status %q; want canceled", res.Order, o.Order.Status)
	}
}

// An order marked shipped without shipments is not recorded as fulfilled.
func TestOutsideFulfillmentNeedsShipments(t *testing.T) {
	f := newOrderFixture(t)
	ref := f.importOrder(t)
	if err := f.acts.DistributeLines(f.ctx, DistributeRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		Lines: []LineLocation{{LineID: ref.Lines[0].LineID, LocationID: f.main.ID}}}); err != nil {
		t.Fatal(err)
	}
	if err := f.bc.SetOrderStatus(f.orderID, bigcommerce.StatusShipped); err != nil {
		t.Fatal(err)
	}
	err := f.acts.RecordOutsideFulfillment(f.ctx, OutsideFulfillmentRequest{ConnectionID: "shop", HeartlandOrderID: ref.ID,
		LocationID: f.main.ID, Amount: "25.00", OrderID: f.orderID})
	wantErrType(t, err, ErrTypeNoShipments)
	if o, _ := f.hl.OrderByPublicID("BC-1"); len(o.Payments) != 0 || len(f.hl.InvoicesOfOrder(ref.ID)) != 0 {
		t.Errorf("recorded without shipments: payments %+v", o.Payments)
	}
}
