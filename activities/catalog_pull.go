package activities

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// catalogLookupBytes bounds the Item #s of one Heartland $in lookup by their
// URL-encoded length, so a page of 250 products is normally one call while
// the request line stays well under the 8 KB proxies commonly accept.
const catalogLookupBytes = 6000

// catalogLookupOverhead is what quoting and separating one Item # adds to
// the query string (%22…%22%2C).
const catalogLookupOverhead = 9

// DefaultCatalogPageBudget is how long one PullProductsPage writes before it
// hands the rest of its page to the next activity: a page of 250 products
// with many variants at Heartland's pace (5 creates a second) would
// otherwise outlast the start-to-close timeout and be redone from its last
// heartbeat by a retry.
const DefaultCatalogPageBudget = 4 * time.Minute

// pullRecord is one Heartland item a BigCommerce product or variant becomes.
type pullRecord struct {
	sku, name string
	fields    heartland.ItemFields
}

// PullProductsPage reads one page of BigCommerce products (with variants)
// and creates a Heartland item for every product or variant SKU that has
// none yet: Item # = SKU, description, price, cost, weight, and the
// BigCommerce product id, brand, categories and option values in the
// custom fields named by req.Fields. Items that exist are left alone, so a
// re-run creates nothing twice: the page's SKUs are looked up with one $in
// call before any create. A record Heartland rejects is reported and the
// rest continue; a transient failure fails the attempt, which resumes
// after the records already written (heartbeated). Past the page budget
// it returns with ResumeAt set, and the next activity reads the same page
// and goes on from there.
func (a *Catalog) PullProductsPage(ctx context.Context, req PullPageRequest) (CatalogPageResult, error) {
	began := time.Now()
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (CatalogPageResult, error) {
		page := max(req.Page, 1)
		// BigCommerce filters products by modification, not creation: a
		// product created since was modified since too, and the rest of
		// the page is left out below.
		filter := bc.ProductFilter{IDs: req.ProductIDs, DateModifiedMin: req.CreatedSince, IncludeVariants: true, Limit: req.PageSize}
		read := page
		if req.Keyset {
			// Always the first page of what is left after AfterID.
			filter.AfterID, filter.ByID, read = req.AfterID, true, 1
		}
		walk := cl.BigCommerce.WalkProducts(filter, bc.Cursor{Page: read - 1})
		products, err := walk.Next(ctx)
		pg := walk.Pagination()
		if err != nil {
			return CatalogPageResult{}, bigCommerceError(fmt.Sprintf("list BigCommerce products page %d", page), err)
		}
		res, resumed := catalogResumed(ctx)
		if !resumed {
			res = CatalogPageResult{Position: max(req.Resume, 0)}
		}
		// An attempt that heartbeated, or the activity that went through the
		// first part of the page, has reported its products without a SKU.
		reported := resumed || req.Resume > 0
		log := newCatalogLog(&res, req.MaxNames)
		res.TotalPages, res.Total = pg.TotalPages, pg.Total
		res.Done = pg.TotalPages <= read || len(products) == 0
		res.NextPage = 0
		if !res.Done {
			res.NextPage = page + 1
		}
		if req.Keyset {
			// BigCommerce counts what is left after AfterID; every page before
			// was a full one.
			size := bc.MaxPageLimit
			if req.PageSize > 0 {
				size = min(req.PageSize, size)
			}
			res.TotalPages, res.Total = page-1+pg.TotalPages, (page-1)*size+pg.Total
			res.NextAfterID = req.AfterID
			for _, p := range products {
				res.NextAfterID = max(res.NextAfterID, p.ID)
			}
		}
		var recs []pullRecord
		for _, p := range products {
			if p.DateCreated.Before(req.CreatedSince) {
				// Only edited since: the sweep pulls new products.
				continue
			}
			if p.DateCreated.After(res.NewestCreated) {
				res.NewestCreated = p.DateCreated.Time
			}
			r, noSKU := pullRecords(p, req.Fields)
			recs = append(recs, r...)
			if reported {
				continue
			}
			for _, name := range noSKU {
				res.Counts.Read++
				log.problem(CatalogProblemFailed, "", name, fmt.Sprintf("BigCommerce product %d has no SKU: give it one to link it", p.ID))
			}
		}
		start := min(res.Position, len(recs))
		existing, err := catalogExistingIDs(ctx, cl.Heartland, recs[start:])
		if err != nil {
			return CatalogPageResult{}, err
		}
		missing := catalogMissingRequired(req.Fields.Required, req.Defaults)
		budget := a.PageBudget
		if budget <= 0 {
			budget = DefaultCatalogPageBudget
		}
		for i := start; i < len(recs); i++ {
			if i > start && time.Since(began) > budget {
				res.Done, res.NextPage, res.ResumeAt, res.Position = false, page, i, 0
				res.NextAfterID = req.AfterID // the same page again
				return res, nil
			}
			r := recs[i]
			res.Counts.Read++
			switch {
			case existing[r.sku]:
				res.Counts.Skipped++
			case missing != "":
				log.problem(CatalogProblemFailed, r.sku, r.name, missing)
			case req.DryRun:
				log.plan("create", r.sku, r.name, "Heartland item")
			default:
				if err := a.createPulledItem(ctx, cl.Heartland, r, req, log); err != nil {
					return CatalogPageResult{}, err
				}
			}
			res.Position = i + 1
			catalogHeartbeat(ctx, &res)
		}
		res.Position, res.ResumeAt = 0, 0
		return res, nil
	})
}

