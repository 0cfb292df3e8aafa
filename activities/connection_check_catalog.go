package activities

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// checkListLimit bounds the names a check line lists.
const checkListLimit = 10

// checkCustomizations lists the store's products whose orders will need a
// person: products with customisations (a text or file modifier, say) and
// products that accept gift wrapping. hrbc sends such lines to attention
// because a Heartland line cannot carry them.
func (a *ConnectionChecks) checkCustomizations(ctx context.Context, rep *CheckReport, cl Clients, beat func()) {
	walk := cl.BigCommerce.WalkProducts(bigcommerce.ProductFilter{IncludeModifiers: true}, bigcommerce.Cursor{})
	var custom, wrapped []string
	var nCustom, nWrapped, total int
	for !walk.Done() {
		products, err := walk.Next(ctx)
		if err != nil {
			rep.add(CheckLine{Check: "customized products", Status: CheckWarn,
				Found: "could not read the store's products: " + err.Error(), Fix: "run the check again"})
			return
		}
		for _, p := range products {
			total++
			if m, ok := customizingModifier(p.Modifiers); ok {
				nCustom++
				if len(custom) < checkListLimit {
					custom = append(custom, fmt.Sprintf("%s (%s: %s)", productLabel(p), m.DisplayName, m.Type))
				}
			}
			if p.GiftWrappingOptionsType == bigcommerce.GiftWrapAny || p.GiftWrappingOptionsType == bigcommerce.GiftWrapList {
				nWrapped++
				if len(wrapped) < checkListLimit {
					wrapped = append(wrapped, productLabel(p))
				}
			}
		}
		beat()
	}
	if nCustom > 0 {
		rep.add(CheckLine{Check: "customized products", Status: CheckWarn,
			Found: fmt.Sprintf("%d products take customizations, and their orders will wait for a person: %s", nCustom, listMore(custom, nCustom)),
			Fix:   "remove the modifiers in BigCommerce, or handle these orders by hand (starter errors lists them)"})
	} else {
		rep.add(CheckLine{Check: "customized products", Status: CheckOK,
			Found: fmt.Sprintf("none of %d products takes a customization", total)})
	}
	if nWrapped > 0 {
		rep.add(CheckLine{Check: "gift wrapping", Status: CheckWarn,
			Found: fmt.Sprintf("%d products accept gift wrapping, and wrapped orders will wait for a person: %s", nWrapped, listMore(wrapped, nWrapped)),
			Fix:   "set Gift Wrapping to \"none\" on these products in BigCommerce, or turn gift wrapping off for the store"})
	} else {
		rep.add(CheckLine{Check: "gift wrapping", Status: CheckOK, Found: "no product accepts gift wrapping"})
	}
}

// customizingModifier finds a modifier that customises a line, with the
// rule order import uses.
func customizingModifier(mods []bigcommerce.Modifier) (bigcommerce.Modifier, bool) {
	for _, m := range mods {
		typ, name := strings.ToLower(m.Type), strings.ToLower(m.DisplayName+" "+m.Name)
		for _, t := range customizationTypes {
			if strings.Contains(typ, t) {
				return m, true
			}
		}
		for _, n := range customizationNames {
			if strings.Contains(name, n) {
				return m, true
			}
		}
	}
	return bigcommerce.Modifier{}, false
}

func productLabel(p bigcommerce.Product) string {
	if p.SKU != "" {
		return fmt.Sprintf("%s %q", p.SKU, p.Name)
	}
	return fmt.Sprintf("product %d %q", p.ID, p.Name)
}

// listMore joins names and says how many more there are.
func listMore(names []string, total int) string {
	if len(names) == 0 {
		return fmt.Sprintf("%d not named", total)
	}
	s := strings.Join(names, ", ")
	if more := total - len(names); more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}

// oneSided says how many SKUs are on one side, with a few of them.
func oneSided(where string, skus []string, n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d %s (e.g. %s)", n, where, listMore(skus[:min(len(skus), 3)], n))
}

// checkSKUs counts the SKUs that cannot link (blank, duplicated, differing
// only in case or spaces) and those on one side only, with the catalog's
// own link report.
func (a *ConnectionChecks) checkSKUs(ctx context.Context, rep *CheckReport, connectionID string) {
	links, err := (&Catalog{Connections: a.Connections}).CatalogLinks(ctx, CatalogLinksRequest{ConnectionID: connectionID, MaxNames: checkListLimit})
	if err != nil {
		rep.add(CheckLine{Check: "sku links", Status: CheckWarn, Found: "could not compare SKUs: " + err.Error(), Fix: "run the check again"})
		return
	}
	if links.ProblemCount > 0 {
		var names []string
		for _, p := range links.Problems {
			label := p.SKU
			if label == "" {
				label = p.Name
			}
			names = append(names, fmt.Sprintf("%s: %s", label, p.Reason))
		}
		rep.add(CheckLine{Check: "sku links", Status: CheckWarn,
			Found: fmt.Sprintf("%d SKUs cannot link (blank, duplicated, or differing only in case or spaces): %s", links.ProblemCount, listMore(names, links.ProblemCount)),
			Fix:   fmt.Sprintf("give each product one SKU equal to its Heartland Item #; starter catalog links %s lists them all", connectionID)})
	} else {
		rep.add(CheckLine{Check: "sku links", Status: CheckOK, Found: fmt.Sprintf("%d SKUs link, none is blank, duplicated or a near miss", links.Linked)})
	}
	if links.BigCommerceOnlyCount+links.HeartlandOnlyCount > 0 {
		rep.add(CheckLine{Check: "one-sided skus", Status: CheckWarn,
			Found: fmt.Sprintf("%d linked; %s: their stock and orders are not synced", links.Linked,
				strings.Join(slices.DeleteFunc([]string{
					oneSided("only in BigCommerce", links.BigCommerceOnly, links.BigCommerceOnlyCount),
					oneSided("only in Heartland", links.HeartlandOnly, links.HeartlandOnlyCount),
				}, func(s string) bool { return s == "" }), ", ")),
			Fix: fmt.Sprintf("create the missing items (starter sync catalog %s --pull or --push), or give them matching SKUs", connectionID)})
	} else {
		rep.add(CheckLine{Check: "one-sided skus", Status: CheckOK, Found: fmt.Sprintf("all %d SKUs are on both sides", links.Linked)})
	}
}
