package bigcommerce_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/activities/apierror"
	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

func TestCaptureOnce(t *testing.T) {
	srv, c := orderStore(t)
	o := srv.MustAddOrder(bigcommercetest.OrderSeed{PaymentStatus: bc.PaymentAuthorized, Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 2}}})
	if err := c.CapturePayment(ctx(t), o.ID); err != nil {
		t.Fatal(err)
	}
	if ps := srv.PaymentStatus(o.ID); ps != bc.PaymentCaptured {
		t.Fatalf("payment status = %q", ps)
	}
	err := c.CapturePayment(ctx(t), o.ID)
	var ve *bc.APIError
	if !errors.As(err, &ve) || ve.Kind != apierror.KindValidation || !strings.Contains(err.Error(), "already been captured") || !strings.Contains(err.Error(), "payment_actions/capture") {
		t.Fatalf("second capture: %v", err)
	}
	txns := must(c.ListTransactions(ctx(t), o.ID))
	if len(txns) != 2 || txns[0].Event != "authorization" || txns[1].Event != "capture" || !txns[1].Amount.Equal(d("25")) {
		t.Fatalf("transactions = %+v", txns)
	}
	if string(txns[0].OrderID) == "" || txns[0].DateCreated.IsZero() {
		t.Fatalf("transaction fields = %+v", txns[0])
	}
}

func TestVoid(t *testing.T) {
	srv, c := orderStore(t)
	o := srv.MustAddOrder(bigcommercetest.OrderSeed{PaymentStatus: bc.PaymentAuthorized, Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
	if err := c.VoidPayment(ctx(t), o.ID); err != nil {
		t.Fatal(err)
	}
	if ps := srv.PaymentStatus(o.ID); ps != bc.PaymentVoid {
		t.Fatalf("payment status = %q", ps)
	}
	if err := c.CapturePayment(ctx(t), o.ID); !errors.Is(err, bc.ErrValidation) {
		t.Fatalf("capture after void: %v", err)
	}
}

func TestRefunds(t *testing.T) {
	srv, c := orderStore(t)
	o := srv.MustAddOrder(bigcommercetest.OrderSeed{StatusID: bc.StatusShipped, Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 2}}})
	lines := must(c.ListOrderProducts(ctx(t), o.ID))
	if r := must(c.ListRefunds(ctx(t), o.ID)); len(r) != 0 {
		t.Fatalf("refunds before: %+v", r)
	}
	r1 := must(c.CreateRefund(ctx(t), o.ID, bc.RefundCreate{Items: []bc.RefundItem{{ItemType: "PRODUCT", ItemID: lines[0].ID, Quantity: 1}}}))
	if !r1.TotalAmount.Equal(d("12.5")) {
		t.Fatalf("refund = %+v", r1)
	}
	if got, _ := srv.Order(o.ID); got.StatusID != bc.StatusPartiallyRefunded || got.PaymentStatus != bc.PaymentPartiallyRefunded {
		t.Fatalf("after partial refund: %d %q", got.StatusID, got.PaymentStatus)
	}
	// Over-refunding is rejected with the API's message (wrapped in data[]).
	_, err := c.CreateRefund(ctx(t), o.ID, bc.RefundCreate{Items: []bc.RefundItem{{ItemType: "PRODUCT", ItemID: lines[0].ID, Quantity: 2}}})
	if !errors.Is(err, bc.ErrValidation) || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("over-refund: %v", err)
	}
	must(c.CreateRefund(ctx(t), o.ID, bc.RefundCreate{Items: []bc.RefundItem{{ItemType: "PRODUCT", ItemID: lines[0].ID, Quantity: 1}}}))
	if got, _ := srv.Order(o.ID); got.StatusID != bc.StatusRefunded || got.PaymentStatus != bc.PaymentRefunded {
		t.Fatalf("after full refund: %d %q", got.StatusID, got.PaymentStatus)
	}
	refunds := must(c.ListRefunds(ctx(t), o.ID))
	total := refunds[0].TotalAmount.Add(refunds[1].TotalAmount.Decimal)
	if len(refunds) != 2 || !total.Equal(d("25")) {
		t.Fatalf("refunds = %+v", refunds)
	}
}

func TestSeededPartiallyRefundedOrder(t *testing.T) {
	srv, c := orderStore(t)
	o := srv.MustAddOrder(bigcommercetest.OrderSeed{PartialRefund: true, Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 3}}})
	got := must(c.GetOrder(ctx(t), o.ID))
	if got.StatusID != bc.StatusPartiallyRefunded || len(must(c.ListRefunds(ctx(t), o.ID))) != 1 {
		t.Fatalf("order = %+v", got)
	}
}

func TestTransactionsEmptyIs204(t *testing.T) {
	srv, c := orderStore(t)
	o := srv.MustAddOrder(bigcommercetest.OrderSeed{StatusID: bc.StatusPending, Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}}})
	txns, err := c.ListTransactions(ctx(t), o.ID)
	if err != nil || len(txns) != 0 {
		t.Fatalf("txns %+v err %v", txns, err)
	}
}
