// Package heartlandtest is an in-memory fake of one Heartland Retail account
// for hrbc's tests and dev sandbox, in the net/http/httptest idiom:
//
//	srv := heartlandtest.NewServer(heartlandtest.WithDemoSeed())
//	defer srv.Close()
//	client, _ := heartland.New(srv.ClientConfig())
//
// It speaks the real representation: "?"-suffixed booleans, 201 + Location
// with an empty body on create (every Location names a route it serves; POST
// /webhooks also answers the new hook as JSON), {total, pages, results}
// collections, _filter JSON (objects, AND arrays, $in $gt $gte $lt $lte $ne
// $nin $eq $like $and $or, custom@key), the nested ~[field][$op]= and
// _filter[field][$op]= forms, plain field=value equality, sort[], _only[]
// (select[] too), _include[], and {error, message, details} error bodies. A
// parameter it does not understand is refused with 400, never ignored; a
// per_page above its maximum (DefaultMaxPerPage, WithMaxPerPage) is refused
// naming per_page (WithPerPageClamp answers a smaller page instead). It
// also behaves like the business: open sales orders commit stock (pending
// ones do not), completing an invoice consumes the stock at its location,
// required custom fields and duplicate public_ids are rejected, and every
// on-hand movement is an inventory transaction.
//
// Go helpers seed the account (AddLocation, AddItem, AddGrid,
// AddCustomField, SetStock, AddCustomer, AddPaymentType, DemoSeed), act like
// store staff (RingUpSale, ReceiveStock, InvoiceOrderAt), inject faults
// (InjectFault, FailNext, RateLimitNext) and read state for assertions
// (ItemByPublicID, Stock, OrderByPublicID, InvoicesOfOrder, ...).
// Webhooks registered through the API receive the bare resource JSON.
//
// # Control API
//
// For a CLI in another process the same server answers, without auth, under
// /__fake/ (outside /api/, so it cannot collide with a real route):
//
//	POST /__fake/sale     {"sku":"HR-MUG-01","qty":2,"location":"Main Street"}  -> 201 {"ticket_id":7,"public_id":"T-7"}
//	POST /__fake/receive  {"sku":"HR-MUG-01","qty":10,"location":"Warehouse"}  -> 200 stock of the SKU
//	POST /__fake/invoice  {"order":"BC-100","location":"Main Street"}           -> 201 {"invoice_id":3,"order_id":1}
//	POST /__fake/distribute {"order":"BC-100","location":"Main Street","lines":[70]} -> 200 {"order_id":1,"lines":[…]}
//	                      (lines omitted: every undistributed line; as a line PUT of ship_from_location_id would)
//	GET  /__fake/stock?sku=HR-MUG-01                                            -> 200 stock of the SKU
//	GET  /__fake/ping                                                           -> 200 {"ok":true,"api_url":"http://127.0.0.1:7081/api/"}
//
// "location" is a location id, public_id or name (case-insensitive); "order"
// is a sales-order id or public_id; "qty" is a number or numeric string.
// Stock answers {"sku","item_id","locations":[{"location_id","location",
// "on_hand","available","committed"}]}. Errors use the API's error body.
//
// # Modelling choices
//
// Where the real behaviour is UNCONFIRMED the fake picks the likeliest one
// and an option gives the other (activities/heartland/NOTES.md has the
// evidence): orders are created pending unless the body says "open"; an
// order's station must belong to its source location; an open order's
// undistributed lines commit stock at the source location and move with
// ship_from_location_id; an invoice takes every remaining line distributed
// to its source location (WithEmptyInvoices: none, POST
// /sales/invoices/{id}/lines adds them) and the first invoice of an order
// carries its shipping charge (WithInvoicesWithoutShipping: none does); it
// consumes stock when its status becomes "complete" (or at once with
// WithInvoiceCompletesOnCreate); an order closes by itself when every line
// is invoiced and its balance is paid (otherwise it stays open for the
// payment and an explicit close); "canceled" releases commitments
// (WithOrderStatuses: another spelling, or none); a payment's type must be
// "CustomPayment" (WithPaymentClasses: others); adjustment-set lines post
// immediately; completing an invoice and ringing up a ticket both emit
// sales_transaction_completed. Inventory transaction rows carry item_id,
// location_id, type (sale, receipt, adjustment, invoice; commitment only
// WithCommitmentTransactions), qty (on-hand change), qty_committed
// (committed change), source_type, source_id and created_at. 429 and 503
// faults carry Retry-After when given one. Webhook routes are unsigned; put
// a secret in the registered URL's query.
//
// Serve on a fixed loopback address for the sandbox with Listen:
//
//	srv, err := heartlandtest.Listen("127.0.0.1:7081", heartlandtest.WithDemoSeed(), heartlandtest.WithToken("dev-token"))
//
// # Imports
//
// It imports the heartland client for its payload types and nothing else of
// hrbc: no Temporal, no activities, no bigcommerce.
package heartlandtest

