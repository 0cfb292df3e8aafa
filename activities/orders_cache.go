package activities

import (
	"context"
	"sync"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
)

// How long the order activities trust what they cached. Locations and
// their stations change when a merchant opens a store or a register, which
// an order may wait a few minutes to see; the payment type is created once
// and never renamed by hrbc.
const (
	locationsTTL   = 5 * time.Minute
	paymentTypeTTL = time.Hour
)

// ttlCache holds one value per connection for a while, so that a burst of
// orders asks Heartland once instead of once per order. An entry belongs to
// the Heartland client that filled it: a connection given new credentials
// starts afresh. The zero value is ready to use.
type ttlCache[T any] struct {
	mu      sync.Mutex
	entries map[string]*ttlEntry[T]
}

// ttlEntry is one connection's value; its own lock makes concurrent misses
// wait for one fetch instead of each calling the API.
type ttlEntry[T any] struct {
	mu      sync.Mutex
	client  *heartland.Client
	value   T
	expires time.Time
}

// entry returns the connection's entry, creating an empty one.
func (c *ttlCache[T]) entry(connectionID string) *ttlEntry[T] {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*ttlEntry[T]{}
	}
	e, ok := c.entries[connectionID]
	if !ok {
		e = &ttlEntry[T]{}
		c.entries[connectionID] = e
	}
	return e
}

// get returns the cached value of a connection, or fetches and keeps it
// for ttl. A failed fetch keeps nothing.
func (c *ttlCache[T]) get(ctx context.Context, connectionID string, hl *heartland.Client, ttl time.Duration,
	fetch func(context.Context) (T, error)) (T, error) {
	e := c.entry(connectionID)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.client == hl && time.Now().Before(e.expires) {
		return e.value, nil
	}
	v, err := fetch(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	e.client, e.value, e.expires = hl, v, time.Now().Add(ttl)
	return v, nil
}

// forget drops a connection's value, for when Heartland said it is stale.
func (c *ttlCache[T]) forget(connectionID string) {
	e := c.entry(connectionID)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.client, e.expires = nil, time.Time{}
}

// orderCache is what the order activities keep between calls, per
// connection.
type orderCache struct {
	locations    ttlCache[[]heartland.Location]
	paymentTypes ttlCache[int64]
}

// locations lists the connection's Heartland locations with their
// stations, from the cache when it is fresh.
func (a *Orders) locations(ctx context.Context, connectionID string, hl *heartland.Client) ([]heartland.Location, error) {
	locs, err := a.cache.locations.get(ctx, connectionID, hl, locationsTTL, hl.ListLocations)
	if err != nil {
		return nil, heartlandError("list Heartland locations", err)
	}
	return locs, nil
}