// createPulledItem creates one item; a rejection is logged, a transient
// failure returned.
func (a *Catalog) createPulledItem(ctx context.Context, hl *heartland.Client, r pullRecord, req PullPageRequest, log *catalogLog) error {
	f := r.fields
	for key, name := range req.Fields.Required {
		if f.Custom == nil {
			f.Custom = map[string]any{}
		}
		if v, ok := req.Defaults[name]; ok {
			f.Custom[key] = v
		} else {
			f.Custom[key] = req.Defaults[key]
		}
	}
	id, err := hl.CreateItem(ctx, f)
	switch {
	case err == nil:
		log.res.Counts.Created++
		log.res.LinkedItemIDs = append(log.res.LinkedItemIDs, id)
	case errors.Is(err, heartland.ErrConflict):
		// Created meanwhile (a retried attempt, the follow workflow).
		log.res.Counts.Skipped++
	case heartland.IsRetryable(err):
		return heartlandError("create Heartland item "+r.sku, err)
	default:
		log.problem(CatalogProblemFailed, r.sku, r.name, "Heartland rejected the item: "+catalogRejection(err))
	}
	return nil
}

// rejection is the API's message of a permanent error, without the path.
func catalogRejection(err error) string {
	var he *heartland.APIError
	if errors.As(err, &he) {
		msg := he.Message
		for field, problems := range he.Details {
			msg += fmt.Sprintf("; %s %s", field, strings.Join(problems, ", "))
		}
		return msg
	}
	if ae, ok := bc.AsAPIError(err); ok {
		msg := ae.Message
		for field, problem := range ae.Fields {
			msg += fmt.Sprintf("; %s: %s", field, problem)
		}
		return msg
	}
	return err.Error()
}

