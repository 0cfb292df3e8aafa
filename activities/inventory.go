package activities

import (
	"log/slog"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hrbc/hrbc/activities/heartland"
)

// Inventory holds the activities of the inventory sync: Heartland is the
// master of quantities and BigCommerce shows, for every linked SKU (Heartland
// Item # == BigCommerce product or variant SKU), the sum of Heartland's
// available quantity over the contributing locations.
//
// Per-SKU mappings (Heartland item id -> Item #, BigCommerce SKU -> product
// or variant and its tracking mode, BigCommerce levels) live in this
// struct's memory, keyed by connection, and are rebuilt from the APIs when
// missing: they never travel through workflow history. Register one
// *Inventory per worker.
type Inventory struct {
	// Connections gives each connection's API clients.
	Connections *Connections
	// Logger receives one line per pass chunk and write; nil discards.
	Logger *slog.Logger
	// IndexMaxAge is how old a BigCommerce SKU index the incremental path
	// trusts before an unknown SKU triggers a rebuild (default 1 minute).
	IndexMaxAge time.Duration
	// ObserveLag, when set, learns for each item a round wrote how long
	// ago its oldest new Heartland movement was made (Heartland's
	// created_at against this worker's clock): the inventory lag metric.
	ObserveLag func(connectionID string, lag time.Duration)

	mu    sync.Mutex
	conns map[string]*inventoryMemory
}

// InventoryScope says which Heartland quantities count and where they go.
type InventoryScope struct {
	// AllLocations makes every Heartland location contribute.
	AllLocations bool `json:"all_locations"`
	// LocationIDs are the contributing Heartland locations otherwise.
	LocationIDs []int64 `json:"location_ids,omitempty"`
	// SafetyBuffer units are held back per SKU (never shown on BigCommerce).
	SafetyBuffer int `json:"safety_buffer,omitempty"`
	// BigCommerceLocationID receives the quantities; 0 is the store's
	// default inventory location (the one the storefront sells from).
	BigCommerceLocationID int `json:"bigcommerce_location_id,omitempty"`
}

// Contributes reports whether a Heartland location's stock counts.
func (s InventoryScope) Contributes(locationID int64) bool {
	return s.AllLocations || slices.Contains(s.LocationIDs, locationID)
}

// maxStock is the largest level the Inventory API accepts per location.
const maxStock = math.MaxInt32

// Quantity turns a Heartland available sum into the level BigCommerce
// shows: fractions are rounded down, the safety buffer is held back, and the
// result is floored at zero (and capped at the API's maximum), so rounding
// can never oversell.
func (s InventoryScope) Quantity(available decimal.Decimal) int {
	q := available.Floor()
	if q.GreaterThan(decimal.NewFromInt(maxStock)) {
		q = decimal.NewFromInt(maxStock)
	}
	n := q.IntPart() - int64(max(s.SafetyBuffer, 0))
	if n < 0 {
		return 0
	}
	return int(n)
}

// inventoryMemory is what the activities remember about one connection.
type inventoryMemory struct {
	// mu serializes the inventory activities of one connection in this
	// worker, so two writes never race for the same SKU.
	mu sync.Mutex
	// snap is the BigCommerce SKU index with levels, nil until built.
	snap *bcSnapshot
	// items maps Heartland item ids to what the sync needs of them.
	items map[int64]hlItem
	// defaultLocation is the store's default location as looked up at
	// defaultLocationAt (0: not yet).
	defaultLocation   int
	defaultLocationAt time.Time
	// absent are SKUs BigCommerce was found not to have, and when.
	absent map[string]time.Time
	// plans are the levels a dry run worked out, by the cursor its chunks
	// started at, for the pass planPass that follows it.
	plans    map[int64]plannedChunk
	planPass string
	// recent are the levels this worker wrote lately, by key: BigCommerce
	// applies inventory adjustments asynchronously, so a snapshot read
	// right after a write may not show it yet (see overlayRecent).
	recent map[bcKey]recentWrite
	// warming is set while warmIndex reads the SKU index in the background.
	warming atomic.Bool
}

// plannedChunk is what a dry run's chunk would write.
type plannedChunk struct {
	result InventoryPassResult
	rows   pendingWrite
	at     time.Time
	// snap is the snapshot the dry run compared with (and marked the
	// matched SKUs in): a plan is used only with that same snapshot.
	snap *bcSnapshot
}

// planMaxAge is how old a dry run's levels may be for the pass to write
// them unread; older ones are worked out again from Heartland. Levels that
// moved meanwhile are corrected by the movements read after the pass (its
// watermark goes back to before the dry run).
const planMaxAge = 5 * time.Minute

// keepPlan remembers a dry run's chunk; plans of other passes are dropped.
// Caller holds m.mu.
func (m *inventoryMemory) keepPlan(passID string, cursor int64, res InventoryPassResult, rows pendingWrite, snap *bcSnapshot) {
	if m.planPass != passID || m.plans == nil {
		m.plans, m.planPass = map[int64]plannedChunk{}, passID
	}
	res.Blast = nil
	m.plans[cursor] = plannedChunk{result: res, rows: rows, at: time.Now(), snap: snap}
}

// takePlan hands over (and forgets) the plan of a pass's chunk, if it is
// fresh. Caller holds m.mu.
func (m *inventoryMemory) takePlan(passID string, cursor int64, snap *bcSnapshot) (plannedChunk, bool) {
	if m.planPass != passID {
		return plannedChunk{}, false
	}
	p, ok := m.plans[cursor]
	delete(m.plans, cursor)
	if !ok || p.snap != snap || time.Since(p.at) > planMaxAge {
		return plannedChunk{}, false
	}
	return p, true
}

// hlItem is what the sync remembers of a Heartland item.
type hlItem struct {
	// sku is the Item # (public_id), matched against BigCommerce SKUs.
	sku string
	// stockless is set for items that do not track inventory (services,
	// gift cards): their BigCommerce level is left alone.
	stockless bool
}

// remember records an item read from Heartland.
func (m *inventoryMemory) remember(it heartland.Item) hlItem {
	h := hlItem{sku: it.PublicID, stockless: !it.TrackInventory}
	m.items[it.ID] = h
	return h
}

// memory returns (creating) the memory of a connection.
func (a *Inventory) memory(connectionID string) *inventoryMemory {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conns == nil {
		a.conns = map[string]*inventoryMemory{}
	}
	m, ok := a.conns[connectionID]
	if !ok {
		m = &inventoryMemory{items: map[int64]hlItem{}}
		a.conns[connectionID] = m
	}
	return m
}

func (a *Inventory) logger() *slog.Logger {
	if a.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.Logger
}

func (a *Inventory) indexMaxAge() time.Duration {
	if a.IndexMaxAge <= 0 {
		return time.Minute
	}
	return a.IndexMaxAge
}

// sampleLimit bounds the SKU samples activities return: enough for a person
// to act on, small enough for workflow history.
const sampleLimit = 50

// addSample appends s to list unless the list is full.
func addSample(list []string, s string) []string {
	if len(list) >= sampleLimit || s == "" {
		return list
	}
	return append(list, s)
}
