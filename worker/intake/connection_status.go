package intake

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/hrbc/hrbc/workflows"
)

// defaultStatusTTL is how long an order-sync-on status is remembered; see
// connectionStatuses for why a couple of seconds is safe.
const defaultStatusTTL = 2 * time.Second

// defaultStatusBound is how many remembered statuses the intake keeps
// before it drops the expired ones (and, when none has expired, stops
// remembering new ones until some do). A fleet has hundreds of
// connections; the bound only stops a misbehaving caller from growing the
// map without end.
const defaultStatusBound = 4096

// connectionStatuses answers the BigCommerce webhook's one question — what
// are this connection's settings, is order sync on? — without a read per
// delivery. The read was once a query of the Connection workflow, which
// needs a workflow task on a worker: at fleet scale (100 stores, 25
// webhooks/s) one per delivery starved the workers and answered thousands
// of deliveries 503. It is now a describe of that workflow's memo, which
// the server answers alone (starter.Client.ConnectionSettings), and still
// a round trip to it. Two things cut the reads down:
//
//   - Deliveries of one connection that arrive while its query runs share
//     that query (singleflight) instead of each asking again.
//   - A status whose settings have order sync on is remembered for ttl.
//
// Only order-sync-on statuses are remembered. "Unconfigured", "order sync
// off" and errors are asked afresh every time: a merchant (or a test)
// configures a connection and at once sends an order, and a remembered
// "off" would answer that delivery 204 — BigCommerce never sends it
// again, and the order would wait for the sweep. For the same reason a
// delivery that shared a query which began before it arrived, and was told
// "off", asks once more: the configure may have landed between the two.
//
// Why remembering "on" for ~2 s is acceptable. The settings the intake
// passes to OrderChanged matter only when they start an order's workflow
// (signal-with-start ignores them for a running one), and an order keeps
// the settings it started with for its life: receiveSettings takes only
// the auto-distribute location later, and refreshSettings (a retry in
// attention) re-reads the connection itself. So a stale "on" can do one
// thing: start an order that arrives within ttl of a configure with the
// settings before it (order sync still on, the old capture mode or source
// location). That window exists without the cache too and is already
// wider than ttl:
//   - BigCommerce delivers webhooks seconds after the order changed, so an
//     order placed just before a configure arrives after it anyway; which
//     settings such an order gets was never decided by the merchant's click.
//   - The order sweep starts orders with its own copy of the settings, which
//     the Connection workflow sends it by signal after the configure: it
//     too starts orders with the old settings until that signal is taken.
//   - Without the cache, a query answered just before the configure and
//     followed by the signal-with-start has the same effect.
//
// A safer design — forgetting a connection's status when it is configured —
// would need the configure to reach every worker: configures come from
// cmd/starter and the app page, often in another process than the intake
// that takes the webhook, so only a short TTL bounds the staleness
// everywhere. ttl is a field so tests can set it (0 remembers nothing).
type connectionStatuses struct {
	// query reads a connection's status from its workflow.
	query func(ctx context.Context, connectionID string) (workflows.ConnectionStatus, error)
	// ttl is how long an order-sync-on status is remembered; 0 disables.
	ttl time.Duration
	// bound caps the remembered statuses (see defaultStatusBound).
	bound int
	// now is the clock entries expire by; tests set a fake one.
	now func() time.Time
	// joined, when set, is called by every caller once it has joined (or
	// begun) a query, so tests can hold a query until all have joined.
	joined func(connectionID string)

	flights singleflight.Group
	// begun counts the queries begun, across connections; a caller
	// compares it to its query's number to tell whether the query was
	// asked after the caller arrived.
	begun atomic.Uint64

	mu         sync.Mutex // guards remembered and lastOn
	remembered map[string]rememberedStatus
	// lastOn holds the connections whose last status read had order sync
	// on, without expiry (up to bound connections): the intake holds a
	// delivery it could not hand over only for such a connection, whose
	// order sweep will find the order if all else fails.
	lastOn map[string]struct{}
}

// rememberedStatus is an order-sync-on status and when it expires.
type rememberedStatus struct {
	status workflows.ConnectionStatus
	until  time.Time
}

// statusAnswer is one query's answer and its number in begun.
type statusAnswer struct {
	status workflows.ConnectionStatus
	number uint64
}

