package bigcommercetest

import (
	"net/http"
	"strings"

	bc "github.com/hrbc/hrbc/activities/bigcommerce"
)

// SetModifiers gives a product customisations (a Text field for an
// engraving, a File upload), shown on lists that include=modifiers.
func (s *Server) SetModifiers(productID int, mods ...bc.Modifier) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	p := s.st.products[productID]
	if p == nil {
		return
	}
	p.Modifiers = nil
	for i, m := range mods {
		m.ID, m.ProductID = productID*100+i+1, productID
		if m.Name == "" {
			m.Name = m.DisplayName
		}
		p.Modifiers = append(p.Modifiers, m)
	}
}

// SetGiftWrapping sets a product's gift_wrapping_options_type (any, none
// or list; a product starts with any, as in a real store).
func (s *Server) SetGiftWrapping(productID int, kind string) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	if p := s.st.products[productID]; p != nil {
		p.GiftWrappingOptionsType = kind
	}
}

// includesModifiers reports whether the request asked for modifiers.
func includesModifiers(r *http.Request) bool {
	for _, inc := range strings.Split(r.URL.Query().Get("include"), ",") {
		if strings.TrimSpace(inc) == "modifiers" {
			return true
		}
	}
	return false
}

// withModifiers adds the stored product's modifiers to its rendering when
// the request included them (a product without any shows an empty list).
func withModifiers(r *http.Request, out bc.Product, p *bc.Product) bc.Product {
	if includesModifiers(r) {
		out.Modifiers = append([]bc.Modifier{}, p.Modifiers...)
	}
	return out
}

// productsPageMax is the largest product page the store answers: 250, or
// 10 when options or modifiers are included.
func productsPageMax(r *http.Request) int {
	if includesModifiers(r) {
		return 10
	}
	return 250
}
