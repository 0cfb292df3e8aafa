package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/hrbc/hrbc/activities/heartland"
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

// EnsureCatalogCustomFields creates the Heartland item custom fields the
// pull writes BigCommerce data into when they are missing, reads back the
// keys Heartland generated, and lists the other required item fields.
func (a *Catalog) EnsureCatalogCustomFields(ctx context.Context, req CatalogFieldsRequest) (CatalogFieldKeys, error) {
	cl, err := a.Connections.Get(req.ConnectionID)
	if err != nil {
		return CatalogFieldKeys{}, err
	}
	fields, err := cl.Heartland.ListCustomFields(ctx, heartland.GroupItem)
	if err != nil {
		return CatalogFieldKeys{}, heartlandError("list Heartland item custom fields", err)
	}
	byName := map[string]heartland.CustomField{}
	for _, f := range fields {
		byName[strings.ToLower(f.Name)] = f
	}
	keys := CatalogFieldKeys{Required: map[string]string{}}
	ours := map[string]*string{
		CatalogFieldProductID: &keys.ProductID, CatalogFieldBrand: &keys.Brand,
		CatalogFieldCategories: &keys.Categories, CatalogFieldOptions: &keys.Options,
	}
	for _, name := range []string{CatalogFieldProductID, CatalogFieldBrand, CatalogFieldCategories, CatalogFieldOptions} {
		if f, ok := byName[strings.ToLower(name)]; ok {
			*ours[name] = f.Key
			continue
		}
		if req.DryRun {
			continue
		}
		key, err := createCatalogField(ctx, cl.Heartland, name)
		if err != nil {
			return CatalogFieldKeys{}, err
		}
		*ours[name] = key
	}
	for _, f := range fields {
		if !f.Required {
			continue
		}
		mine := false
		for name := range ours {
			mine = mine || strings.EqualFold(name, f.Name)
		}
		if !mine {
			keys.Required[f.Key] = f.Name
		}
	}
	return keys, nil
}

// createCatalogField creates one text item field and reads back its key.
func createCatalogField(ctx context.Context, hl *heartland.Client, name string) (string, error) {
	group, text := heartland.GroupItem, "text"
	id, err := hl.CreateCustomField(ctx, heartland.CustomFieldFields{Name: &name, GroupID: &group, ValidationType: &text})
	if err != nil {
		return "", heartlandError(fmt.Sprintf("create Heartland custom field %q", name), err)
	}
	f, err := hl.GetCustomField(ctx, id)
	if err != nil {
		return "", heartlandError(fmt.Sprintf("read Heartland custom field %q", name), err)
	}
	return f.Key, nil
}
