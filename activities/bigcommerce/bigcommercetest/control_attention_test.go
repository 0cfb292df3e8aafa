package bigcommercetest

import (
	"encoding/json"
	"testing"
)

// TestControlOrderAttentionCases: the control API places the orders whose
// import needs a person (gift wrapping, a Text modifier, a partial refund).
func TestControlOrderAttentionCases(t *testing.T) {
	s, err := Start("127.0.0.1:0", WithDemoSeed())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	resp, body := do(t, s, "POST", "/__fake/orders", "", ControlOrder{PartialRefund: true, Lines: []ControlOrderLine{
		{SKU: "HR-MUG-01", Quantity: 2, GiftWrap: "Gold paper"}, {SKU: "HR-CAP-01", Quantity: 1, Engraving: "ADA"},
	}}, nil)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var created struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	o, _ := s.Order(created.ID)
	if o.StatusID != 14 {
		t.Errorf("status %d, want 14 (Partially Refunded)", o.StatusID)
	}
	ps := s.OrderProducts(created.ID)
	if len(ps) != 2 || ps[0].WrappingName != "Gold paper" || !ps[0].WrappingCostIncTax.Decimal.Equal(giftWrapCost) {
		t.Fatalf("gift-wrapped line: %+v", ps)
	}
	var engraved bool
	for _, op := range ps[1].ProductOptions {
		engraved = engraved || (op.Type == "Text field" && op.Value == "ADA")
	}
	if !engraved {
		t.Errorf("engraved line options: %+v", ps[1].ProductOptions)
	}
}
