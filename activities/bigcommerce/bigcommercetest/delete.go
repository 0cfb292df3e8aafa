package bigcommercetest

// DeleteProduct removes a product with its variants, custom fields and
// stock, as deleting it in the control panel does. It reports whether the
// product existed.
func (s *Server) DeleteProduct(id int) bool {
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.products[id]; !ok {
		return false
	}
	for _, vid := range st.variantIDs[id] {
		delete(st.variants, vid)
	}
	for k := range st.stock {
		if k.item.productID == id {
			delete(st.stock, k)
		}
	}
	delete(st.variantIDs, id)
	delete(st.customFields, id)
	delete(st.products, id)
	return true
}
