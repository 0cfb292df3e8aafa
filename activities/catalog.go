package activities

import (
	"context"
	"encoding/json"
	"time"

	"go.temporal.io/sdk/activity"
)

// DefaultCatalogMaxNames bounds the named problems and plans one page or
// run returns, so history stays small whatever the catalog's size.
const DefaultCatalogMaxNames = 200

// Names of the Heartland item custom fields the pull creates when missing.
const (
	// CatalogFieldProductID holds the product id; it links a product's variants.
	CatalogFieldProductID = "BigCommerce Product ID"
	// CatalogFieldBrand holds the product's brand id.
	CatalogFieldBrand = "BigCommerce Brand"
	// CatalogFieldCategories holds the product's category ids, comma-separated.
	CatalogFieldCategories = "BigCommerce Categories"
	// CatalogFieldOptions holds a variant's option values ("Size: M").
	CatalogFieldOptions = "BigCommerce Options"
)

// Catalog are the activities of the catalog workflows: each reads one page
// of one side, writes it to the other and returns counts and a cursor.
type Catalog struct {
	// Connections gives each connection's API clients.
	Connections *Connections
	// PageBudget is how long one pull page writes before it hands the rest
	// of the page to the next activity (0: DefaultCatalogPageBudget).
	PageBudget time.Duration
}

// catalogLog collects a page's counts, problems and plans within MaxNames.
type catalogLog struct {
	res      *CatalogPageResult
	maxNames int
}

func newCatalogLog(res *CatalogPageResult, maxNames int) *catalogLog {
	if maxNames <= 0 {
		maxNames = DefaultCatalogMaxNames
	}
	return &catalogLog{res: res, maxNames: maxNames}
}

func (l *catalogLog) problem(kind, sku, name, reason string) {
	switch kind {
	case CatalogProblemFailed:
		l.res.Counts.Failed++
	case CatalogProblemSkipped:
		l.res.Counts.Skipped++
	}
	if len(l.res.Problems) >= l.maxNames {
		l.res.Dropped++
		return
	}
	l.res.Problems = append(l.res.Problems, CatalogProblem{Kind: kind, SKU: sku, Name: name, Reason: reason})
}

func (l *catalogLog) plan(action, sku, name, detail string) {
	if action == "create" {
		l.res.Counts.Created++
	} else {
		l.res.Counts.Updated++
	}
	if len(l.res.Planned) >= l.maxNames {
		l.res.Dropped++
		return
	}
	l.res.Planned = append(l.res.Planned, CatalogPlanned{Action: action, SKU: sku, Name: name, Detail: detail})
}

// heartbeat records the page's progress so a retried attempt resumes.
func catalogHeartbeat(ctx context.Context, res *CatalogPageResult) {
	if activity.IsActivity(ctx) {
		activity.RecordHeartbeat(ctx, *res)
	}
}

// resumed returns the progress a previous attempt heartbeated, if any.
func catalogResumed(ctx context.Context) (CatalogPageResult, bool) {
	var res CatalogPageResult
	if !activity.IsActivity(ctx) || !activity.HasHeartbeatDetails(ctx) {
		return res, false
	}
	if err := activity.GetHeartbeatDetails(ctx, &res); err != nil {
		return CatalogPageResult{}, false
	}
	return res, true
}

// Catalog record kinds named in problems and plans.
const (
	// CatalogProblemFailed is a record that could not be written.
	CatalogProblemFailed = "failed"
	// CatalogProblemPartial is a record written with a warning (a 207).
	CatalogProblemPartial = "partial"
	// CatalogProblemSkipped is a record left alone for a reason a person
	// may want to know (no SKU, a duplicate SKU).
	CatalogProblemSkipped = "skipped"
)

// CatalogCounts are the tallies of one catalog run or page.
type CatalogCounts struct {
	// Read counts records (items, products, variants) looked at.
	Read int `json:"read"`
	// Created counts records created (or, in a dry run, that would be).
	Created int `json:"created"`
	// Updated counts records updated (or that would be).
	Updated int `json:"updated"`
	// Skipped counts records already linked and unchanged, or left alone.
	Skipped int `json:"skipped"`
	// Failed counts records that could not be written.
	Failed int `json:"failed"`
}

// Add returns the sum of two tallies.
func (c CatalogCounts) Add(o CatalogCounts) CatalogCounts {
	return CatalogCounts{Read: c.Read + o.Read, Created: c.Created + o.Created, Updated: c.Updated + o.Updated,
		Skipped: c.Skipped + o.Skipped, Failed: c.Failed + o.Failed}
}

// CatalogProblem names one record a person should look at, with the reason.
type CatalogProblem struct {
	// Kind is CatalogProblemFailed, CatalogProblemPartial or CatalogProblemSkipped.
	Kind string `json:"kind"`
	// SKU is the record's SKU / Item #, empty when it has none.
	SKU string `json:"sku,omitempty"`
	// Name is the product name or item description.
	Name string `json:"name,omitempty"`
	// Reason says what went wrong.
	Reason string `json:"reason"`
}

// CatalogPlanned is one change of a dry run.
type CatalogPlanned struct {
	// Action is "create" or "update".
	Action string `json:"action"`
	// SKU is the record's SKU (the first one for a product with variants).
	SKU string `json:"sku"`
	// Name is the product name or item description.
	Name string `json:"name"`
	// Detail says what would change (fields, number of variants).
	Detail string `json:"detail,omitempty"`
}

// CatalogPageResult is what a pull or push page did: counts, named
// problems (bounded), and where the next page starts.
type CatalogPageResult struct {
	// Counts tally the page.
	Counts CatalogCounts `json:"counts"`
	// Problems name the records a person should look at (at most MaxNames).
	Problems []CatalogProblem `json:"problems,omitempty"`
	// Planned lists a dry run's changes (at most MaxNames).
	Planned []CatalogPlanned `json:"planned,omitempty"`
	// Dropped counts problems and plans left out of the lists.
	Dropped int `json:"dropped,omitempty"`
	// NextPage is the pull's next page, 0 when done.
	NextPage int `json:"next_page,omitempty"`
	// ResumeAt, when not 0, says the page was cut by the time budget:
	// NextPage is the same page and its first ResumeAt records are done.
	ResumeAt int `json:"resume_at,omitempty"`
	// TotalPages is the pull's page count as BigCommerce reported it.
	TotalPages int `json:"total_pages,omitempty"`
	// Total is the number of records to go through, when known.
	Total int `json:"total,omitempty"`
	// NextAfterID is where the next keyset page starts (Keyset pulls).
	NextAfterID int `json:"next_after_id,omitempty"`
	// Cursor is the push's position in the Heartland item walk.
	Cursor json.RawMessage `json:"cursor,omitempty"`
	// Done is set on the last page.
	Done bool `json:"done"`
	// NewestCreated is the newest date_created among the products read.
	NewestCreated time.Time `json:"newest_created,omitzero"`
	// Position is how many units of the page are done (heartbeat state).
	Position int `json:"position,omitempty"`
	// LinkedItemIDs are the Heartland items the page linked to a new
	// BigCommerce record (pushed) or created from one (pulled): their web
	// stock is to be written at once, not at their next movement.
	LinkedItemIDs []int64 `json:"linked_item_ids,omitempty"`
}
