package activities

import (
	"context"
	"errors"
	"fmt"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// create creates one product (or plans it in a dry run) and says whether
// it did; rejections and 207s are reported, transient failures returned.
func (p *pushPage) create(ctx context.Context, sku, name string, c bc.ProductCreate) (bool, error) {
	if p.req.DryRun {
		detail := "simple product"
		if len(c.Variants) > 0 {
			detail = fmt.Sprintf("product with %d variants", len(c.Variants))
		}
		p.log.plan("create", sku, name, detail)
		return true, nil
	}
	_, err := p.cl.BigCommerce.CreateProduct(ctx, c)
	switch {
	case err == nil:
		p.log.res.Counts.Created++
	case errors.Is(err, bc.ErrPartialSuccess):
		p.log.res.Counts.Created++
		p.log.problem(CatalogProblemPartial, sku, name, "created, but BigCommerce reported: "+catalogRejection(err))
	case bc.IsRetryable(err):
		return false, bigCommerceError("create BigCommerce product "+sku, err)
	default:
		p.log.problem(CatalogProblemFailed, sku, name, "BigCommerce rejected the product: "+catalogRejection(err))
		return false, nil
	}
	return true, nil
}

// flush sends the queued updates in batches within the API's limits. A
// rejected batch is resent one record at a time to name the culprit.
func (p *pushPage) flush(ctx context.Context) error {
	prod, vars := p.prod, p.vars
	p.prod, p.vars = nil, nil
	if p.req.DryRun {
		for _, u := range append(prod, vars...) {
			p.log.plan("update", u.sku, u.name, "name, price, weight or visibility")
		}
		return nil
	}
	send := func(batch []pendingUpdate) error {
		var err error
		if batch[0].product != nil {
			us := make([]bc.ProductUpdate, len(batch))
			for i, b := range batch {
				us[i] = *b.product
			}
			_, err = p.cl.BigCommerce.UpdateProducts(ctx, us)
		} else {
			us := make([]bc.VariantUpdate, len(batch))
			for i, b := range batch {
				us[i] = *b.variant
			}
			_, err = p.cl.BigCommerce.UpdateVariants(ctx, us)
		}
		return err
	}
	for _, group := range []struct {
		list []pendingUpdate
		size int
	}{{prod, bc.MaxProductBatch}, {vars, bc.MaxVariantBatch}} {
		for start := 0; start < len(group.list); start += group.size {
			batch := group.list[start:min(start+group.size, len(group.list))]
			if err := p.sendBatch(batch, send); err != nil {
				return err
			}
		}
	}
	return nil
}

// sendBatch sends one batch, splitting it when BigCommerce rejects it.
func (p *pushPage) sendBatch(batch []pendingUpdate, send func([]pendingUpdate) error) error {
	err := send(batch)
	switch {
	case err == nil:
		p.log.res.Counts.Updated += len(batch)
	case errors.Is(err, bc.ErrPartialSuccess):
		p.log.res.Counts.Updated += len(batch)
		for _, b := range batch {
			p.log.problem(CatalogProblemPartial, b.sku, b.name, "updated, but BigCommerce reported: "+catalogRejection(err))
		}
	case bc.IsRetryable(err):
		return bigCommerceError("update BigCommerce products", err)
	case len(batch) > 1:
		// The batch 422 does not say which item failed: resend singly.
		for _, b := range batch {
			if err := p.sendBatch([]pendingUpdate{b}, send); err != nil {
				return err
			}
		}
	default:
		p.log.problem(CatalogProblemFailed, batch[0].sku, batch[0].name, "BigCommerce rejected the update: "+catalogRejection(err))
	}
	return nil
}