import (
	"context"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// DefaultToken is the API token a Server accepts unless WithToken is given.
const DefaultToken = "heartlandtest-token"

// Server is a running fake account. Its exported methods are safe for
// concurrent use with the HTTP handlers.
type Server struct {
	// URL is the API base, ending in "/api/": pass it as heartland.Config.BaseURL.
	URL string
	// RootURL is the server root; the control API lives at RootURL + "/__fake/".
	RootURL string
	// Token is the bearer token the API requires.
	Token string

	ts *httptest.Server

	mu            sync.Mutex
	now           func() time.Time
	items         *collection
	customFields  *collection
	locations     *collection
	stations      *collection
	customers     *collection
	addresses     *collection
	orders        *collection
	orderLines    *collection
	payments      *collection
	invoices      *collection
	invoiceLines  *collection
	tickets       *collection
	ticketLines   *collection
	paymentTypes  *collection
	webhooks      *collection
	adjSets       *collection
	adjLines      *collection
	adjReasons    *collection
	invTx         *collection
	grids         int64
	onHand        map[position]decimal.Decimal
	committed     map[position]decimal.Decimal
	completeOnNew bool
	createBodies  bool
	noTx          bool
	// Quirks whose real behaviour is UNCONFIRMED, each an option.
	pageLimit      pageLimit
	emptyInvoices  bool            // invoices start without lines
	noShipInvoice  bool            // the shipping charge stays on the order
	commitmentTx   bool            // committing stock writes a transaction
	paymentClasses map[string]bool // accepted payment "type" spellings
	cancelStatus   string          // the sales-order cancel status ("" = none)
	closeStatus    string          // the sales-order closed status

	faultMu sync.Mutex
	faults  map[string]*faultState
	rng     *rand.Rand

	callMu sync.Mutex
	calls  map[string]int // authorised requests by route

	hookMu     sync.Mutex
	hookWG     sync.WaitGroup
	deliveries []Delivery
	dupCopies  int
	hookClient *http.Client

	seed []func(*Server)
}

type position struct{ item, loc int64 }

// Option configures a Server.
type Option func(*Server)

// WithToken sets the accepted bearer token.
func WithToken(token string) Option { return func(s *Server) { s.Token = token } }

// WithClock replaces time.Now for timestamps (created_at, completed_at...).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithDemoSeed fills the account with DemoSeed.
func WithDemoSeed() Option { return WithSeed(DemoSeed) }

// WithSeed runs seed against the new server before it serves requests.
func WithSeed(seed func(*Server)) Option {
	return func(s *Server) { s.seed = append(s.seed, seed) }
}

// WithRandSeed makes probabilistic faults reproducible.
func WithRandSeed(seed uint64) Option {
	return func(s *Server) { s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }
}

// WithWebhookClient sets the HTTP client used to deliver webhooks.
func WithWebhookClient(c *http.Client) Option { return func(s *Server) { s.hookClient = c } }

// WithInvoiceCompletesOnCreate makes new invoices complete (and consume
// stock) immediately, as some accounts reportedly do.
func WithInvoiceCompletesOnCreate() Option { return func(s *Server) { s.completeOnNew = true } }

// WithCreateBodies makes creates answer with the new resource as a JSON body
// besides the Location header, as some endpoints do (POST /webhooks).
func WithCreateBodies() Option { return func(s *Server) { s.createBodies = true } }

// WithMaxPerPage sets the largest page served; a larger per_page is
// refused with 400 naming per_page (default DefaultMaxPerPage).
func WithMaxPerPage(n int) Option { return func(s *Server) { s.pageLimit.max = n } }

// WithPerPageClamp makes a per_page above the maximum answer a smaller
// page instead of a 400, as some servers do.
func WithPerPageClamp() Option { return func(s *Server) { s.pageLimit.clamp = true } }

// WithEmptyInvoices makes new invoices start without lines: the caller adds
// them (POST /sales/invoices/{id}/lines). By default an invoice takes the
// order lines distributed to its location by itself, as the UI pre-lists
// them; which one Heartland's API does is UNCONFIRMED.
func WithEmptyInvoices() Option { return func(s *Server) { s.emptyInvoices = true } }

// WithInvoicesWithoutShipping keeps an order's shipping charge off its
// invoices (the order is then owed it after the last invoice). By default
// the first invoice carries it, as Heartland's help pages say shipping
// carries over to the invoice; the API's invoice total is UNCONFIRMED.
func WithInvoicesWithoutShipping() Option { return func(s *Server) { s.noShipInvoice = true } }

// WithCommitmentTransactions makes committing or releasing stock (an open
// order, distribution, cancellation) write an inventory transaction. Real
// Heartland very likely logs only on-hand movements, so it is off by default.
func WithCommitmentTransactions() Option { return func(s *Server) { s.commitmentTx = true } }

// WithPaymentClasses sets the order-payment "type" spellings the account
// accepts (default "CustomPayment"); any other is refused with 422 on type.
// Real code uses CustomPayment, ExternalPayment and Payments::ExternalPayment.
func WithPaymentClasses(types ...string) Option {
	return func(s *Server) {
		s.paymentClasses = map[string]bool{}
		for _, t := range types {
			s.paymentClasses[t] = true
		}
	}
}

// WithOrderStatuses sets the spellings of a cancelled and a closed sales
// order (defaults "canceled" and "closed"); an empty cancel status means
// the account cannot cancel an order by status at all.
func WithOrderStatuses(cancel, closed string) Option {
	return func(s *Server) { s.cancelStatus, s.closeStatus = cancel, closed }
}

// WithoutInventoryTransactions makes /inventory/transactions answer 404, for
// exercising the client's full-values fallback.
func WithoutInventoryTransactions() Option { return func(s *Server) { s.noTx = true } }

func newServer(opts []Option) *Server {
	s := &Server{
		Token:          DefaultToken,
		now:            time.Now,
		items:          newCollection(),
		customFields:   newCollection(),
		locations:      newCollection(),
		stations:       newCollection(),
		customers:      newCollection(),
		addresses:      newCollection(),
		orders:         newCollection(),
		orderLines:     newCollection(),
		payments:       newCollection(),
		invoices:       newCollection(),
		invoiceLines:   newCollection(),
		tickets:        newCollection(),
		ticketLines:    newCollection(),
		paymentTypes:   newCollection(),
		webhooks:       newCollection(),
		adjSets:        newCollection(),
		adjLines:       newCollection(),
		adjReasons:     newCollection(),
		invTx:          newCollection(),
		onHand:         map[position]decimal.Decimal{},
		committed:      map[position]decimal.Decimal{},
		faults:         map[string]*faultState{},
		rng:            rand.New(rand.NewPCG(1, 2)),
		hookClient:     &http.Client{Timeout: 10 * time.Second},
		pageLimit:      pageLimit{max: DefaultMaxPerPage},
		paymentClasses: map[string]bool{"CustomPayment": true},
		cancelStatus:   "canceled",
		closeStatus:    "closed",
	}
	for _, o := range opts {
		o(s)
	}
	s.adjReasons.insert(doc{"name": "Correction", "description": "Stock correction"})
	s.adjReasons.insert(doc{"name": "Received", "description": "Stock received"})
	for _, seed := range s.seed {
		seed(s)
	}
	return s
}

// NewServer starts a fake account on a random loopback port.
func NewServer(opts ...Option) *Server {
	s := newServer(opts)
	s.ts = httptest.NewServer(s.Handler())
	s.setURLs()
	return s
}

// Listen starts a fake account on addr (e.g. "127.0.0.1:7081") for the dev
// sandbox, so other processes can reach a stable URL.
func Listen(addr string, opts ...Option) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer(opts)
	s.ts = httptest.NewUnstartedServer(s.Handler())
	_ = s.ts.Listener.Close()
	s.ts.Listener = l
	s.ts.Start()
	s.setURLs()
	return s, nil
}

