package activities

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/temporal"
)

// CredentialsLoader reads a runtime connection's credentials from where
// they live (its Connection workflow, through a query). It returns nil and
// no error for a connection that has none or does not exist.
type CredentialsLoader func(ctx context.Context, connectionID string) (*Credentials, error)

// Limits of the runtime cache.
const (
	// DefaultCredentialsRecheck is how long a worker uses a runtime
	// connection's clients before asking its workflow whether the
	// credentials moved on (a query; the clients are rebuilt only when the
	// version changed).
	DefaultCredentialsRecheck = 15 * time.Second
	// missingRecheck is how long "no such connection" or "incomplete" is
	// remembered: short, so credentials saved a moment ago are found by
	// the next activity, yet a flood of lookups of unknown IDs costs at
	// most one query a second each.
	missingRecheck = time.Second
	// loadTimeout bounds one credentials query.
	loadTimeout = 10 * time.Second
	// maxRuntimeEntries bounds the cache; beyond it entries without
	// clients are dropped.
	maxRuntimeEntries = 10000
)

// runtimeConnections caches the clients of runtime connections per
// worker: built on first use, kept while the credentials' version stays,
// rebuilt when it moves, dropped when the credentials are deleted. Every
// worker does this on its own, so any number of workers serve a
// connection created after they started.
type runtimeConnections struct {
	load    CredentialsLoader
	build   ClientBuilder
	recheck time.Duration
	now     func() time.Time

	mu      sync.Mutex
	entries map[string]*runtimeEntry
}

// runtimeEntry is one connection's cached clients or refusal.
type runtimeEntry struct {
	mu      sync.Mutex // one load per connection at a time
	clients Clients
	version int
	ok      bool
	err     error // the refusal when !ok
	checked time.Time
}

// UseRuntime makes Get serve connections that are not configured on this
// worker from their Connection workflow's credentials: load reads them,
// build makes the clients, recheck (0: DefaultCredentialsRecheck) is how
// long built clients are used before the version is read again. Call it
// before the worker starts.
func (c *Connections) UseRuntime(load CredentialsLoader, build ClientBuilder, recheck time.Duration) {
	if recheck <= 0 {
		recheck = DefaultCredentialsRecheck
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.runtime = &runtimeConnections{load: load, build: build, recheck: recheck, now: time.Now, entries: map[string]*runtimeEntry{}}
}

// HasRuntime reports whether UseRuntime was called.
func (c *Connections) HasRuntime() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.runtime != nil
}

// entry returns the connection's cache entry, making room when full.
func (r *runtimeConnections) entry(id string) *runtimeEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.entries[id]
	if e == nil {
		if len(r.entries) >= maxRuntimeEntries {
			for k, old := range r.entries {
				if old.mu.TryLock() {
					if !old.ok {
						delete(r.entries, k)
					}
					old.mu.Unlock()
				}
			}
		}
		e = &runtimeEntry{}
		r.entries[id] = e
	}
	return e
}

// get returns the cached clients while fresh, else reads the credentials
// and rebuilds when their version moved.
func (r *runtimeConnections) get(id string) (Clients, error) {
	e := r.entry(id)
	e.mu.Lock()
	defer e.mu.Unlock()
	now := r.now()
	fresh := r.recheck
	if !e.ok {
		fresh = missingRecheck
	}
	if !e.checked.IsZero() && now.Sub(e.checked) < fresh {
		return e.clients, e.err
	}
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	creds, err := r.load(ctx, id)
	if err != nil {
		if e.ok {
			// Temporal is briefly unreachable: the clients built from the
			// last credentials seen are still the best there is.
			return e.clients, nil
		}
		return Clients{}, fmt.Errorf("read credentials of connection %q: %w", id, err)
	}
	e.checked = now
	switch {
	case creds == nil:
		e.set(Clients{}, 0, false, unknownConnection(id), now)
		return Clients{}, e.err
	case !creds.Complete():
		missing := "BigCommerce"
		if creds.BigCommerce != nil {
			missing = "Heartland"
		}
		e.set(Clients{}, 0, false, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("connection %q has no %s credentials yet (enter them on the app page)", id, missing),
			ErrTypeUnknownConnection, nil), now)
		return Clients{}, e.err
	case e.ok && e.version == creds.Version:
		return e.clients, nil
	}
	cl, err := r.build(id, *creds)
	if err != nil {
		e.set(Clients{}, 0, false, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("connection %q: %v", id, err), ErrTypeUnknownConnection, nil), now)
		return Clients{}, e.err
	}
	cl.BigCommerceWebhookSecret = creds.BigCommerceWebhookSecret
	cl.HeartlandWebhookSecret = creds.HeartlandWebhookSecret
	e.set(cl, creds.Version, true, nil, now)
	return cl, nil
}

// set replaces the entry's contents (not its lock, which the caller holds).
func (e *runtimeEntry) set(cl Clients, version int, ok bool, err error, checked time.Time) {
	e.clients, e.version, e.ok, e.err, e.checked = cl, version, ok, err, checked
}
