package bigcommercetest

import (
	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/shopspring/decimal"
)

// Demo is what DemoSeed created, for callers that want the ids.
type Demo struct {
	Locations []bc.Location
	Products  []bc.Product
	Orders    []bc.Order
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// DemoSeed fills a small, believable store that mirrors the Heartland demo
// account (heartlandtest.DemoSKUs): every Heartland item is a product or a
// variant with the same SKU, so the sandbox links by Item # = SKU. It has
// the default "Web" location plus two shops, products tracked by product,
// by variant and not at all, one product that exists only in BigCommerce,
// and two Awaiting Fulfillment orders with authorized-only payments.
func (s *Server) DemoSeed() Demo {
	var d Demo
	s.st.mu.Lock()
	if def := s.st.location(s.st.defaultLoc); def != nil {
		def.Code, def.Label = "WEB", "Web warehouse"
	}
	s.st.mu.Unlock()
	d.Locations = append(d.Locations, s.Locations()...)
	shop1 := s.AddLocation(LocationSeed{Code: "DOWNTOWN", Label: "Downtown store"})
	shop2 := s.AddLocation(LocationSeed{Code: "MALL", Label: "Mall kiosk"})
	d.Locations = append(d.Locations, shop1, shop2)
	web := s.DefaultLocationID()
	stock := func(n int) map[int]int { return map[int]int{web: n} }
	add := func(p ProductSeed) { d.Products = append(d.Products, s.AddProduct(p)) }
	add(ProductSeed{Name: "Black Tee", SKU: "HR-TEE-BLK", Price: dec("24.00"), Variants: []VariantSeed{
		{SKU: "HR-TEE-BLK-S", Option: "Small", Stock: stock(5)},
		{SKU: "HR-TEE-BLK-M", Option: "Medium", Stock: stock(5)},
		{SKU: "HR-TEE-BLK-L", Option: "Large", Stock: stock(5)},
	}})
	add(ProductSeed{Name: "White Tee", SKU: "HR-TEE-WHT", Price: dec("24.00"), Variants: []VariantSeed{
		{SKU: "HR-TEE-WHT-S", Option: "Small", Stock: stock(5)},
		{SKU: "HR-TEE-WHT-M", Option: "Medium", Stock: stock(5)},
	}})
	add(ProductSeed{Name: "Enamel Mug", SKU: "HR-MUG-01", Price: dec("12.00"), Stock: stock(20)})
	add(ProductSeed{Name: "Logo Cap", SKU: "HR-CAP-01", Price: dec("18.00"), Stock: stock(10)})
	add(ProductSeed{Name: "Canvas Tote", SKU: "HR-TOTE-01", Price: dec("15.00"), Stock: stock(10)})
	add(ProductSeed{Name: "Crew Socks", SKU: "HR-SOCK-01", Price: dec("9.99"), Stock: stock(20)})
	add(ProductSeed{Name: "Steel Bottle", SKU: "HR-BTL-01", Price: dec("22.50"), Stock: stock(10),
		CustomFields: []bc.CustomField{{Name: "material", Value: "stainless steel"}}})
	add(ProductSeed{Name: "Gift Card (digital)", SKU: "GIFT-DIG", Type: "digital", Price: dec("25.00"), Tracking: bc.TrackingNone})
	// Only in BigCommerce: tracked by product although sold in variants.
	add(ProductSeed{Name: "Sticker Pack", SKU: "STK", Price: dec("4.00"), Tracking: bc.TrackingProduct, Stock: stock(30),
		Variants: []VariantSeed{{SKU: "STK-A", Option: "Set A"}, {SKU: "STK-B", Option: "Set B"}}})
	d.Orders = append(d.Orders,
		s.MustAddOrder(OrderSeed{CustomerEmail: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
			PaymentStatus: bc.PaymentAuthorized, ShippingCost: dec("5.00"),
			Lines: []OrderLine{{SKU: "HR-MUG-01", Quantity: 2}, {SKU: "HR-TEE-BLK-M", Quantity: 1}}}),
		s.MustAddOrder(OrderSeed{CustomerEmail: "grace@example.com", FirstName: "Grace", LastName: "Hopper",
			PaymentStatus: bc.PaymentAuthorized, Lines: []OrderLine{{SKU: "HR-SOCK-01", Quantity: 3}, {SKU: "HR-CAP-01", Quantity: 1}}}),
	)
	return d
}

func ptr[T any](v T) *T { return &v }