func (s *Server) setURLs() {
	s.RootURL = s.ts.URL
	s.URL = s.ts.URL + "/api/"
}

// Close stops serving and waits for in-flight webhook deliveries.
func (s *Server) Close() {
	s.ts.Close()
	s.hookWG.Wait()
}

// Handler returns the fake's HTTP handler (API under /api/, control under
// /__fake/), for mounting it in another server.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := func(pattern string, h func(http.ResponseWriter, *http.Request) error) {
		method, p, _ := strings.Cut(pattern, " ")
		mux.Handle(method+" /api"+p, s.apiHandler(pattern, h))
	}
	api("GET /items", s.listItems)
	api("POST /items", s.createItem)
	api("GET /items/{id}", s.getItem)
	api("PUT /items/{id}", s.updateItem)
	api("GET /custom_fields", s.listCustomFields)
	api("POST /custom_fields", s.createCustomField)
	api("GET /custom_fields/{id}", s.getCustomField)
	api("PUT /custom_fields/{id}", s.updateCustomField)
	api("GET /locations", s.listLocations)
	api("GET /locations/{id}", s.getLocation)
	api("GET /inventory/values", s.inventoryValues)
	api("GET /inventory/transactions", s.inventoryTransactions)
	api("GET /reason_codes/inventory_adjustment_reasons", s.listReasons)
	api("POST /inventory/adjustment_sets", s.createAdjSet)
	api("GET /inventory/adjustment_sets/{id}", s.getAdjSet)
	api("PUT /inventory/adjustment_sets/{id}", s.updateAdjSet)
	api("GET /inventory/adjustment_sets/{id}/lines", s.listAdjLines)
	api("POST /inventory/adjustment_sets/{id}/lines", s.createAdjLine)
	api("GET /inventory/adjustment_sets/{id}/lines/{line}", s.getAdjLine)
	api("GET /customers", s.listCustomers)
	api("POST /customers", s.createCustomer)
	api("GET /customers/{id}", s.getCustomer)
	api("PUT /customers/{id}", s.updateCustomer)
	api("GET /customers/{id}/addresses", s.listAddresses)
	api("POST /customers/{id}/addresses", s.createAddress)
	api("GET /customers/{id}/addresses/{address}", s.getAddress)
	api("GET /sales/orders", s.listOrders)
	api("POST /sales/orders", s.createOrder)
	api("GET /sales/orders/{id}", s.getOrder)
	api("PUT /sales/orders/{id}", s.updateOrder)
	api("GET /sales/orders/{id}/lines", s.listOrderLines)
	api("POST /sales/orders/{id}/lines", s.createOrderLine)
	api("GET /sales/orders/{id}/lines/{line}", s.getOrderLine)
	api("PUT /sales/orders/{id}/lines/{line}", s.updateOrderLine)
	api("GET /sales/orders/{id}/payments", s.listPayments)
	api("POST /sales/orders/{id}/payments", s.createPayment)
	api("GET /sales/orders/{id}/payments/{payment}", s.getPayment)
	api("GET /sales/invoices", s.listInvoices)
	api("POST /sales/invoices", s.createInvoice)
	api("GET /sales/invoices/{id}", s.getInvoice)
	api("PUT /sales/invoices/{id}", s.updateInvoice)
	api("GET /sales/invoices/{id}/lines", s.listInvoiceLines)
	api("POST /sales/invoices/{id}/lines", s.createInvoiceLine)
	api("GET /sales/invoices/{id}/lines/{line}", s.getInvoiceLine)
	api("GET /sales/tickets", s.listTickets)
	api("GET /sales/tickets/{id}", s.getTicket)
	api("GET /sales/tickets/{id}/lines", s.listTicketLines)
	api("GET /payment_types", s.listPaymentTypes)
	api("POST /payment_types", s.createPaymentType)
	api("GET /payment_types/{id}", s.getPaymentType)
	api("GET /webhooks", s.listWebhooks)
	api("POST /webhooks", s.createWebhook)
	api("GET /webhooks/{id}", s.getWebhook)
	api("DELETE /webhooks/{id}", s.deleteWebhook)
	api("GET /{path...}", func(http.ResponseWriter, *http.Request) error { return errNotFound("Route") })
	s.controlRoutes(mux)
	return mux
}