// newConnectionStatuses returns the statuses of query with the defaults.
func newConnectionStatuses(query func(context.Context, string) (workflows.ConnectionStatus, error)) *connectionStatuses {
	return &connectionStatuses{
		query:      query,
		ttl:        defaultStatusTTL,
		bound:      defaultStatusBound,
		now:        time.Now,
		remembered: make(map[string]rememberedStatus),
		lastOn:     make(map[string]struct{}),
	}
}

// ordersSync reports whether a status lets the intake start orders: the
// only kind remembered.
func ordersSync(st workflows.ConnectionStatus) bool {
	return st.Settings != nil && st.Settings.OrderSync
}

// get returns the connection's status: remembered, shared with the
// deliveries asking at the same time, or queried. Call it only for a
// connection whose secret checked out: its id keys the memory. The
// Settings of a remembered status are shared: callers must not change them.
func (c *connectionStatuses) get(ctx context.Context, connectionID string) (workflows.ConnectionStatus, error) {
	if st, ok := c.lookup(connectionID); ok {
		return st, nil
	}
	arrived := c.begun.Load()
	ans, err := c.share(ctx, connectionID)
	if err != nil {
		return workflows.ConnectionStatus{}, err
	}
	if ordersSync(ans.status) || ans.number > arrived {
		return ans.status, nil
	}
	// The shared query was asked before this delivery arrived and said
	// "no orders": a configure may have landed since. Ask again; any query
	// this joins now began after the one above ended, so after arrival.
	ans, err = c.share(ctx, connectionID)
	if err != nil {
		return workflows.ConnectionStatus{}, err
	}
	return ans.status, nil
}

// share joins the connection's query in flight, or begins one. The query
// runs on a context of its own (the values of ctx, not its cancellation,
// bounded by signalTimeout), so a caller that gives up — a delivery whose
// client hung up — does not fail the others sharing it.
func (c *connectionStatuses) share(ctx context.Context, connectionID string) (statusAnswer, error) {
	ch := c.flights.DoChan(connectionID, func() (any, error) {
		number := c.begun.Add(1)
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), signalTimeout)
		defer cancel()
		st, err := c.query(qctx, connectionID)
		if err != nil {
			return nil, fmt.Errorf("query status of connection %q: %w", connectionID, err)
		}
		c.noteLast(connectionID, st)
		if ordersSync(st) {
			c.remember(connectionID, st)
		}
		return statusAnswer{status: st, number: number}, nil
	})
	if c.joined != nil {
		c.joined(connectionID)
	}
	select {
	case r := <-ch:
		if r.Err != nil {
			return statusAnswer{}, r.Err
		}
		return r.Val.(statusAnswer), nil
	case <-ctx.Done():
		return statusAnswer{}, fmt.Errorf("wait for status of connection %q: %w", connectionID, context.Cause(ctx))
	}
}

// lookup returns the remembered status of a connection unless it expired;
// an expired one is dropped.
func (c *connectionStatuses) lookup(connectionID string) (workflows.ConnectionStatus, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.remembered[connectionID]
	if !ok {
		return workflows.ConnectionStatus{}, false
	}
	if !c.now().Before(r.until) {
		delete(c.remembered, connectionID)
		return workflows.ConnectionStatus{}, false
	}
	return r.status, true
}

// remember keeps an order-sync-on status for ttl. When the map is full it
// first drops what expired; when nothing has, the status is not kept (the
// next delivery queries again, as without memory) rather than the map
// growing.
func (c *connectionStatuses) remember(connectionID string, st workflows.ConnectionStatus) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if _, ok := c.remembered[connectionID]; !ok && len(c.remembered) >= c.bound {
		for id, r := range c.remembered {
			if !now.Before(r.until) {
				delete(c.remembered, id)
			}
		}
		if len(c.remembered) >= c.bound {
			return
		}
	}
	c.remembered[connectionID] = rememberedStatus{status: st, until: now.Add(c.ttl)}
}

// noteLast notes that the connection's last read had order sync on, or
// forgets the connection when st has it off.
func (c *connectionStatuses) noteLast(connectionID string, st workflows.ConnectionStatus) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !ordersSync(st) {
		delete(c.lastOn, connectionID)
		return
	}
	if _, ok := c.lastOn[connectionID]; ok || len(c.lastOn) < c.bound {
		c.lastOn[connectionID] = struct{}{}
	}
}

// knownOn reports whether the connection's last status read had order
// sync on, however long ago.
func (c *connectionStatuses) knownOn(connectionID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.lastOn[connectionID]
	return ok
}
