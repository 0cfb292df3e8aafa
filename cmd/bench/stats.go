package main

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
	"github.com/hrbc/hrbc/worker/config"
)

// Latencies summarises a set of measured durations.
type Latencies struct {
	// Count is the number of samples.
	Count int `json:"count"`
	// P50, P95 and P99 are nearest-rank percentiles.
	P50 time.Duration `json:"p50_ns"`
	P95 time.Duration `json:"p95_ns"`
	P99 time.Duration `json:"p99_ns"`
	// Max is the slowest sample.
	Max time.Duration `json:"max_ns"`
}

// Summarise computes the percentiles of samples (which it does not modify).
func Summarise(samples []time.Duration) Latencies {
	if len(samples) == 0 {
		return Latencies{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	return Latencies{
		Count: len(s),
		P50:   Percentile(s, 50),
		P95:   Percentile(s, 95),
		P99:   Percentile(s, 99),
		Max:   s[len(s)-1],
	}
}

// Percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted
// samples: the smallest sample such that at least p% of the samples are at
// or below it. It returns 0 for no samples.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// ceilDiv is ⌈a/b⌉ for a >= 0, b > 0.
func ceilDiv(a, b int) int {
	if a <= 0 {
		return 0
	}
	return (a + b - 1) / b
}

// Page sizes the minimum-call arithmetic assumes: the largest page each
// API serves and the largest inventory adjustment BigCommerce accepts.
const (
	heartlandMaxPage       = heartlandtest.DefaultMaxPerPage
	bigCommerceItemsPage   = 1000
	bigCommerceProductPage = 250
	bigCommerceAdjustBatch = 2000
)

// InventoryMinimum is the fewest API calls a full inventory sync of skus
// simple products over locations Heartland locations can make when changed
// of them differ on the store: read the Heartland items and their
// per-location values, read the store's catalog and its inventory items,
// and write the changed rows in batches of 2000. The catalog pages are
// needed because an absolute adjustment must name a product-tracked SKU by
// product id and a variant-tracked one by variant, and only the catalog says
// which is which (inventory items carry no tracking mode).
type InventoryMinimum struct {
	HeartlandReads   int `json:"heartland_reads"`
	BigCommerceReads int `json:"bigcommerce_reads"`
	Writes           int `json:"writes"`
}

// Total is the sum of the parts.
func (m InventoryMinimum) Total() int { return m.HeartlandReads + m.BigCommerceReads + m.Writes }

// MinInventoryCalls computes InventoryMinimum.
func MinInventoryCalls(skus, locations, changed int) InventoryMinimum {
	return InventoryMinimum{
		HeartlandReads:   ceilDiv(skus, heartlandMaxPage) + ceilDiv(skus*locations, heartlandMaxPage),
		BigCommerceReads: ceilDiv(skus, bigCommerceProductPage) + ceilDiv(skus, bigCommerceItemsPage),
		Writes:           ceilDiv(changed, bigCommerceAdjustBatch),
	}
}

// CatalogMinimum is the fewest API calls a catalog pull of products, each
// with variants variants (0 for a simple product), can make: read the
// products with their variants in pages of 250, and create one Heartland
// item per sellable SKU (Heartland has no batch create).
type CatalogMinimum struct {
	BigCommerceReads int `json:"bigcommerce_reads"`
	HeartlandWrites  int `json:"heartland_writes"`
}

// Total is the sum of the parts.
func (m CatalogMinimum) Total() int { return m.BigCommerceReads + m.HeartlandWrites }

// MinCatalogCalls computes CatalogMinimum.
func MinCatalogCalls(products, variants int) CatalogMinimum {
	perProduct := max(variants, 1)
	return CatalogMinimum{
		BigCommerceReads: ceilDiv(products, bigCommerceProductPage),
		HeartlandWrites:  products * perProduct,
	}
}

// QuotaForcedTime is the shortest wall time a fixed-window quota of quota
// requests per window allows for calls requests: every full window beyond
// the first must be waited out.
func QuotaForcedTime(calls, quota int, window time.Duration) time.Duration {
	if calls <= quota || quota <= 0 {
		return 0
	}
	return time.Duration((calls-1)/quota) * window
}

// Ratio is a/b, or 0 when b is 0.
func Ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// defaultHeartlandRPS is the Heartland client's default pacing.
const defaultHeartlandRPS = 5

// PacingAllowance is the most calls an account paced at rps requests per
// second with a burst of burst (0s: the defaults, as PacingForcedTime) may
// see within window from workers workers: they share the rate, and each
// may spend a whole burst; -1 when unpaced.
func PacingAllowance(window time.Duration, rps float64, burst, workers int) int {
	if rps == 0 {
		rps = defaultHeartlandRPS
	}
	if rps < 0 {
		return -1
	}
	return max(workers, 1)*max(cmp.Or(burst, config.DefaultHeartlandBurst), 1) + int(rps*window.Seconds())
}

// PacingForcedTime is the shortest wall time a client paced at rps
// requests per second with a burst of burst calls (rps 0 means the
// default of 5, negative none; burst 0 the default of 10) needs for calls
// requests: the burst goes at once, the rest one every 1/rps.
func PacingForcedTime(calls int, rps float64, burst int) time.Duration {
	if rps == 0 {
		rps = defaultHeartlandRPS
	}
	burst = max(cmp.Or(burst, config.DefaultHeartlandBurst), 1)
	if rps < 0 || calls <= burst {
		return 0
	}
	return time.Duration(float64(calls-burst) / rps * float64(time.Second))
}
