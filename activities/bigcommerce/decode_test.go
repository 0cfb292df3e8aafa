package bigcommerce_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

func load(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func TestDecodeSampleOrder(t *testing.T) {
	var o bc.Order
	load(t, "order_v2.json", &o)
	checks := []struct {
		name string
		ok   bool
	}{
		{"id", o.ID == 100},
		{"customer", o.CustomerID == 20},
		{"date_created RFC-2822", o.DateCreated.Equal(time.Date(2018, 1, 10, 21, 5, 30, 0, time.UTC))},
		{"date_shipped empty", o.DateShipped.IsZero()},
		{"subtotal exact", o.SubtotalIncTax.Equal(d("361.95")) && o.SubtotalIncTax.String() == "361.95"},
		{"tax exact", o.SubtotalTax.Equal(d("25.63"))},
		{"wrapping as number", o.BaseWrappingCost.IsZero()},
		{"provider id as number", o.PaymentProviderID == "12345678901"},
		{"payment", o.PaymentStatus == bc.PaymentAuthorized},
		{"status", o.StatusID == bc.StatusAwaitingFulfillment},
		{"links", o.Products != nil && o.Products.Resource == "/orders/100/products"},
		{"billing", o.BillingAddress.Email == "janedoe@example.com"},
		{"exchange rate", o.CurrencyExchangeRate.Equal(d("1"))},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: decoded %+v", c.name, o)
		}
	}
}

func TestDecodeSampleOrderProducts(t *testing.T) {
	var ps []bc.OrderProduct
	load(t, "order_products_v2.json", &ps)
	if len(ps) != 2 {
		t.Fatalf("%d lines", len(ps))
	}
	a, b := ps[0], ps[1]
	if !a.PriceIncTax.Equal(d("65.23")) || !a.Weight.Equal(d("1")) || !a.HasGiftWrapping() || a.WrappingMessage != "For you" {
		t.Fatalf("line a = %+v", a)
	}
	if len(a.ProductOptions) != 2 || a.ProductOptions[1].Type != "Text field" || a.ParentOrderProductID != nil {
		t.Fatalf("options = %+v", a.ProductOptions)
	}
	if !a.DiscountedTotalIncTax.Equal(d("63.64")) {
		t.Fatalf("discounted = %s", a.DiscountedTotalIncTax)
	}
	if !b.Weight.Equal(d("4")) || b.HasGiftWrapping() || b.Quantity != 2 {
		t.Fatalf("line b = %+v", b)
	}
}

func TestDecodeSampleProduct(t *testing.T) {
	var env bc.Envelope[bc.Product]
	load(t, "product_v3.json", &env)
	p := env.Data
	if p.ID != 174 || !p.Price.Equal(d("7.95")) || p.InventoryTracking != bc.TrackingVariant || p.BaseVariantID != nil {
		t.Fatalf("product = %+v", p)
	}
	if !p.DateModified.Equal(time.Date(2018, 9, 5, 20, 42, 7, 0, time.UTC)) || len(p.Categories) != 2 {
		t.Fatalf("dates/categories = %+v", p)
	}
	v := p.Variants[0]
	if v.Price != nil || v.SKUID == nil || *v.SKUID != 1001 || v.OptionValues[0].OptionDisplayName != "Size" || !v.CalculatedPrice.Equal(d("7.95")) {
		t.Fatalf("variant = %+v", v)
	}
	if p.CustomFields[0].Name != "ISBN" {
		t.Fatalf("custom fields = %+v", p.CustomFields)
	}
}

func TestDecodeSampleInventoryItems(t *testing.T) {
	var env bc.Envelope[[]bc.InventoryItem]
	load(t, "inventory_items_v3.json", &env)
	it := env.Data[0]
	l := it.Locations[0]
	if it.Identity.SKU != "RE-130" || it.Identity.SKUID != nil || l.AvailableToSell != 10 || l.TotalInventoryOnHand != 11 || l.Settings.SafetyStock != 1 {
		t.Fatalf("item = %+v", it)
	}
	if p := env.Meta.Pagination; p == nil || p.TotalPages != 50 || p.Links.Next != "?limit=5&page=3" {
		t.Fatalf("pagination = %+v", env.Meta.Pagination)
	}
}

func TestDecodeSampleWebhook(t *testing.T) {
	var ev bc.WebhookEvent
	load(t, "webhook_envelope.json", &ev)
	if ev.Scope != "store/order/statusUpdated" || ev.StoreID != "1025646" || ev.CreatedAt.Unix() != 1561479335 || len(ev.Data) == 0 {
		t.Fatalf("event = %+v", ev)
	}
	var h bc.Envelope[bc.Hook]
	load(t, "hook_v3.json", &h)
	if h.Data.ID != 18048287 || h.Data.Headers["custom"] != "string" || h.Data.CreatedAt.Unix() != 1561488106 || !h.Data.IsActive {
		t.Fatalf("hook = %+v", h.Data)
	}
}

