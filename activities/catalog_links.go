package activities

import (
	"context"
	"fmt"
	"sort"
	"strings"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// skuSide is where a SKU was seen on one side, for problem messages.
type skuSide struct {
	name  string
	count int
}

// CatalogLinks compares Heartland Item #s with BigCommerce product and
// variant SKUs: what is linked, what is on one side only, and what cannot
// be linked (blank or duplicate SKUs, SKUs that differ only in case or
// spaces), which is reported and never guessed at.
func (a *Catalog) CatalogLinks(ctx context.Context, req CatalogLinksRequest) (CatalogLinksReport, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (CatalogLinksReport, error) {
		maxNames := req.MaxNames
		if maxNames <= 0 {
			maxNames = DefaultCatalogMaxNames
		}
		var rep CatalogLinksReport
		problem := func(sku, name, reason string) {
			rep.ProblemCount++
			if len(rep.Problems) < maxNames {
				rep.Problems = append(rep.Problems, CatalogProblem{Kind: CatalogProblemSkipped, SKU: sku, Name: name, Reason: reason})
			}
		}

		products, err := cl.BigCommerce.ListProducts(ctx, bc.ProductFilter{IncludeVariants: true})
		if err != nil {
			return CatalogLinksReport{}, bigCommerceError("list BigCommerce products", err)
		}
		bcSKUs := map[string]*skuSide{}
		for _, p := range products {
			for _, r := range linkRecords(p) {
				if r.sku == "" {
					problem("", r.name, fmt.Sprintf("BigCommerce product %d has no SKU", p.ID))
					continue
				}
				if s, ok := bcSKUs[r.sku]; ok {
					s.count++
					continue
				}
				bcSKUs[r.sku] = &skuSide{name: r.name, count: 1}
			}
		}

		hlSKUs := map[string]*skuSide{}
		w := cl.Heartland.WalkItems(heartland.Query{Only: []string{"id", "public_id", "description"}, PerPage: 500}, heartland.Cursor{})
		for !w.Done() {
			items, err := w.Next(ctx)
			if err != nil {
				return CatalogLinksReport{}, heartlandError("list Heartland items", err)
			}
			for _, it := range items {
				sku := it.PublicID
				switch {
				case strings.TrimSpace(sku) == "":
					problem("", it.Description, fmt.Sprintf("Heartland item %d has a blank Item #", it.ID))
					continue
				case strings.TrimSpace(sku) != sku:
					problem(sku, it.Description, "the Heartland Item # has leading or trailing spaces")
				}
				if s, ok := hlSKUs[sku]; ok {
					s.count++
					continue
				}
				hlSKUs[sku] = &skuSide{name: it.Description, count: 1}
			}
		}

		for _, sku := range sortedSKUs(bcSKUs) {
			if s := bcSKUs[sku]; s.count > 1 {
				problem(sku, s.name, fmt.Sprintf("the SKU is used %d times in BigCommerce", s.count))
			}
		}
		for _, sku := range sortedSKUs(hlSKUs) {
			if s := hlSKUs[sku]; s.count > 1 {
				problem(sku, s.name, fmt.Sprintf("the Item # is used by %d Heartland items", s.count))
			}
		}
		lowerHL := map[string]string{}
		for sku := range hlSKUs {
			lowerHL[strings.ToLower(strings.TrimSpace(sku))] = sku
		}
		add := func(list *[]string, sku string) {
			if len(*list) < maxNames {
				*list = append(*list, sku)
			}
		}
		for _, sku := range sortedSKUs(bcSKUs) {
			if bcSKUs[sku].count > 1 {
				continue
			}
			if h, ok := hlSKUs[sku]; ok && h.count == 1 {
				rep.Linked++
				add(&rep.LinkedSKUs, sku)
				continue
			} else if ok {
				continue
			}
			if near, ok := lowerHL[strings.ToLower(strings.TrimSpace(sku))]; ok {
				problem(sku, bcSKUs[sku].name, fmt.Sprintf("differs from Heartland Item # %q only in case or spaces: not linked", near))
			}
			rep.BigCommerceOnlyCount++
			add(&rep.BigCommerceOnly, sku)
		}
		for _, sku := range sortedSKUs(hlSKUs) {
			if _, ok := bcSKUs[sku]; ok {
				continue
			}
			rep.HeartlandOnlyCount++
			add(&rep.HeartlandOnly, sku)
		}
		return rep, nil
	})
}

// linkRecord is one SKU-bearing record of a BigCommerce product.
type linkRecord struct{ sku, name string }

// linkRecords lists the product SKU of a simple product, or the variant
// SKUs of a product with options.
func linkRecords(p bc.Product) []linkRecord {
	var out []linkRecord
	for _, v := range p.Variants {
		if len(v.OptionValues) > 0 {
			out = append(out, linkRecord{sku: strings.TrimSpace(v.SKU), name: p.Name})
		}
	}
	if len(out) == 0 {
		out = append(out, linkRecord{sku: strings.TrimSpace(p.SKU), name: p.Name})
	}
	return out
}

func sortedSKUs(m map[string]*skuSide) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
