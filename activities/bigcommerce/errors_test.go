package bigcommerce_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/apierror"
	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// TestErrorClasses drives each error class through every client method.
func TestErrorClasses(t *testing.T) {
	tests := []struct {
		name      string
		fault     bigcommercetest.Fault
		sentinel  error
		retryable bool
		delay     bool
		inMessage string
	}{
		{"404", bigcommercetest.Fault{Kind: bigcommercetest.FaultError, Status: 404, Title: "Nothing here"}, bc.ErrNotFound, false, false, "Nothing here"},
		{"409", bigcommercetest.Fault{Kind: bigcommercetest.FaultError, Status: 409, Title: "Duplicate thing"}, bc.ErrConflict, false, false, "Duplicate thing"},
		{"422", bigcommercetest.Fault{Kind: bigcommercetest.FaultError, Status: 422, Title: "Bad field"}, bc.ErrValidation, false, false, "Bad field"},
		{"500", bigcommercetest.Fault{Kind: bigcommercetest.FaultError, Status: 500, Title: "Boom"}, bc.ErrServer, true, false, "Boom"},
		{"503", bigcommercetest.Fault{Kind: bigcommercetest.FaultError, Status: 503, Title: "Maintenance"}, bc.ErrServer, true, false, "Maintenance"},
		{"501", bigcommercetest.Fault{Kind: bigcommercetest.FaultError, Status: 501}, bc.ErrServer, false, false, "Not Implemented"},
		{"429", bigcommercetest.Fault{Kind: bigcommercetest.FaultRateLimit, RetryAfter: 1500 * time.Millisecond}, bc.ErrRateLimited, true, true, "Too many requests"},
		{"429 load shedding", bigcommercetest.Fault{Kind: bigcommercetest.FaultLoadShed}, bc.ErrRateLimited, true, true, "load shedding"},
		{"dropped connection", bigcommercetest.Fault{Kind: bigcommercetest.FaultDrop}, bc.ErrTransport, true, false, "transport"},
	}
	routes := allMethods(t)
	for _, tc := range tests {
		for _, rt := range routes {
			t.Run(tc.name+"/"+rt.name, func(t *testing.T) {
				srv, _ := newFake(t)
				c := newClient(t, srv, func(cfg *bc.Config) { cfg.LoadSheddingBackoff = 10 * time.Millisecond })
				srv.InjectFault(tc.fault) // every route

				err := rt.call(c)
				if !errors.Is(err, tc.sentinel) {
					t.Fatalf("err = %v, want %v", err, tc.sentinel)
				}
				if !strings.Contains(err.Error(), rt.want) || !strings.Contains(err.Error(), tc.inMessage) {
					t.Fatalf("message %q lacks %q / %q", err, rt.want, tc.inMessage)
				}
				if got := bc.IsRetryable(err); got != tc.retryable {
					t.Fatalf("IsRetryable = %v", got)
				}
				delay, ok := bc.RetryDelay(err)
				if ok != tc.delay || (ok && delay <= 0) {
					t.Fatalf("RetryDelay = %v, %v", delay, ok)
				}
				if strings.Contains(err.Error(), srv.Token) {
					t.Fatal("token leaked into the error")
				}
			})
		}
	}
}

func TestRateLimitDelayIsTheLonger(t *testing.T) {
	srv, c := newFake(t)
	// Reset-Ms 2500 vs X-Retry-After "3" (ceil): the longer one, 3 s, wins.
	srv.InjectFault(bigcommercetest.Fault{Kind: bigcommercetest.FaultRateLimit, RetryAfter: 2500 * time.Millisecond})
	_, err := c.ListLocations(ctx(t))
	var rl *bc.APIError
	if !errors.As(err, &rl) || rl.Kind != apierror.KindRateLimited || rl.RetryAfter != 3*time.Second || rl.LoadShedding {
		t.Fatalf("err = %#v", err)
	}
}

func TestUnauthorized(t *testing.T) {
	srv := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit())
	t.Cleanup(srv.Close)
	c := newClient(t, srv, func(cfg *bc.Config) { cfg.AccessToken = "wrong-token-value" })
	calls := map[string]func() error{
		"v3": func() error { _, err := c.ListLocations(ctx(t)); return err },
		"v2": func() error { _, err := c.GetOrder(ctx(t), 1); return err },
	}
	for name, call := range calls {
		err := call()
		var ue *bc.APIError
		if !errors.As(err, &ue) || !errors.Is(err, bc.ErrUnauthorized) || bc.IsRetryable(err) {
			t.Fatalf("%s: err = %v", name, err)
		}
		if strings.Contains(err.Error(), "wrong-token-value") || !strings.Contains(err.Error(), "not authorized") {
			t.Fatalf("%s: message %q", name, err)
		}
	}
}

