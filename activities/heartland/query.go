package heartland

import (
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Filter is one JSON filter object as Heartland's _filter parameter takes it:
// keys are field names (bare boolean names such as "active", or
// "custom@<key>" for custom fields) or the logical operators "$and"/"$or";
// values are literals (equality) or operator objects built with In, Gt, ...
// Several filters in a Query are ANDed by sending a JSON array.
type Filter map[string]any

// Op is an operator object such as {"$gt": 5}.
type Op map[string]any

// In matches any of vals ($in).
func In[T any](vals ...T) Op {
	if vals == nil {
		vals = []T{}
	}
	return Op{"$in": vals}
}

// Gt matches values greater than v ($gt).
func Gt(v any) Op { return Op{"$gt": v} }

// Gte matches values greater than or equal to v ($gte).
func Gte(v any) Op { return Op{"$gte": v} }

// Lte matches values less than or equal to v ($lte).
func Lte(v any) Op { return Op{"$lte": v} }

// Lt matches values less than v ($lt, UNCONFIRMED on the real server: prefer Lte).
func Lt(v any) Op { return Op{"$lt": v} }

// Or matches when any of fs matches ($or).
func Or(fs ...Filter) Filter { return Filter{"$or": fs} }

// And matches when all of fs match ($and); plain Query.Filters are already ANDed.
func And(fs ...Filter) Filter { return Filter{"$and": fs} }

// CustomKey returns the filter/sort name of a custom field ("custom@<key>").
func CustomKey(key string) string { return "custom@" + key }

// FilterStyle selects how Query.Filters are put on the wire.
type FilterStyle int

const (
	// FilterJSON sends one _filter parameter: an object for one filter, a JSON
	// array (AND) for several. This is the official Ruby client's form.
	FilterJSON FilterStyle = iota
	// FilterRepeated sends one _filter[] parameter per filter, as a Heartland
	// employee's client does; use it if an account rejects the array form.
	FilterRepeated
)

// Query holds the collection conventions shared by every list endpoint.
type Query struct {
	// Filters are ANDed.
	Filters []Filter
	// Sort entries are "field" or "field,desc"; custom@key allowed.
	Sort []string
	// Only projects the returned fields (_only[]).
	Only []string
	// Include embeds related records (_include[]), e.g. "stations".
	Include []string
	// Page is 1-based; 0 means 1.
	Page int
	// PerPage is the page size; 0 means Config.PerPage.
	PerPage int
	// Params carries extra plain parameters (e.g. "exclude_empty_locations").
	// Keys ending in "[]" are arrays.
	Params url.Values
}

// Where returns a copy of q with f added to its Filters.
func (q Query) Where(f Filter) Query {
	q.Filters = append(append([]Filter(nil), q.Filters...), f)
	return q
}

// values renders q as URL parameters.
func (q Query) values(style FilterStyle, defPerPage int) (url.Values, error) {
	v := url.Values{}
	for k, vals := range q.Params {
		v[k] = append([]string(nil), vals...)
	}
	switch {
	case len(q.Filters) == 0:
	case style == FilterRepeated:
		for _, f := range q.Filters {
			b, err := json.Marshal(f)
			if err != nil {
				return nil, err
			}
			v.Add("_filter[]", string(b))
		}
	default:
		var b []byte
		var err error
		if len(q.Filters) == 1 {
			b, err = json.Marshal(q.Filters[0])
		} else {
			b, err = json.Marshal(q.Filters)
		}
		if err != nil {
			return nil, err
		}
		v.Set("_filter", string(b))
	}
	for _, s := range q.Sort {
		v.Add("sort[]", s)
	}
	for _, s := range q.Only {
		v.Add("_only[]", s)
	}
	for _, s := range q.Include {
		v.Add("_include[]", s)
	}
	page := q.Page
	if page <= 0 {
		page = 1
	}
	per := q.PerPage
	if per <= 0 {
		per = defPerPage
	}
	v.Set("page", strconv.Itoa(page))
	v.Set("per_page", strconv.Itoa(per))
	return v, nil
}

// encodeQuery is url.Values.Encode but leaves array brackets literal
// ("group[]=a"), the spelling every Heartland client sends; indexed or
// escaped brackets have broken /inventory/values for others.
func encodeQuery(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		ek := strings.ReplaceAll(url.QueryEscape(k), "%5B%5D", "[]")
		for _, val := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(val))
		}
	}
	return b.String()
}
