package main

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// Shop is the seeded state shared by both sides: Heartland locations and
// the SKUs that exist on both.
type Shop struct {
	// Main and Warehouse ship orders; Website is the orders' source location.
	Main, Warehouse, Website heartland.Location
	// Locations are every Heartland location, in creation order.
	Locations []heartland.Location
	// SKUs are linked on both sides (Heartland Item # = BigCommerce SKU).
	SKUs []string
}

// ShopSpec sizes a Shop.
type ShopSpec struct {
	// SKUs is how many linked SKUs to create (simple products tracked by product).
	SKUs int
	// ExtraLocations adds locations beyond Main, Warehouse and Website.
	ExtraLocations int
	// HeartlandStock is the on-hand quantity of every SKU at every location.
	HeartlandStock int64
	// StoreStock is the store's quantity of every SKU (different from the
	// Heartland sum, so a full sync writes every row).
	StoreStock int
}

// SeedShop fills both fakes.
func SeedShop(f *Fakes, spec ShopSpec) Shop {
	sh := Shop{
		Main:      f.HL.AddLocation("01", "Main Street", "Register 1"),
		Warehouse: f.HL.AddLocation("02", "Warehouse", "Dock"),
		Website:   f.HL.AddLocation("WEB", "Website", "Web Station"),
	}
	sh.Locations = []heartland.Location{sh.Main, sh.Warehouse, sh.Website}
	for i := range spec.ExtraLocations {
		sh.Locations = append(sh.Locations, f.HL.AddLocation(fmt.Sprintf("X%02d", i+1), fmt.Sprintf("Store %d", i+1), "Till"))
	}
	price := decimal.NewFromInt(10)
	for i := range spec.SKUs {
		sku := fmt.Sprintf("BENCH-%05d", i+1)
		sh.SKUs = append(sh.SKUs, sku)
		f.HL.AddItem(heartlandtest.ItemSeed{PublicID: sku, Description: "Bench item " + sku,
			Price: heartland.DecInt(10), Cost: heartland.DecInt(4)})
		for _, loc := range sh.Locations {
			f.HL.SetStock(sku, loc.ID, heartland.DecInt(spec.HeartlandStock))
		}
		f.BC.AddProduct(bigcommercetest.ProductSeed{Name: "Bench product " + sku, SKU: sku, Price: price,
			Stock: map[int]int{0: spec.StoreStock}})
	}
	return sh
}

// orderSeed is a two-line order of two SKUs of the shop.
func (sh Shop) orderSeed(n int) bigcommercetest.OrderSeed {
	a := sh.SKUs[n%len(sh.SKUs)]
	b := sh.SKUs[(n+1)%len(sh.SKUs)]
	return bigcommercetest.OrderSeed{
		CustomerEmail: fmt.Sprintf("shopper%d@example.com", n%50), FirstName: "Shop", LastName: fmt.Sprintf("Per%d", n%50),
		ShippingCost: decimal.NewFromInt(5),
		Lines:        []bigcommercetest.OrderLine{{SKU: a, Quantity: 1}, {SKU: b, Quantity: 2}},
	}
}
