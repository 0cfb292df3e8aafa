package bigcommerce

// Modifier is a product modifier: a choice or an input a shopper adds to
// an order line (a text field for an engraving, a file upload, a checkbox)
// that no SKU describes.
type Modifier struct {
	ID          int    `json:"id,omitempty"`
	ProductID   int    `json:"product_id,omitempty"`
	Name        string `json:"name,omitempty"`
	DisplayName string `json:"display_name"`
	// Type is text, multi_line_text, file, checkbox, date, numbers_only_text,
	// dropdown, radio_buttons, rectangles, swatch or product_list.
	Type     string `json:"type"`
	Required bool   `json:"required"`
}

// Gift wrapping option types of a product.
const (
	GiftWrapAny  = "any"
	GiftWrapNone = "none"
	GiftWrapList = "list"
)
