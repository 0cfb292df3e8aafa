package heartlandtest

// inList reports whether a field equals one of an $in / $nin list. It is
// equal() over the list, with a shortcut for the common case of a text
// field that is not a timestamp (an Item # against Item #s): compare()
// would try to parse the field as a time once per list element, which made
// a 250-SKU lookup over 20,000 items take seconds.
func inList(field any, present bool, list []any) bool {
	if s, ok := field.(string); ok && present {
		if _, isTime := parseTime(s); !isTime {
			for _, want := range list {
				if w, ok := want.(string); ok {
					// Text against text that is not a time compares as text.
					if w == s {
						return true
					}
					continue
				}
				if equal(field, present, want) {
					return true
				}
			}
			return false
		}
	}
	for _, want := range list {
		if equal(field, present, want) {
			return true
		}
	}
	return false
}
