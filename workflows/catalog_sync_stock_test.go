package workflows

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/mock"

	"github.com/hrbc/hrbc/activities"
)

// A push page that creates BigCommerce products for Heartland items tells
// the connection's inventory sync to write those items' stock now.
func TestCatalogPushTellsInventoryOfLinkedItems(t *testing.T) {
	env := newCatalogEnv()
	var told []InventoryChanged
	env.OnSignalExternalWorkflow(mock.Anything, InventoryWorkflowID("shop"), "", InventoryChangedSignal, mock.Anything).
		Run(func(args mock.Arguments) { told = append(told, args.Get(4).(InventoryChanged)) }).Return(nil)
	env.OnActivity(catalogActivities.PushItemsPage, mock.Anything, mock.Anything).Return(
		activities.CatalogPageResult{Counts: activities.CatalogCounts{Read: 3, Created: 2, Skipped: 1}, LinkedItemIDs: []int64{11, 12}, Done: true}, nil)
	env.ExecuteWorkflow(CatalogSync, CatalogRunInput{ConnectionID: "shop", Kind: CatalogKindPush})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(told) != 1 || !slices.Equal(told[0].ItemIDs, []int64{11, 12}) || told[0].Source != InventorySourceCatalog {
		t.Errorf("inventory told %+v, want items 11 and 12 once", told)
	}
}
