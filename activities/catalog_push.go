package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// DefaultPushPageSize is the Heartland items one PushItemsPage reads.
const DefaultPushPageSize = 100

// ErrTypeInvalidFilter marks a push filter that is not a JSON object.
const ErrTypeInvalidFilter = "InvalidFilter"

// pushUnit is what becomes one BigCommerce product: a simple item, or the
// items of one grid (one variant each).
type pushUnit struct {
	items []heartland.Item
	grid  bool
}

// pendingUpdate is a queued product or variant update with the record it
// stands for, so a rejected batch can name its item.
type pendingUpdate struct {
	sku, name string
	product   *bc.ProductUpdate
	variant   *bc.VariantUpdate
}

// pushPage is the state of one PushItemsPage call.
type pushPage struct {
	a    *Catalog
	cl   Clients
	req  PushPageRequest
	log  *catalogLog
	prod []pendingUpdate
	vars []pendingUpdate
}

// PushItemsPage reads one page of active Heartland items (narrowed by
// req.Filter) and makes each a BigCommerce product: simple items become
// simple products, the items of a grid one product with a variant each.
// Items whose SKU is already in BigCommerce are skipped, or with
// req.Update their name, price, weight and visibility are updated in
// batches of at most 10 products and 50 variants. A product or item
// BigCommerce rejects (409, 422, or a 207 partial save) is reported by SKU
// and the rest continue.
func (a *Catalog) PushItemsPage(ctx context.Context, req PushPageRequest) (CatalogPageResult, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (CatalogPageResult, error) {
		q, err := pushQuery(req)
		if err != nil {
			return CatalogPageResult{}, err
		}
		var from heartland.Cursor
		if len(req.Cursor) > 0 {
			if err := json.Unmarshal(req.Cursor, &from); err != nil {
				return CatalogPageResult{}, temporal.NewNonRetryableApplicationError("bad push cursor: "+err.Error(), ErrTypeInvalidFilter, err)
			}
		}
		w := cl.Heartland.WalkItems(q, from)
		items, err := w.Next(ctx)
		if err != nil {
			return CatalogPageResult{}, heartlandError("list Heartland items", err)
		}
		units, err := pushUnits(ctx, cl.Heartland, q, from, items)
		if err != nil {
			return CatalogPageResult{}, err
		}
		res, _ := catalogResumed(ctx)
		p := &pushPage{a: a, cl: cl, req: req, log: newCatalogLog(&res, req.MaxNames)}
		if err := p.run(ctx, units); err != nil {
			return CatalogPageResult{}, err
		}
		res.Position = 0
		res.Done = w.Done()
		cur, _ := json.Marshal(w.Cursor())
		res.Cursor = cur
		return res, nil
	})
}

// pushQuery is the item query of a push: active items, ANDed with the filter.
func pushQuery(req PushPageRequest) (heartland.Query, error) {
	q := heartland.Query{Filters: []heartland.Filter{{"active": true}}, PerPage: req.PageSize}
	if q.PerPage <= 0 {
		q.PerPage = DefaultPushPageSize
	}
	if len(req.Filter) > 0 && string(req.Filter) != "null" {
		var f heartland.Filter
		if err := json.Unmarshal(req.Filter, &f); err != nil {
			return q, temporal.NewNonRetryableApplicationError(
				"the push filter must be a JSON object as Heartland's _filter takes it: "+err.Error(), ErrTypeInvalidFilter, err)
		}
		q = q.Where(f)
	}
	return q, nil
}

// pushUnits groups a page into products. A grid is pushed whole from the
// page holding its first member, so a grid spread over pages is pushed once.
func pushUnits(ctx context.Context, hl *heartland.Client, q heartland.Query, from heartland.Cursor, items []heartland.Item) ([]pushUnit, error) {
	var units []pushUnit
	seen := map[int64]bool{}
	for _, it := range items {
		if it.GridID == nil {
			units = append(units, pushUnit{items: []heartland.Item{it}})
			continue
		}
		g := *it.GridID
		if seen[g] {
			continue
		}
		seen[g] = true
		gq := q.Where(heartland.Filter{"grid_id": g})
		members, err := hl.WalkItems(gq, heartland.Cursor{}).All(ctx)
		if err != nil {
			return nil, heartlandError(fmt.Sprintf("list Heartland items of grid %d", g), err)
		}
		if len(members) == 0 || members[0].ID <= from.AfterID {
			continue // pushed with an earlier page
		}
		units = append(units, pushUnit{items: members, grid: true})
	}
	return units, nil
}

// run pushes the units from the heartbeated position on.
func (p *pushPage) run(ctx context.Context, units []pushUnit) error {
	res := p.log.res
	linked, err := p.linkedSimple(ctx, units[min(res.Position, len(units)):])
	if err != nil {
		return err
	}
	for i := res.Position; i < len(units); i++ {
		u := units[i]
		var err error
		if u.grid {
			err = p.pushGrid(ctx, u)
		} else {
			err = p.pushSimple(ctx, u.items[0], linked)
		}
		if err != nil {
			return err
		}
		if len(p.prod) >= bc.MaxProductBatch || len(p.vars) >= bc.MaxVariantBatch || i == len(units)-1 {
			if err := p.flush(ctx); err != nil {
				return err
			}
		}
		if len(p.prod) == 0 && len(p.vars) == 0 {
			res.Position = i + 1
			catalogHeartbeat(ctx, res)
		}
	}
	return p.flush(ctx)
}

