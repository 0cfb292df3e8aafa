package activities

import (
	"encoding/json"
	"time"
)

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

// CatalogFieldKeys are the keys of the Heartland item custom fields that
// hold BigCommerce data, as the server generated them.
type CatalogFieldKeys struct {
	// ProductID holds the BigCommerce product id; variants of one product
	// share it, which is how they are linked in Heartland.
	ProductID string `json:"product_id"`
	// Brand holds the BigCommerce brand id.
	Brand string `json:"brand"`
	// Categories holds the BigCommerce category ids, comma-separated.
	Categories string `json:"categories"`
	// Options holds a variant's option values ("Size: M, Colour: Red").
	Options string `json:"options"`
	// Required are the other required item custom fields (key → name):
	// each created item must carry a value for them.
	Required map[string]string `json:"required,omitempty"`
}

// CatalogFieldsRequest asks for the pull's custom fields.
type CatalogFieldsRequest struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// DryRun reads the fields and creates none (missing keys stay empty).
	DryRun bool `json:"dry_run,omitempty"`
}

// PullPageRequest asks PullProductsPage for one page of BigCommerce products.
type PullPageRequest struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Page is the 1-based page of products to read; with Keyset it only
	// counts the pages (for the totals).
	Page int `json:"page"`
	// Keyset reads the products after AfterID in id order instead of page
	// Page, so a product deleted meanwhile cannot shift one past the pull.
	Keyset bool `json:"keyset,omitempty"`
	// AfterID is the last product id of the pages done (Keyset).
	AfterID int `json:"after_id,omitempty"`
	// Resume is how many records (items) of Page an earlier activity went
	// through before its time budget ran out (its ResumeAt); they are not
	// looked at again.
	Resume int `json:"resume,omitempty"`
	// PageSize is the products per page (default and max 250).
	PageSize int `json:"page_size,omitempty"`
	// ProductIDs, when set, narrow the read to these products (the follow
	// workflow's webhook path).
	ProductIDs []int `json:"product_ids,omitempty"`
	// CreatedSince, when set, narrows the read to products created at or
	// after it (the follow workflow's sweep).
	CreatedSince time.Time `json:"created_since,omitzero"`
	// Fields are the custom-field keys EnsureCatalogCustomFields returned.
	Fields CatalogFieldKeys `json:"fields"`
	// Defaults fill required Heartland custom fields the pull has no value
	// for, keyed by field name or key.
	Defaults map[string]string `json:"defaults,omitempty"`
	// DryRun writes nothing and lists what would be created.
	DryRun bool `json:"dry_run,omitempty"`
	// MaxNames bounds the problems and plans returned.
	MaxNames int `json:"max_names,omitempty"`
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
}

// PushPageRequest asks PushItemsPage for one page of Heartland items.
type PushPageRequest struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Cursor is the walk position returned by the previous page (nil: start).
	Cursor json.RawMessage `json:"cursor,omitempty"`
	// PageSize is the items per page (default 100).
	PageSize int `json:"page_size,omitempty"`
	// Filter is an extra Heartland item filter (a JSON object as _filter
	// takes it), ANDed with active = true.
	Filter json.RawMessage `json:"filter,omitempty"`
	// Update also updates name, price, weight and visibility of products
	// already linked; otherwise the push only creates.
	Update bool `json:"update,omitempty"`
	// DryRun writes nothing and lists what would change.
	DryRun bool `json:"dry_run,omitempty"`
	// MaxNames bounds the problems and plans returned.
	MaxNames int `json:"max_names,omitempty"`
}

// CatalogLinksRequest asks CatalogLinks for the SKU links of a connection.
type CatalogLinksRequest struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// MaxNames bounds each list of SKUs (default 200).
	MaxNames int `json:"max_names,omitempty"`
}

// CatalogLinksReport says which SKUs are linked (Heartland Item # equals a
// BigCommerce product or variant SKU) and which are on one side only.
type CatalogLinksReport struct {
	// Linked counts SKUs present once on both sides.
	Linked int `json:"linked"`
	// HeartlandOnlyCount and BigCommerceOnlyCount count one-sided SKUs.
	HeartlandOnlyCount   int `json:"heartland_only_count"`
	BigCommerceOnlyCount int `json:"bigcommerce_only_count"`
	// HeartlandOnly and BigCommerceOnly list one-sided SKUs (bounded).
	HeartlandOnly   []string `json:"heartland_only,omitempty"`
	BigCommerceOnly []string `json:"bigcommerce_only,omitempty"`
	// LinkedSKUs lists linked SKUs (bounded).
	LinkedSKUs []string `json:"linked_skus,omitempty"`
	// Problems are duplicates and blank SKUs, never guessed at (bounded).
	Problems []CatalogProblem `json:"problems,omitempty"`
	// ProblemCount counts all problems.
	ProblemCount int `json:"problem_count"`
}
