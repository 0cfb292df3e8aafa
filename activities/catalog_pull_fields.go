package activities

import (
	"context"
	"fmt"
	"strings"

	"github.com/hrbc/hrbc/activities/heartland"
)

// EnsureCatalogCustomFields creates the Heartland item custom fields the
// pull writes BigCommerce data into when they are missing, reads back the
// keys Heartland generated, and lists the other required item fields.
func (a *Catalog) EnsureCatalogCustomFields(ctx context.Context, req CatalogFieldsRequest) (CatalogFieldKeys, error) {
	return withClients(a.Connections, req.ConnectionID, func(cl Clients) (CatalogFieldKeys, error) {
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
	})
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
