package activities

import (
	"fmt"
	"sort"
	"sync"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// ErrTypeUnknownConnection marks an activity asked about a connection this
// worker has no credentials for.
const ErrTypeUnknownConnection = "UnknownConnection"

// Clients are the two API clients of one connection.
type Clients struct {
	// BigCommerce talks to the connection's store.
	BigCommerce *bigcommerce.Client
	// Heartland talks to the connection's account.
	Heartland *heartland.Client
	// BigCommerceWebhookSecret is what the store's webhooks carry (in a
	// header hrbc registers with each hook); it stays in the worker's
	// memory and in the store's hook registrations.
	BigCommerceWebhookSecret string
	// HeartlandWebhookSecret is what Heartland's webhooks carry (in the
	// registered URL's query, which Heartland stores and shows in clear),
	// so it is another secret than the store's: one leaked from Heartland
	// does not open the door to forged store events.
	HeartlandWebhookSecret string
}

// Connections maps connection IDs to their API clients. Credentials live
// here, in the worker's memory, never in workflow inputs or history.
type Connections struct {
	mu      sync.RWMutex
	clients map[string]Clients
	// runtime, when set, serves connections created at runtime (by the
	// app install): see UseRuntime.
	runtime *runtimeConnections
}

// NewConnections returns an empty registry.
func NewConnections() *Connections {
	return &Connections{clients: map[string]Clients{}}
}

// Add registers (or replaces) a connection's clients.
func (c *Connections) Add(connectionID string, clients Clients) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clients[connectionID] = clients
}

// IDs returns the registered connection IDs, sorted.
func (c *Connections) IDs() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ids := make([]string, 0, len(c.clients))
	for id := range c.clients {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Get returns a connection's clients: those of a configured connection,
// else (with UseRuntime) those built from the credentials its Connection
// workflow holds. An unknown connection is a non-retryable error:
// retrying cannot conjure credentials.
func (c *Connections) Get(connectionID string) (Clients, error) {
	c.mu.RLock()
	cl, ok := c.clients[connectionID]
	rt := c.runtime
	c.mu.RUnlock()
	switch {
	case ok:
		return cl, nil
	case rt != nil:
		return rt.get(connectionID)
	}
	return Clients{}, unknownConnection(connectionID)
}

// unknownConnection is Get's error for a connection nobody holds
// credentials for.
func unknownConnection(connectionID string) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("no credentials for connection %q on this worker (set HRBC_CONNECTION_<n>_*, or install the BigCommerce app)", connectionID),
		ErrTypeUnknownConnection, nil)
}

// ConnectionRequest names a connection.
type ConnectionRequest struct {
	ConnectionID string `json:"connection_id"`
}

// withClients runs an activity's work with the clients of its connection.
// It is the one opening every connection-scoped activity shares: an unknown
// connection ends the activity with Get's non-retryable error and the zero
// result, before any call is made.
func withClients[R any](c *Connections, connectionID string, work func(Clients) (R, error)) (R, error) {
	cl, err := c.Get(connectionID)
	if err != nil {
		var zero R
		return zero, err
	}
	return work(cl)
}

// withClientsDo is withClients for activities that return only an error.
func withClientsDo(c *Connections, connectionID string, work func(Clients) error) error {
	_, err := withClients(c, connectionID, func(cl Clients) (struct{}, error) { return struct{}{}, work(cl) })
	return err
}
