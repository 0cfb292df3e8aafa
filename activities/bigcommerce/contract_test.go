package bigcommerce_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// specsDirVar overrides where BigCommerce's OpenAPI files are read from.
const specsDirVar = "HRBC_BIGCOMMERCE_SPECS"

// specAllowance is one known disagreement between BigCommerce's OpenAPI
// files and its API: an error of the validator on Op's Side that contains
// Match is the spec's fault, for Reason.
type specAllowance struct {
	Op, Side, Match, Reason string
}

// specAllowances is every spec bug the contract test forgives. Anything
// else the client sends or the fake answers that the specs refuse fails.
var specAllowances = []specAllowance{
	{"GET /orders", "request", `parameter "sort" in query`,
		"the enum lists bare field names, while the description and every client use field:asc / field:desc"},
	{"GET /orders/{order_id}/products", "request", `parameter "Content-Type" in header`,
		"the spec marks Content-Type required on a GET, which has no body"},
	{"PUT /catalog/products", "request", `readOnly property "id" in request`,
		"the batch update identifies each product by id (the operation's own description says id is required); the shared schema marks it read-only"},
	{"GET /catalog/products", "response", `/base_variant_id": Value is not nullable`,
		"documented as null for complex products (products with variants), typed as a plain integer"},
	{"GET /catalog/variants", "response", "Value is not nullable",
		"variant price, cost_price, sale_price, retail_price and weight are null when inherited from the product (their descriptions say so); typed as plain numbers"},
	{"PUT /catalog/variants", "response", "Value is not nullable",
		"the same variant schema as GET /catalog/variants"},
	{"GET /inventory/items", "response", `/identity/sku_id": Value is not nullable`,
		"documented as null for a base variant, typed as a plain integer"},
}

// exchange is one request the client sent to the fake and its answer.
type exchange struct {
	req      *http.Request
	reqBody  []byte
	status   int
	header   http.Header
	respBody []byte
}

// recorder is an http.RoundTripper that keeps every exchange.
type recorder struct {
	mu  sync.Mutex
	got []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	respBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	plain, header := respBody, resp.Header.Clone()
	if header.Get("Content-Encoding") == "gzip" {
		// The client asks for gzip; the specs describe the JSON inside.
		if zr, err := gzip.NewReader(bytes.NewReader(respBody)); err == nil {
			plain, _ = io.ReadAll(zr)
			header.Del("Content-Encoding")
		}
	}
	r.mu.Lock()
	r.got = append(r.got, exchange{req: req.Clone(context.Background()), reqBody: body, status: resp.StatusCode, header: header, respBody: plain})
	r.mu.Unlock()
	return resp, nil
}

// specRouter finds an operation in any of BigCommerce's OpenAPI files.
type specRouter struct {
	routers []routers.Router
}

// loadSpecs reads every OpenAPI file of the folder; none is fatal in CI,
// where shared/ is laid beside the clone, and a skip elsewhere.
func loadSpecs(t *testing.T) *specRouter {
	t.Helper()
	dir := os.Getenv(specsDirVar)
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "specs", "bigcommerce")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
	if len(files) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("no BigCommerce OpenAPI files in %s (set %s)", dir, specsDirVar)
		}
		t.Skipf("no BigCommerce OpenAPI files in %s (set %s to run the contract test)", dir, specsDirVar)
	}
	sort.Strings(files)
	sr := &specRouter{}
	for _, f := range files {
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = true
		doc, err := loader.LoadFromFile(f)
		if err != nil {
			t.Fatalf("load %s: %v", f, err)
		}
		r, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatalf("route %s: %v", f, err)
		}
		sr.routers = append(sr.routers, r)
	}
	return sr
}

// find routes req, given as the real store's URL.
func (sr *specRouter) find(req *http.Request) (*routers.Route, map[string]string, error) {
	for _, r := range sr.routers {
		route, params, err := r.FindRoute(req)
		if err == nil {
			return route, params, nil
		}
	}
	return nil, nil, fmt.Errorf("no operation in BigCommerce's OpenAPI files for %s %s", req.Method, req.URL.Path)
}

// asStore turns a request to the fake into the same request to the real
// store's gateway, where the OpenAPI files' servers are.
func asStore(x exchange, base string) (*http.Request, error) {
	rest, ok := strings.CutPrefix(x.req.URL.String(), base)
	if !ok {
		return nil, fmt.Errorf("%s is not under the store base %s", x.req.URL, base)
	}
	u, err := url.Parse(bc.DefaultBaseURL + "abc123" + rest)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(x.req.Method, u.String(), bytes.NewReader(x.reqBody))
	if err != nil {
		return nil, err
	}
	req.Header = x.req.Header.Clone()
	return req, nil
}

