package workflows

import (
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// Custom search attributes. All are Keyword so that they fit the SQLite
// visibility store of the embedded server, and so that the Temporal UI can
// answer "which orders are stuck, and why" with one exact-match query.
var (
	// ConnectionAttr is the connection a workflow belongs to.
	ConnectionAttr = temporal.NewSearchAttributeKeyKeyword("HrbcConnection")
	// StageAttr is the business stage a workflow is in (for example
	// "configured" or "awaiting_distribution").
	StageAttr = temporal.NewSearchAttributeKeyKeyword("HrbcStage")
	// BigCommerceOrderIDAttr is the BigCommerce order an Order workflow carries.
	BigCommerceOrderIDAttr = temporal.NewSearchAttributeKeyKeyword("HrbcBigCommerceOrderID")
	// HeartlandOrderIDAttr is the Heartland sales order created for it.
	HeartlandOrderIDAttr = temporal.NewSearchAttributeKeyKeyword("HrbcHeartlandOrderID")
	// AttentionAttr is the reason a workflow needs a person, empty when fine.
	AttentionAttr = temporal.NewSearchAttributeKeyKeyword("HrbcAttention")
)

// SearchAttributes lists every custom search attribute hrbc uses with its
// type, for registration on a namespace.
func SearchAttributes() map[string]enumspb.IndexedValueType {
	keys := []temporal.SearchAttributeKeyKeyword{
		ConnectionAttr, StageAttr, BigCommerceOrderIDAttr, HeartlandOrderIDAttr, AttentionAttr,
	}
	out := make(map[string]enumspb.IndexedValueType, len(keys))
	for _, k := range keys {
		out[k.GetName()] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
	}
	return out
}