// catalogMissingRequired names the required custom fields without a default, as
// the reason every item of the pull will carry, or "".
func catalogMissingRequired(required, defaults map[string]string) string {
	var names []string
	for key, name := range required {
		if _, ok := defaults[name]; ok {
			continue
		}
		if _, ok := defaults[key]; ok {
			continue
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	return fmt.Sprintf("Heartland requires custom field(s) %s: rerun with --default '%s=VALUE'",
		strings.Join(catalogQuote(names), ", "), names[0])
}

// catalogExistingIDs returns which of the records' SKUs are already Item #s,
// with one $in lookup per catalogLookupBytes of SKUs (normally one a page).
func catalogExistingIDs(ctx context.Context, hl *heartland.Client, recs []pullRecord) (map[string]bool, error) {
	out := map[string]bool{}
	var ids []string
	size := 0
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		items, err := hl.ItemsByPublicIDs(ctx, ids)
		if err != nil {
			return heartlandError(fmt.Sprintf("look up %d Heartland items by Item #", len(ids)), err)
		}
		for _, it := range items {
			out[it.PublicID] = true
		}
		ids, size = ids[:0], 0
		return nil
	}
	for _, r := range recs {
		n := len(url.QueryEscape(r.sku)) + catalogLookupOverhead
		if size+n > catalogLookupBytes {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		ids, size = append(ids, r.sku), size+n
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// pullRecords maps a product to the items it becomes: one for a simple
// product, one per variant for a product with options. Names of records
// without a SKU are returned apart.
func pullRecords(p bc.Product, keys CatalogFieldKeys) (recs []pullRecord, noSKU []string) {
	common := map[string]any{}
	put := func(key, v string) {
		if key != "" && v != "" {
			common[key] = v
		}
	}
	put(keys.ProductID, strconv.Itoa(p.ID))
	if p.BrandID != 0 {
		put(keys.Brand, strconv.Itoa(p.BrandID))
	}
	put(keys.Categories, catalogJoinInts(p.Categories))

	var variants []bc.Variant
	for _, v := range p.Variants {
		if len(v.OptionValues) > 0 {
			variants = append(variants, v)
		}
	}
	if len(variants) == 0 {
		sku := strings.TrimSpace(p.SKU)
		if sku == "" {
			return nil, []string{p.Name}
		}
		return []pullRecord{{sku: sku, name: p.Name, fields: pulledItemFields(sku, p.Name, p.Description, p.IsVisible,
			p.Price.Decimal, p.CostPrice.Decimal, p.Weight.Decimal, common)}}, nil
	}
	for _, v := range variants {
		labels, opts := make([]string, 0, len(v.OptionValues)), make([]string, 0, len(v.OptionValues))
		for _, ov := range v.OptionValues {
			labels = append(labels, ov.Label)
			opts = append(opts, ov.OptionDisplayName+": "+ov.Label)
		}
		name := p.Name + " - " + strings.Join(labels, " - ")
		sku := strings.TrimSpace(v.SKU)
		if sku == "" {
			noSKU = append(noSKU, name)
			continue
		}
		custom := make(map[string]any, len(common)+1)
		for k, val := range common {
			custom[k] = val
		}
		if keys.Options != "" {
			custom[keys.Options] = strings.Join(opts, ", ")
		}
		price, cost, weight := p.Price.Decimal, p.CostPrice.Decimal, p.Weight.Decimal
		if v.Price != nil {
			price = v.Price.Decimal
		}
		if v.CostPrice != nil {
			cost = v.CostPrice.Decimal
		}
		if v.Weight != nil {
			weight = v.Weight.Decimal
		}
		recs = append(recs, pullRecord{sku: sku, name: name, fields: pulledItemFields(sku, name, p.Description, p.IsVisible, price, cost, weight, custom)})
	}
	return recs, noSKU
}

// pulledItemFields is the create body of one pulled item; it is available
// online when the product is visible in the store.
func pulledItemFields(sku, name, longDesc string, online bool, price, cost, weight decimal.Decimal, custom map[string]any) heartland.ItemFields {
	f := heartland.ItemFields{
		PublicID:        &sku,
		Description:     &name,
		Price:           heartland.Money{Decimal: price}.Ptr(),
		Cost:            heartland.Money{Decimal: cost}.Ptr(),
		Weight:          heartland.Decimal{Decimal: weight}.Ptr(),
		Active:          catalogPtr(true),
		AvailableOnline: &online,
	}
	if longDesc != "" {
		f.LongDescription = &longDesc
	}
	if len(custom) > 0 {
		f.Custom = custom
	}
	return f
}

func catalogPtr[T any](v T) *T { return &v }

func catalogJoinInts(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ",")
}

func catalogQuote(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
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
	// after it (the follow workflow's sweep). The store is asked for the
	// products modified since (the API has no filter on creation) and the
	// older ones among them are skipped.
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
