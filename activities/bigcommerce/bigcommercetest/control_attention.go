package bigcommercetest

import (
	"github.com/shopspring/decimal"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// giftWrapCost is what the control API's gift wrapping costs a line.
var giftWrapCost = decimal.RequireFromString("2.50")

// seedLine turns a control order line into a seeded one, with the gift
// wrapping and engraving `starter sandbox order` asks for, so a person can
// try the order cases that need attention without hand-made API calls.
func (l ControlOrderLine) seedLine() OrderLine {
	line := OrderLine{SKU: l.SKU, Quantity: l.Quantity}
	if l.GiftWrap != "" {
		line.GiftWrapping = &GiftWrapping{Name: l.GiftWrap, Cost: giftWrapCost}
	}
	if l.Engraving != "" {
		line.Modifiers = []bc.OrderProductOption{{DisplayName: "Engraving", DisplayValue: l.Engraving, Value: l.Engraving,
			Type: "Text field", Name: "Engraving"}}
	}
	return line
}
