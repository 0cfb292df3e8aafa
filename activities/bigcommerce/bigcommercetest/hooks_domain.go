package bigcommercetest

import (
	"net/url"
	"sort"
	"sync"
	"time"
)

// BigCommerce judges a webhook destination by its domain, for all of an
// app's stores at once: over a sliding two-minute window, once the domain
// has taken at least 100 deliveries and answered fewer than 90 % of them
// with a 2xx, it is denylisted for three minutes. Events due meanwhile are
// not sent; they go to their retry schedule as failed attempts.

// The thresholds BigCommerce documents.
const (
	domainWindow      = 2 * time.Minute
	domainMinRequests = 100
	domainMinSuccess  = 0.9
)

// DomainBlock is how long BigCommerce denylists a domain.
const DomainBlock = 3 * time.Minute

// DomainGuard keeps BigCommerce's per-domain judgement of webhook
// destinations. One guard shared by several fake stores (WithDomainGuard)
// models one app's stores delivering to one domain, as a fleet of hrbc
// connections does; each Server otherwise has its own.
type DomainGuard struct {
	block time.Duration
	now   func() time.Time

	mu      sync.Mutex
	domains map[string]*domainRecord
}

// domainRecord is one destination domain's recent deliveries and blocks.
type domainRecord struct {
	attempts     []domainAttempt // within the window, oldest first
	good         int             // attempts that got a 2xx
	blockedUntil time.Time
	stats        DomainStats
}

// domainAttempt is one delivery sent to a domain and whether it got a 2xx.
type domainAttempt struct {
	at time.Time
	ok bool
}

// DomainStats is what a guard saw of one destination domain.
type DomainStats struct {
	// Domain is the destination's host name (ports do not tell domains
	// apart).
	Domain string
	// Sent and Failed count the deliveries sent and those not answered 2xx.
	Sent, Failed int
	// Blocks counts the times the domain was denylisted; Withheld counts
	// the deliveries not sent because it was.
	Blocks, Withheld int
	// WorstRatio is the lowest success ratio of a window that held at
	// least the minimum of deliveries (1 when none did).
	WorstRatio float64
}

// NewDomainGuard returns a guard that denylists a domain for block (three
// minutes at BigCommerce) over the documented window and thresholds.
func NewDomainGuard(block time.Duration) *DomainGuard {
	return &DomainGuard{block: block, now: time.Now, domains: map[string]*domainRecord{}}
}

// domainOf is the host name of a destination URL.
func domainOf(destination string) string {
	u, err := url.Parse(destination)
	if err != nil {
		return destination
	}
	return u.Hostname()
}

// record returns the domain's record, made on first use. Caller holds mu.
func (g *DomainGuard) record(domain string) *domainRecord {
	r, ok := g.domains[domain]
	if !ok {
		r = &domainRecord{stats: DomainStats{Domain: domain, WorstRatio: 1}}
		g.domains[domain] = r
	}
	return r
}

// allow reports whether a delivery to destination may be sent now; one
// that may not is counted as withheld.
func (g *DomainGuard) allow(destination string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.record(domainOf(destination))
	if g.now().Before(r.blockedUntil) {
		r.stats.Withheld++
		return false
	}
	return true
}

// sent records a delivery's answer and denylists the domain when its
// window has enough deliveries and too few of them succeeded.
func (g *DomainGuard) sent(destination string, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	r := g.record(domainOf(destination))
	r.stats.Sent++
	if !ok {
		r.stats.Failed++
	}
	r.attempts = append(r.attempts, domainAttempt{at: now, ok: ok})
	if ok {
		r.good++
	}
	drop := sort.Search(len(r.attempts), func(i int) bool { return now.Sub(r.attempts[i].at) < domainWindow })
	for _, a := range r.attempts[:drop] {
		if a.ok {
			r.good--
		}
	}
	r.attempts = r.attempts[drop:]
	if len(r.attempts) < domainMinRequests {
		return
	}
	ratio := float64(r.good) / float64(len(r.attempts))
	r.stats.WorstRatio = min(r.stats.WorstRatio, ratio)
	if ratio < domainMinSuccess && !now.Before(r.blockedUntil) {
		r.blockedUntil = now.Add(g.block)
		r.stats.Blocks++
		// The judgement starts afresh after the block.
		r.attempts, r.good = nil, 0
	}
}

// Stats returns what the guard saw, by domain name.
func (g *DomainGuard) Stats() []DomainStats {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]DomainStats, 0, len(g.domains))
	for _, r := range g.domains {
		out = append(out, r.stats)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Domain < out[j].Domain })
	return out
}

// DomainGuard returns the guard judging the store's webhook destinations.
func (s *Server) DomainGuard() *DomainGuard { return s.cfg.domains }