// apiHandler wraps a route with auth, fault injection and the state lock.
func (s *Server) apiHandler(route string, h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+s.Token {
			writeError(w, &apiError{status: http.StatusUnauthorized, code: "unauthorized", message: "Invalid or missing API token"})
			return
		}
		// Heartland's Date and its records' stamps come from one clock.
		w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
		s.callMu.Lock()
		if s.calls == nil {
			s.calls = map[string]int{}
		}
		s.calls[route]++
		s.callMu.Unlock()
		if s.applyFault(w, r, route) {
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), pageLimitKey{}, s.pageLimit))
		s.mu.Lock()
		err := h(w, r)
		s.mu.Unlock()
		if err != nil {
			writeError(w, err)
		}
	})
}

// created answers a create: 201, Location, and an empty body unless
// WithCreateBodies is set.
func (s *Server) created(w http.ResponseWriter, r *http.Request, path string, d doc) error {
	w.Header().Set("Location", "http://"+r.Host+"/api/"+path)
	if s.createBodies {
		writeJSON(w, http.StatusCreated, wire(d))
		return nil
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// timestamp prints t like Heartland: ISO-8601 with a numeric offset.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-07:00") }

func (s *Server) stamp() string { return timestamp(s.now()) }

// Calls says how many authorised requests the fake has had on a route, as
// it is registered ("GET /sales/orders", "PUT /sales/orders/{id}"), faults
// included: a test waits on it for a poller's next round.
func (s *Server) Calls(route string) int {
	s.callMu.Lock()
	defer s.callMu.Unlock()
	return s.calls[route]
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