// linkedSimple finds the products whose base SKU is one of the simple
// items' Item #s, with one sku:in call per 50 SKUs.
func (p *pushPage) linkedSimple(ctx context.Context, units []pushUnit) (map[string]bc.Product, error) {
	var skus []string
	for _, u := range units {
		if !u.grid {
			if sku := strings.TrimSpace(u.items[0].PublicID); sku != "" {
				skus = append(skus, sku)
			}
		}
	}
	out := map[string]bc.Product{}
	for start := 0; start < len(skus); start += 50 {
		products, err := p.cl.BigCommerce.ListProducts(ctx, bc.ProductFilter{SKUs: skus[start:min(start+50, len(skus))]})
		if err != nil {
			return nil, bigCommerceError("look up BigCommerce products by SKU", err)
		}
		for _, pr := range products {
			out[pr.SKU] = pr
		}
	}
	return out, nil
}

// pushSimple creates or updates the product of one simple item.
func (p *pushPage) pushSimple(ctx context.Context, it heartland.Item, linked map[string]bc.Product) error {
	sku, name := strings.TrimSpace(it.PublicID), strings.TrimSpace(it.Description)
	p.log.res.Counts.Read++
	if sku == "" {
		p.log.problem(CatalogProblemFailed, "", name, fmt.Sprintf("Heartland item %d has no Item #", it.ID))
		return nil
	}
	if pr, ok := linked[sku]; ok {
		if !p.req.Update {
			p.log.res.Counts.Skipped++
			return nil
		}
		u, changed := productChanges(pr, name, it)
		if !changed {
			p.log.res.Counts.Skipped++
			return nil
		}
		p.queueProduct(sku, name, u)
		return nil
	}
	v, found, err := p.variantBySKU(ctx, sku)
	if err != nil {
		return err
	}
	if found {
		// A variant carries the SKU: linked (a pulled variant, or linked
		// by hand); only its price and weight follow the item.
		return p.updateVariant(ctx, sku, name, v, it)
	}
	create := bc.ProductCreate{
		Name: name, Type: "physical", SKU: sku, Description: it.LongDescription,
		Weight: bc.NumberFromDecimal(weightOf(it)), Price: bc.NumberFromDecimal(it.Price.Decimal),
		CostPrice:         catalogPtr(bc.NumberFromDecimal(it.Cost.Decimal)),
		InventoryTracking: bc.TrackingProduct, IsVisible: catalogPtr(it.AvailableOnline),
	}
	created, err := p.create(ctx, sku, name, create)
	if created && !p.req.DryRun {
		p.log.res.LinkedItemIDs = append(p.log.res.LinkedItemIDs, it.ID)
	}
	return err
}

// updateVariant queues the price and weight of a variant linked to a
// simple item when updating, or counts it skipped. A variant without its
// own price or weight inherits the product's, read when needed.
func (p *pushPage) updateVariant(ctx context.Context, sku, name string, v bc.Variant, it heartland.Item) error {
	if !p.req.Update {
		p.log.res.Counts.Skipped++
		return nil
	}
	if v.Price == nil || v.Weight == nil {
		pr, err := p.cl.BigCommerce.GetProduct(ctx, v.ProductID)
		if err != nil {
			return bigCommerceError(fmt.Sprintf("read BigCommerce product %d", v.ProductID), err)
		}
		if v.Price == nil {
			v.Price = &pr.Price
		}
		if v.Weight == nil {
			v.Weight = &pr.Weight
		}
	}
	vu := bc.VariantUpdate{ID: v.ID}
	if !v.Price.Equal(it.Price.Decimal) {
		vu.Price = catalogPtr(bc.NumberFromDecimal(it.Price.Decimal))
	}
	if w := weightOf(it); !v.Weight.Equal(w) {
		vu.Weight = catalogPtr(bc.NumberFromDecimal(w))
	}
	if vu.Price == nil && vu.Weight == nil {
		p.log.res.Counts.Skipped++
		return nil
	}
	p.vars = append(p.vars, pendingUpdate{sku: sku, name: name, variant: &vu})
	return nil
}

// productChanges compares a linked product with its item.
func productChanges(pr bc.Product, name string, it heartland.Item) (bc.ProductUpdate, bool) {
	u := bc.ProductUpdate{ID: pr.ID}
	if pr.Name != name {
		u.Name = &name
	}
	if !pr.Price.Equal(it.Price.Decimal) {
		u.Price = catalogPtr(bc.NumberFromDecimal(it.Price.Decimal))
	}
	if w := weightOf(it); !pr.Weight.Equal(w) {
		u.Weight = catalogPtr(bc.NumberFromDecimal(w))
	}
	if pr.IsVisible != it.AvailableOnline {
		u.IsVisible = catalogPtr(it.AvailableOnline)
	}
	return u, u.Name != nil || u.Price != nil || u.Weight != nil || u.IsVisible != nil
}

func (p *pushPage) queueProduct(sku, name string, u bc.ProductUpdate) {
	p.prod = append(p.prod, pendingUpdate{sku: sku, name: name, product: &u})
}

// variantBySKU finds the variant (or base variant) carrying sku.
func (p *pushPage) variantBySKU(ctx context.Context, sku string) (bc.Variant, bool, error) {
	if sku == "" {
		return bc.Variant{}, false, nil
	}
	vs, err := p.cl.BigCommerce.ListVariants(ctx, bc.VariantFilter{SKU: sku})
	if err != nil {
		return bc.Variant{}, false, bigCommerceError("look up BigCommerce variant "+sku, err)
	}
	for _, v := range vs {
		if v.SKU == sku {
			return v, true, nil
		}
	}
	return bc.Variant{}, false, nil
}

// weightOf is an item's weight, zero when unset.
func weightOf(it heartland.Item) decimal.Decimal {
	if it.Weight == nil {
		return decimal.Zero
	}
	return it.Weight.Decimal
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
