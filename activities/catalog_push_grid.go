package activities

import (
	"context"
	"fmt"
	"strings"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// pushGrid creates the product of one grid, or updates its variants.
func (p *pushPage) pushGrid(ctx context.Context, u pushUnit) error {
	style, labels := gridNames(u.items)
	p.log.res.Counts.Read += len(u.items)
	var product *bc.Product
	for _, it := range u.items {
		v, found, err := p.variantBySKU(ctx, strings.TrimSpace(it.PublicID))
		if err != nil {
			return err
		}
		if found {
			pr, err := p.cl.BigCommerce.GetProduct(ctx, v.ProductID)
			if err != nil {
				return bigCommerceError(fmt.Sprintf("read BigCommerce product %d", v.ProductID), err)
			}
			product = &pr
			break
		}
	}
	if product != nil {
		return p.updateGrid(*product, style, u)
	}
	create := bc.ProductCreate{Name: style, Type: "physical", SKU: "", Description: u.items[0].LongDescription,
		Weight: bc.NumberFromDecimal(weightOf(u.items[0])), Price: bc.NumberFromDecimal(u.items[0].Price.Decimal),
		InventoryTracking: bc.TrackingVariant, IsVisible: catalogPtr(u.items[0].AvailableOnline)}
	for i, it := range u.items {
		sku := strings.TrimSpace(it.PublicID)
		if sku == "" {
			p.log.problem(CatalogProblemFailed, "", it.Description, fmt.Sprintf("Heartland item %d has no Item #", it.ID))
			continue
		}
		create.Variants = append(create.Variants, bc.VariantCreate{
			SKU: sku, Price: catalogPtr(bc.NumberFromDecimal(it.Price.Decimal)),
			CostPrice: catalogPtr(bc.NumberFromDecimal(it.Cost.Decimal)), Weight: catalogPtr(bc.NumberFromDecimal(weightOf(it))),
			OptionValues: []bc.OptionValue{{OptionDisplayName: "Options", Label: labels[i]}},
		})
	}
	if len(create.Variants) == 0 {
		return nil
	}
	created, err := p.create(ctx, create.Variants[0].SKU, style, create)
	if created {
		// Every variant is a record created.
		p.log.res.Counts.Created += len(create.Variants) - 1
		if !p.req.DryRun {
			for _, it := range u.items {
				p.log.res.LinkedItemIDs = append(p.log.res.LinkedItemIDs, it.ID)
			}
		}
	} else if err == nil {
		// The product's rejection stands for all its variants.
		p.log.res.Counts.Failed += len(create.Variants) - 1
	}
	return err
}

// updateGrid queues the changes of a linked grid product and its variants.
func (p *pushPage) updateGrid(pr bc.Product, style string, u pushUnit) error {
	if !p.req.Update {
		p.log.res.Counts.Skipped += len(u.items)
		return nil
	}
	bySKU := map[string]bc.Variant{}
	for _, v := range pr.Variants {
		bySKU[v.SKU] = v
	}
	if pu, changed := productChanges(pr, style, u.items[0]); changed {
		pu.Price, pu.Weight = nil, nil // the variants carry them
		if pu.Name != nil || pu.IsVisible != nil {
			p.queueProduct(u.items[0].PublicID, style, pu)
		}
	}
	for _, it := range u.items {
		sku := strings.TrimSpace(it.PublicID)
		v, ok := bySKU[sku]
		if !ok {
			p.log.problem(CatalogProblemSkipped, sku, it.Description,
				fmt.Sprintf("not a variant of BigCommerce product %d: adding variants to an existing product is not supported", pr.ID))
			continue
		}
		// A variant without its own price or weight inherits the product's.
		price, weight := pr.Price, pr.Weight
		if v.Price != nil {
			price = *v.Price
		}
		if v.Weight != nil {
			weight = *v.Weight
		}
		vu := bc.VariantUpdate{ID: v.ID}
		if !price.Equal(it.Price.Decimal) {
			vu.Price = catalogPtr(bc.NumberFromDecimal(it.Price.Decimal))
		}
		if w := weightOf(it); !weight.Equal(w) {
			vu.Weight = catalogPtr(bc.NumberFromDecimal(w))
		}
		if vu.Price == nil && vu.Weight == nil {
			p.log.res.Counts.Skipped++
			continue
		}
		p.vars = append(p.vars, pendingUpdate{sku: sku, name: it.Description, variant: &vu})
	}
	return nil
}

// gridNames splits grid descriptions ("Style - Black - S") into the
// product name and each item's option label.
func gridNames(items []heartland.Item) (string, []string) {
	labels := make([]string, len(items))
	style := ""
	for i, it := range items {
		d := strings.TrimSpace(it.Description)
		head, rest, ok := strings.Cut(d, " - ")
		if style == "" {
			style = head
		}
		if !ok || rest == "" {
			rest = strings.TrimSpace(it.PublicID)
		}
		labels[i] = rest
	}
	return style, labels
}