func TestOtherStatusIsAPIError(t *testing.T) {
	srv, c := newFake(t)
	srv.InjectFault(bigcommercetest.Fault{Kind: bigcommercetest.FaultError, Status: http.StatusMethodNotAllowed, Title: "Method not allowed"})
	_, err := c.ListHooks(ctx(t))
	var ae *bc.APIError
	if !errors.As(err, &ae) || ae.Kind != apierror.KindRejected || ae.Status != 405 || bc.IsRetryable(err) || !strings.Contains(err.Error(), "Method not allowed") {
		t.Fatalf("err = %v", err)
	}
}

func TestLatencyFaultStillSucceeds(t *testing.T) {
	srv, c := newFake(t)
	srv.InjectFault(bigcommercetest.Fault{Kind: bigcommercetest.FaultLatency, Latency: 20 * time.Millisecond, Times: 1})
	if _, err := c.ListLocations(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestErrorRateFault(t *testing.T) {
	srv, c := newFake(t, bigcommercetest.WithSeed(7))
	srv.InjectFault(bigcommercetest.Fault{Method: "GET", Path: "/v3/inventory/locations", Kind: bigcommercetest.FaultError, Status: 502, Rate: 0.5})
	failed := 0
	for range 40 {
		if _, err := c.ListLocations(ctx(t)); errors.Is(err, bc.ErrServer) {
			failed++
		}
	}
	if failed == 0 || failed == 40 {
		t.Fatalf("rate 0.5 failed %d of 40", failed)
	}
	// Other routes are untouched.
	if _, err := c.ListHooks(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestContextCanceledIsNotRetryable(t *testing.T) {
	srv, c := newFake(t)
	srv.InjectFault(bigcommercetest.Fault{Kind: bigcommercetest.FaultLatency, Latency: 2 * time.Second})
	ctx2, cancel2 := contextWithCancelSoon()
	defer cancel2()
	_, err := c.ListLocations(ctx2)
	if err == nil || bc.IsRetryable(err) || !errors.Is(err, bc.ErrTransport) {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeErrorIsPermanent(t *testing.T) {
	// A body of the wrong shape from a server that is not the fake.
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"data": "not a list", "meta": {}}`))
	}))
	t.Cleanup(hs.Close)
	c, err := bc.New(bc.Config{StoreHash: "x", AccessToken: "t", BaseURL: hs.URL + "/stores/x"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListLocations(ctx(t))
	var de *bc.APIError
	if !errors.As(err, &de) || !errors.Is(err, bc.ErrDecode) || bc.IsRetryable(err) || de.Status != 200 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "GET /v3/inventory/locations") {
		t.Fatalf("message %q", err)
	}
}

func TestTokenNeverLogged(t *testing.T) {
	srv, _ := newFake(t)
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv, func(cfg *bc.Config) {
		cfg.Logger = logger
		cfg.RateLimitRetries = 1
		cfg.LoadSheddingBackoff = time.Millisecond
	})
	srv.InjectFault(bigcommercetest.Fault{Kind: bigcommercetest.FaultLoadShed, Times: 1})
	must(c.ListLocations(ctx(t)))
	_, _ = c.GetOrder(ctx(t), 1)
	logger.Info("config", "cfg", srv.ClientConfig())
	out := buf.String()
	if strings.Contains(out, srv.Token) {
		t.Fatalf("token in logs:\n%s", out)
	}
	if !strings.Contains(out, "/v3/inventory/locations") || !strings.Contains(out, "rate limited") {
		t.Fatalf("expected call and 429 lines:\n%s", out)
	}
}

type methodCase struct {
	name string
	call func(*bc.Client) error
	want string // "METHOD /path" the error must name
}

// allMethods lists every client method with arguments good enough to reach
// the server (faults answer before any handler looks at them).
func allMethods(t *testing.T) []methodCase {
	one := []bc.AdjustmentItem{{LocationID: 1, ProductID: 1, Quantity: 1}}
	e := func(_ any, err error) error { return err }
	return []methodCase{
		{"ListProducts", func(c *bc.Client) error { return e(c.ListProducts(ctx(t), bc.ProductFilter{})) }, "GET /v3/catalog/products"},
		{"WalkProducts", func(c *bc.Client) error { return e(c.WalkProducts(bc.ProductFilter{}, bc.Cursor{}).Next(ctx(t))) }, "GET /v3/catalog/products"},
		{"GetProduct", func(c *bc.Client) error { return e(c.GetProduct(ctx(t), 5)) }, "GET /v3/catalog/products/5"},
		{"CreateProduct", func(c *bc.Client) error {
			return e(c.CreateProduct(ctx(t), bc.ProductCreate{Name: "x", Type: "physical"}))
		}, "POST /v3/catalog/products"},
		{"UpdateProducts", func(c *bc.Client) error { return e(c.UpdateProducts(ctx(t), []bc.ProductUpdate{{ID: 1}})) }, "PUT /v3/catalog/products"},
		{"ListCustomFields", func(c *bc.Client) error { return e(c.ListCustomFields(ctx(t), 5)) }, "GET /v3/catalog/products/5/custom-fields"},
		{"CreateCustomField", func(c *bc.Client) error {
			return e(c.CreateCustomField(ctx(t), 5, bc.CustomField{Name: "a", Value: "b"}))
		}, "POST /v3/catalog/products/5/custom-fields"},
		{"ListVariants", func(c *bc.Client) error { return e(c.ListVariants(ctx(t), bc.VariantFilter{SKU: "A"})) }, "GET /v3/catalog/variants"},
		{"UpdateVariants", func(c *bc.Client) error { return e(c.UpdateVariants(ctx(t), []bc.VariantUpdate{{ID: 1}})) }, "PUT /v3/catalog/variants"},
		{"ListLocations", func(c *bc.Client) error { return e(c.ListLocations(ctx(t))) }, "GET /v3/inventory/locations"},
		{"DefaultLocation", func(c *bc.Client) error { return e(c.DefaultLocation(ctx(t))) }, "GET /v3/inventory/locations"},
		{"AdjustAbsolute", func(c *bc.Client) error { return e(c.AdjustAbsolute(ctx(t), "", one)) }, "PUT /v3/inventory/adjustments/absolute"},
		{"AdjustRelative", func(c *bc.Client) error { return e(c.AdjustRelative(ctx(t), "", one)) }, "POST /v3/inventory/adjustments/relative"},
		{"ListInventoryItems", func(c *bc.Client) error {
			return e(c.ListInventoryItems(ctx(t), bc.InventoryFilter{SKUs: []string{"A"}}))
		}, "GET /v3/inventory/items"},
		{"ListOrders", func(c *bc.Client) error { return e(c.ListOrders(ctx(t), bc.OrderFilter{})) }, "GET /v2/orders"},
		{"WalkOrders", func(c *bc.Client) error { return e(c.WalkOrders(bc.OrderFilter{}, bc.Cursor{}).Next(ctx(t))) }, "GET /v2/orders"},
		{"GetOrder", func(c *bc.Client) error { return e(c.GetOrder(ctx(t), 7)) }, "GET /v2/orders/7"},
		{"ListOrderProducts", func(c *bc.Client) error { return e(c.ListOrderProducts(ctx(t), 7)) }, "GET /v2/orders/7/products"},
		{"ListShippingAddresses", func(c *bc.Client) error { return e(c.ListShippingAddresses(ctx(t), 7)) }, "GET /v2/orders/7/shipping_addresses"},
		{"UpdateOrderStatus", func(c *bc.Client) error { return e(c.UpdateOrderStatus(ctx(t), 7, 2)) }, "PUT /v2/orders/7"},
		{"ListOrderStatuses", func(c *bc.Client) error { return e(c.ListOrderStatuses(ctx(t))) }, "GET /v2/order_statuses"},
		{"CreateShipment", func(c *bc.Client) error { return e(c.CreateShipment(ctx(t), 7, bc.ShipmentCreate{})) }, "POST /v2/orders/7/shipments"},
		{"ListShipments", func(c *bc.Client) error { return e(c.ListShipments(ctx(t), 7)) }, "GET /v2/orders/7/shipments"},
		{"ListTransactions", func(c *bc.Client) error { return e(c.ListTransactions(ctx(t), 7)) }, "GET /v3/orders/7/transactions"},
		{"CapturePayment", func(c *bc.Client) error { return c.CapturePayment(ctx(t), 7) }, "POST /v3/orders/7/payment_actions/capture"},
		{"VoidPayment", func(c *bc.Client) error { return c.VoidPayment(ctx(t), 7) }, "POST /v3/orders/7/payment_actions/void"},
		{"ListRefunds", func(c *bc.Client) error { return e(c.ListRefunds(ctx(t), 7)) }, "GET /v3/orders/7/payment_actions/refunds"},
		{"CreateRefund", func(c *bc.Client) error { return e(c.CreateRefund(ctx(t), 7, bc.RefundCreate{})) }, "POST /v3/orders/7/payment_actions/refunds"},
		{"ListHooks", func(c *bc.Client) error { return e(c.ListHooks(ctx(t))) }, "GET /v3/hooks"},
		{"CreateHook", func(c *bc.Client) error { return e(c.CreateHook(ctx(t), bc.HookCreate{Scope: "store/order/*"})) }, "POST /v3/hooks"},
		{"UpdateHook", func(c *bc.Client) error { return e(c.UpdateHook(ctx(t), 9, bc.HookUpdate{IsActive: ptr(true)})) }, "PUT /v3/hooks/9"},
		{"DeleteHook", func(c *bc.Client) error { return e(c.DeleteHook(ctx(t), 9)) }, "DELETE /v3/hooks/9"},
	}
}