func TestDecodeSampleTransactions(t *testing.T) {
	var env bc.Envelope[[]bc.Transaction]
	load(t, "transactions_v3.json", &env)
	tx := env.Data[0]
	if tx.OrderID != "118" || !tx.Amount.Equal(d("80.5")) || tx.Event != "purchase" || tx.DateCreated.Year() != 2019 {
		t.Fatalf("transaction = %+v", tx)
	}
}

func TestMoneyEncodesFourDecimals(t *testing.T) {
	b, _ := json.Marshal(struct {
		M bc.Money  `json:"m"`
		N bc.Number `json:"n"`
		T bc.V2Time `json:"t"`
		Z bc.V2Time `json:"z"`
		I bc.Time   `json:"i"`
	}{bc.NewMoney("12.3"), bc.NewNumber("7.95"), bc.V2Time{Time: time.Date(2018, 12, 5, 20, 16, 55, 0, time.UTC)}, bc.V2Time{}, bc.Time{Time: time.Date(2018, 8, 24, 14, 41, 0, 0, time.UTC)}})
	want := `{"m":"12.3000","n":7.95,"t":"Wed, 05 Dec 2018 20:16:55 +0000","z":"","i":"2018-08-24T14:41:00Z"}`
	if string(b) != want {
		t.Fatalf("got %s\nwant %s", b, want)
	}
	// 0.1 + 0.2 is exactly 0.3: no float64 anywhere.
	var a, c bc.Money
	_ = json.Unmarshal([]byte(`"0.1000"`), &a)
	_ = json.Unmarshal([]byte(`0.2`), &c)
	if !a.Add(c.Decimal).Equal(d("0.3")) {
		t.Fatal("inexact money")
	}
}

func TestTolerantScalars(t *testing.T) {
	var fi bc.FlexInt
	for in, want := range map[string]int64{`12`: 12, `"12"`: 12, `""`: 0, `null`: 0, `"7.0"`: 7} {
		if err := json.Unmarshal([]byte(in), &fi); err != nil || int64(fi) != want {
			t.Errorf("FlexInt %s = %d, %v", in, fi, err)
		}
	}
	if err := json.Unmarshal([]byte(`"x"`), &fi); err == nil {
		t.Error("FlexInt accepted garbage")
	}
	var ts bc.V2Time
	for _, in := range []string{`"Thu, 20 Apr 2017 11:32:00 -0400"`, `"2017-04-20T11:32:00.000-04:00"`, `"2017-04-20T11:32:00-0400"`, `1492702320`} {
		if err := json.Unmarshal([]byte(in), &ts); err != nil || !ts.Equal(time.Date(2017, 4, 20, 15, 32, 0, 0, time.UTC)) {
			t.Errorf("time %s = %v, %v", in, ts, err)
		}
	}
	if err := json.Unmarshal([]byte(`"yesterday"`), &ts); err == nil {
		t.Error("time accepted garbage")
	}
}

// Fuzz targets: decoders must never panic, whatever the bytes.

func FuzzMoney(f *testing.F) {
	for _, s := range []string{`"336.3200"`, `12.5`, `""`, `null`, `"1e5"`, `"-0.0001"`, `"abc"`, `{}`, `"9999999999999999999999.9999"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m bc.Money
		if json.Unmarshal(b, &m) == nil {
			out, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var back bc.Money
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatalf("round trip of %s: %v", out, err)
			}
		}
		var n bc.Number
		_ = json.Unmarshal(b, &n)
	})
}

func FuzzTime(f *testing.F) {
	for _, s := range []string{`"Wed, 10 Jan 2018 21:05:30 +0000"`, `"2018-08-24T14:41:00+00:00"`, `1561479335`, `""`, `null`, `"2018-13-45"`, `-1`, `"Mon, 2 Jan 2006 15:04:05 -0700"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var a bc.V2Time
		var c bc.Time
		var u bc.UnixTime
		_ = json.Unmarshal(b, &a)
		_ = json.Unmarshal(b, &c)
		_ = json.Unmarshal(b, &u)
		_, _ = json.Marshal(a)
		_, _ = json.Marshal(c)
		_, _ = json.Marshal(u)
	})
}

func FuzzFlex(f *testing.F) {
	for _, s := range []string{`12`, `"12"`, `""`, `null`, `true`, `"x"`, `[1]`, `1.5`, `99999999999999999999`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var i bc.FlexInt
		var s bc.FlexString
		_ = json.Unmarshal(b, &i)
		_ = json.Unmarshal(b, &s)
	})
}

func FuzzOrderDecode(f *testing.F) {
	for _, name := range []string{"order_v2.json", "order_products_v2.json", "product_v3.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var o bc.Order
		var ps []bc.OrderProduct
		var p bc.Envelope[bc.Product]
		_ = json.Unmarshal(b, &o)
		_ = json.Unmarshal(b, &ps)
		_ = json.Unmarshal(b, &p)
	})
}
