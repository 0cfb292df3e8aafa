package heartlandtest

import "github.com/hrbc/hrbc/activities/heartland"

// Demo account contents, for aligning the BigCommerce demo seed.
//
// Locations (public_id, name, stations):
//
//	01   Main Street  Register 1, Register 2
//	02   Warehouse    Receiving
//	WEB  Website      Web Station   (the e-commerce source location)
//
// Items (public_id = BigCommerce SKU; price; on hand Main Street/Warehouse/Website):
//
//	HR-TEE-BLK-S  Heartland Tee - Black - S   24.00   4/20/6   grid 1
//	HR-TEE-BLK-M  Heartland Tee - Black - M   24.00   6/25/8   grid 1
//	HR-TEE-BLK-L  Heartland Tee - Black - L   24.00   3/15/5   grid 1
//	HR-TEE-WHT-S  Heartland Tee - White - S   24.00   2/10/4   grid 1
//	HR-TEE-WHT-M  Heartland Tee - White - M   24.00   5/12/0   grid 1
//	HR-MUG-01     Heartland Mug               12.00   10/40/12
//	HR-CAP-01     Heartland Cap - Navy        18.00   7/18/6
//	HR-TOTE-01    Canvas Tote                 15.00   8/30/10
//	HR-SOCK-01    Wool Socks                   9.99   12/50/15
//	HR-BTL-01     Steel Water Bottle          22.50   0/24/9
//
// Custom fields (group item, optional): Color (key "color"), Size (key "size").
// Payment types: Cash, Credit Card ("BigCommerce External" is left for hrbc
// to find-or-create). Customer: Jane Demo <jane@example.com>.

// DemoSKUs lists the demo items' public_ids in seed order.
var DemoSKUs = []string{
	"HR-TEE-BLK-S", "HR-TEE-BLK-M", "HR-TEE-BLK-L", "HR-TEE-WHT-S", "HR-TEE-WHT-M",
	"HR-MUG-01", "HR-CAP-01", "HR-TOTE-01", "HR-SOCK-01", "HR-BTL-01",
}

// DemoSeed fills s with the small believable account documented above.
func DemoSeed(s *Server) {
	main := s.AddLocation("01", "Main Street", "Register 1", "Register 2")
	wh := s.AddLocation("02", "Warehouse", "Receiving")
	web := s.AddLocation("WEB", "Website", "Web Station")
	s.AddCustomField(heartland.GroupItem, "Color", false)
	s.AddCustomField(heartland.GroupItem, "Size", false)
	s.AddPaymentType("Cash")
	s.AddPaymentType("Credit Card")
	s.AddCustomer("Jane", "Demo", "jane@example.com")

	tee := func(sku, color, size string) ItemSeed {
		return ItemSeed{PublicID: sku, Description: "Heartland Tee - " + color + " - " + size,
			Price: heartland.Dec("24.00"), Cost: heartland.Dec("9.50"), AvailableOnline: true,
			Custom: map[string]any{"color": color, "size": size}}
	}
	s.AddGrid(
		tee("HR-TEE-BLK-S", "Black", "S"), tee("HR-TEE-BLK-M", "Black", "M"), tee("HR-TEE-BLK-L", "Black", "L"),
		tee("HR-TEE-WHT-S", "White", "S"), tee("HR-TEE-WHT-M", "White", "M"),
	)
	plain := []ItemSeed{
		{PublicID: "HR-MUG-01", Description: "Heartland Mug", Price: heartland.Dec("12.00"), Cost: heartland.Dec("4.00")},
		{PublicID: "HR-CAP-01", Description: "Heartland Cap - Navy", Price: heartland.Dec("18.00"), Cost: heartland.Dec("6.00"), Custom: map[string]any{"color": "Navy"}},
		{PublicID: "HR-TOTE-01", Description: "Canvas Tote", Price: heartland.Dec("15.00"), Cost: heartland.Dec("5.00")},
		{PublicID: "HR-SOCK-01", Description: "Wool Socks", Price: heartland.Dec("9.99"), Cost: heartland.Dec("3.25")},
		{PublicID: "HR-BTL-01", Description: "Steel Water Bottle", Price: heartland.Dec("22.50"), Cost: heartland.Dec("8.00")},
	}
	for _, p := range plain {
		p.AvailableOnline = true
		s.AddItem(p)
	}
	stock := map[string][3]int64{
		"HR-TEE-BLK-S": {4, 20, 6}, "HR-TEE-BLK-M": {6, 25, 8}, "HR-TEE-BLK-L": {3, 15, 5},
		"HR-TEE-WHT-S": {2, 10, 4}, "HR-TEE-WHT-M": {5, 12, 0}, "HR-MUG-01": {10, 40, 12},
		"HR-CAP-01": {7, 18, 6}, "HR-TOTE-01": {8, 30, 10}, "HR-SOCK-01": {12, 50, 15}, "HR-BTL-01": {0, 24, 9},
	}
	for _, sku := range DemoSKUs {
		q := stock[sku]
		for i, loc := range []int64{main.ID, wh.ID, web.ID} {
			s.SetStock(sku, loc, heartland.DecInt(q[i]))
		}
	}
}
