package main

import "github.com/spf13/cobra"

// orderAttention are the `sandbox order` options that make an order hrbc
// will not import on its own, so a person can try the attention cases
// without hand-made API calls.
type orderAttention struct {
	giftWrap, engrave string
	partialRefund     bool
	// authorizeOnly checks out through an authorize-only gateway.
	authorizeOnly bool
}

func (o *orderAttention) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.giftWrap, "gift-wrap", "", `gift-wrap every line with this paper (e.g. "Gold paper")`)
	f.StringVar(&o.engrave, "engrave", "", "customize every line with an engraving (a Text field modifier)")
	f.BoolVar(&o.partialRefund, "partial-refund", false, "refund one unit of the first line right after checkout")
	f.BoolVar(&o.authorizeOnly, "authorize-only", false, "check out through an authorize-only gateway: Awaiting Payment (7), payment authorized")
}

// line is one order line of the control API with the options applied.
func (o *orderAttention) line(sku string, qty int) map[string]any {
	l := map[string]any{"sku": sku, "quantity": qty}
	if o.giftWrap != "" {
		l["gift_wrap"] = o.giftWrap
	}
	if o.engrave != "" {
		l["engraving"] = o.engrave
	}
	return l
}
