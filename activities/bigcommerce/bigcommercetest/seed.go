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

// DemoSeed fills a small, believable store: the default "Web" location plus
// two shops, ten products (simple, with variants, tracked by product, by
// variant and not at all) with stock, and two Awaiting Fulfillment orders
// with authorized-only payments.
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
	stock := func(w, a, b int) map[int]int { return map[int]int{web: w, shop1.ID: a, shop2.ID: b} }
	add := func(p ProductSeed) { d.Products = append(d.Products, s.AddProduct(p)) }
	add(ProductSeed{Name: "Ceramic Mug", SKU: "MUG-CER", Price: dec("14.00"), Stock: stock(40, 12, 6)})
	add(ProductSeed{Name: "Linen Tea Towel", SKU: "TOWEL-LIN", Price: dec("9.50"), Stock: stock(25, 5, 0)})
	add(ProductSeed{Name: "Pour-Over Coffee Kit", SKU: "KIT-POUR", Price: dec("49.99"), Stock: stock(8, 2, 1)})
	add(ProductSeed{Name: "Gift Card (digital)", SKU: "GIFT-DIG", Type: "digital", Price: dec("25.00"), Tracking: bc.TrackingNone})
	add(ProductSeed{Name: "Classic Tee", SKU: "TEE", Price: dec("22.00"), Variants: []VariantSeed{
		{SKU: "TEE-S", Option: "Small", Stock: stock(10, 3, 2)},
		{SKU: "TEE-M", Option: "Medium", Stock: stock(14, 4, 2)},
		{SKU: "TEE-L", Option: "Large", Stock: stock(9, 2, 0)},
	}})
	add(ProductSeed{Name: "Wool Beanie", SKU: "BEANIE", Price: dec("18.00"), Variants: []VariantSeed{
		{SKU: "BEANIE-GRY", Option: "Grey", Stock: stock(7, 1, 1)},
		{SKU: "BEANIE-NVY", Option: "Navy", Stock: stock(5, 2, 0)},
	}})
	add(ProductSeed{Name: "Canvas Tote", SKU: "TOTE", Price: dec("16.00"), Tracking: bc.TrackingProduct, Stock: stock(30, 10, 5),
		Variants: []VariantSeed{{SKU: "TOTE-NAT", Option: "Natural"}, {SKU: "TOTE-BLK", Option: "Black"}}})
	add(ProductSeed{Name: "Espresso Beans 1kg", SKU: "BEANS-ESP", Price: dec("32.00"), Stock: stock(50, 0, 0)})
	add(ProductSeed{Name: "Scented Candle", SKU: "CANDLE", Price: dec("12.00"), Variants: []VariantSeed{
		{SKU: "CANDLE-CED", Option: "Cedar", Price: ptr(dec("13.00")), Stock: stock(6, 2, 2)},
		{SKU: "CANDLE-LAV", Option: "Lavender", Stock: stock(4, 1, 0)},
	}})
	add(ProductSeed{Name: "Notebook A5", SKU: "NOTE-A5", Price: dec("6.75"), Stock: stock(60, 20, 15),
		CustomFields: []bc.CustomField{{Name: "material", Value: "recycled paper"}}})
	d.Orders = append(d.Orders,
		s.MustAddOrder(OrderSeed{CustomerEmail: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
			PaymentStatus: bc.PaymentAuthorized, ShippingCost: dec("5.00"),
			Lines: []OrderLine{{SKU: "MUG-CER", Quantity: 2}, {SKU: "TEE-M", Quantity: 1}}}),
		s.MustAddOrder(OrderSeed{CustomerEmail: "grace@example.com", FirstName: "Grace", LastName: "Hopper",
			PaymentStatus: bc.PaymentAuthorized, Lines: []OrderLine{{SKU: "BEANS-ESP", Quantity: 1}, {SKU: "CANDLE-LAV", Quantity: 2}}}),
	)
	return d
}

func ptr[T any](v T) *T { return &v }