// TestContractWithBigCommerceSpecs runs every call hrbc makes to a store
// against the fake and checks each request the client sends (path,
// query parameter names and values, body) and each answer the fake gives
// (status, body) against BigCommerce's official OpenAPI files.
func TestContractWithBigCommerceSpecs(t *testing.T) {
	specs := loadSpecs(t)
	// The token has exactly the scopes hrbc says it needs: every call must
	// go through with them.
	srv := bigcommercetest.NewServer(bigcommercetest.WithoutRateLimit(), bigcommercetest.WithScopes(bc.ScopesNeeded...))
	t.Cleanup(srv.Close)
	rec := &recorder{}
	cfg := srv.ClientConfig()
	cfg.HTTPClient = &http.Client{Transport: rec}
	c, err := bc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	exerciseEveryCall(t, srv, c)

	base := strings.TrimSuffix(cfg.BaseURL, "/")
	covered, used := map[string]bool{}, map[int]bool{}
	for _, x := range rec.got {
		req, err := asStore(x, base)
		if err != nil {
			t.Error(err)
			continue
		}
		route, params, err := specs.find(req)
		if err != nil {
			t.Error(err)
			continue
		}
		op := req.Method + " " + route.Path
		covered[op] = true
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
		for _, name := range undeclaredQuery(route, req.URL.Query()) {
			allowOrFail(t, op, "request", req.URL.RequestURI(), fmt.Errorf("query parameter %q is not in the spec: a store ignores it", name), used)
		}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			allowOrFail(t, op, "request", fmt.Sprintf("%s %s", req.Method, req.URL.RequestURI()), err, used)
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.status, Header: x.header,
			Body:    io.NopCloser(bytes.NewReader(x.respBody)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			allowOrFail(t, op, "response", fmt.Sprintf("%d %s", x.status, truncate(x.respBody, 300)), err, used)
		}
	}
	ops := make([]string, 0, len(covered))
	for op := range covered {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	t.Logf("%d operations checked against the specs:\n%s", len(ops), strings.Join(ops, "\n"))
	for i, a := range specAllowances {
		if !used[i] {
			t.Errorf("allowance %s %s %q forgave nothing: the spec or the code changed, remove it", a.Op, a.Side, a.Match)
		}
	}
}

// undeclaredQuery lists the query parameters of q the operation does not
// declare. The validator checks declared ones only, and an undeclared
// filter is the costly kind of mistake: the store ignores it and answers
// with everything.
func undeclaredQuery(route *routers.Route, q url.Values) []string {
	declared := map[string]bool{}
	params := route.Operation.Parameters
	if route.PathItem != nil {
		params = append(append(openapi3.Parameters{}, route.PathItem.Parameters...), params...)
	}
	for _, p := range params {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
			declared[p.Value.Name] = true
		}
	}
	var out []string
	for name := range q {
		if !declared[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// allowOrFail fails for every part of err that no allowance forgives.
func allowOrFail(t *testing.T, op, side, what string, err error, used map[int]bool) {
	t.Helper()
	for _, e := range flatten(err) {
		forgiven := false
		for i, a := range specAllowances {
			if a.Op == op && a.Side == side && strings.Contains(e.Error(), a.Match) {
				forgiven, used[i] = true, true
				break
			}
		}
		if !forgiven {
			t.Errorf("%s %s: %s: %v", op, side, what, e)
		}
	}
}

// flatten lists the single errors inside the validator's multi-errors.
func flatten(err error) []error {
	var me openapi3.MultiError
	if !errors.As(err, &me) {
		return []error{err}
	}
	var out []error
	for _, e := range me {
		out = append(out, flatten(e)...)
	}
	return out
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// exerciseEveryCall makes each call the worker makes, with the filters it
// uses, so the recorder sees every route and parameter hrbc sends.
func exerciseEveryCall(t *testing.T, srv *bigcommercetest.Server, c *bc.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mug := srv.AddProduct(bigcommercetest.ProductSeed{Name: "Mug", SKU: "MUG", Stock: map[int]int{0: 5}})
	tee := srv.AddProduct(bigcommercetest.ProductSeed{Name: "Tee", SKU: "TEE", Variants: []bigcommercetest.VariantSeed{
		{SKU: "TEE-S", Option: "Small"}, {SKU: "TEE-M", Option: "Medium"}}})

	// Catalog: the pull, the follower, the push and the links.
	_, err := c.ListLocations(ctx)
	must(err)
	_, err = c.DefaultLocation(ctx)
	must(err)
	_, err = c.ListProducts(ctx, bc.ProductFilter{IncludeVariants: true, IncludeCustomFields: true, Limit: 250})
	must(err)
	_, err = c.ListProducts(ctx, bc.ProductFilter{IDs: []int{mug.ID, tee.ID}, IncludeVariants: true})
	must(err)
	_, err = c.ListProducts(ctx, bc.ProductFilter{SKUs: []string{"MUG", "TEE"}})
	must(err)
	_, err = c.ListProducts(ctx, bc.ProductFilter{SKU: "MUG"})
	must(err)
	_, err = c.ListProducts(ctx, bc.ProductFilter{DateModifiedMin: time.Now().Add(-time.Hour), IncludeVariants: true})
	must(err)
	_, err = c.WalkProducts(bc.ProductFilter{ByID: true, Limit: 1}, bc.Cursor{}).Next(ctx)
	must(err)
	_, err = c.WalkProducts(bc.ProductFilter{AfterID: mug.ID, Limit: 1}, bc.Cursor{}).Next(ctx)
	must(err)
	_, err = c.GetProduct(ctx, mug.ID)
	must(err)
	created, err := c.CreateProduct(ctx, bc.ProductCreate{Name: "Cap", Type: "physical", SKU: "CAP", Weight: bc.NewNumber("1"), Price: bc.NewNumber("15")})
	must(err)
	name := "Cap, red"
	_, err = c.UpdateProducts(ctx, []bc.ProductUpdate{{ID: created.ID, Name: &name}})
	must(err)
	_, err = c.CreateCustomField(ctx, created.ID, bc.CustomField{Name: "Brand", Value: "Acme"})
	must(err)
	_, err = c.ListCustomFields(ctx, created.ID)
	must(err)
	_, err = c.ListVariants(ctx, bc.VariantFilter{SKU: "TEE-S"})
	must(err)
	variants, err := c.ListVariants(ctx, bc.VariantFilter{ProductIDs: []int{tee.ID}})
	must(err)
	price := bc.NewNumber("21.50")
	_, err = c.UpdateVariants(ctx, []bc.VariantUpdate{{ID: variants[0].ID, Price: &price}})
	must(err)

	// Inventory.
	loc, err := c.DefaultLocation(ctx)
	must(err)
	_, err = c.ListInventoryItems(ctx, bc.InventoryFilter{LocationIDs: []int{loc.ID}})
	must(err)
	_, err = c.ListInventoryItems(ctx, bc.InventoryFilter{SKUs: []string{"MUG"}, ProductIDs: []int{mug.ID}, VariantIDs: []int{variants[0].ID}})
	must(err)
	_, err = c.AdjustAbsolute(ctx, "hrbc", []bc.AdjustmentItem{{LocationID: loc.ID, ProductID: mug.ID, Quantity: 3},
		{LocationID: loc.ID, VariantID: variants[0].ID, Quantity: 2}})
	must(err)

	// Orders: the sweep, the import, shipments, capture, refunds, closing.
	o, err := srv.AddOrder(bigcommercetest.OrderSeed{CustomerEmail: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
		Lines: []bigcommercetest.OrderLine{{SKU: "MUG", Quantity: 1}, {SKU: "TEE-S", Quantity: 1}}})
	must(err)
	awaiting := bc.StatusAwaitingFulfillment
	_, err = c.ListOrders(ctx, bc.OrderFilter{MinDateModified: time.Now().Add(-time.Hour), Limit: 50})
	must(err)
	_, err = c.ListOrders(ctx, bc.OrderFilter{StatusID: &awaiting})
	must(err)
	_, err = c.GetOrder(ctx, o.ID)
	must(err)
	lines, err := c.ListOrderProducts(ctx, o.ID)
	must(err)
	addrs, err := c.ListShippingAddresses(ctx, o.ID)
	must(err)
	_, err = c.ListOrderStatuses(ctx)
	must(err)
	_, err = c.ListTransactions(ctx, o.ID)
	must(err)
	must(c.CapturePayment(ctx, o.ID))
	_, err = c.CreateShipment(ctx, o.ID, bc.ShipmentCreate{OrderAddressID: addrs[0].ID, Items: []bc.ShipmentItem{{OrderProductID: lines[0].ID, Quantity: 1}}})
	must(err)
	_, err = c.ListShipments(ctx, o.ID)
	must(err)
	_, err = c.ListRefunds(ctx, o.ID)
	must(err)
	_, err = c.UpdateOrderStatus(ctx, o.ID, bc.StatusShipped)
	must(err)

	// Webhooks.
	h, err := c.CreateHook(ctx, bc.HookCreate{Scope: "store/order/created", Destination: "https://hrbc.example.com/webhooks/bigcommerce/shop", IsActive: true,
		Headers: map[string]string{"X-Hrbc-Secret": "s3cret"}})
	must(err)
	_, err = c.ListHooks(ctx)
	must(err)
	dest := "https://hrbc.example.com/webhooks/bigcommerce/shop2"
	_, err = c.UpdateHook(ctx, h.ID, bc.HookUpdate{Destination: &dest})
	must(err)
	_, err = c.DeleteHook(ctx, h.ID)
	must(err)
}
