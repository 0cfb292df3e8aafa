package heartlandtest

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// doc is one stored record in its bare-name form (booleans without "?",
// custom values under "custom", numbers as json.Number). The handlers add
// the "?" spelling on the way out, so storage, filtering and the Go
// accessors all use one naming.
type doc = map[string]any

// collection is an id-keyed table with ascending ids, like a Rails table.
type collection struct {
	next int64
	docs map[int64]doc
	// ids are the keys of docs in ascending order, kept beside the map so
	// that a scan in id order sorts nothing: the bench's hundred stores
	// scan their tables on every request.
	ids []int64
}

func newCollection() *collection { return &collection{docs: map[int64]doc{}} }

func (c *collection) insert(d doc) int64 {
	c.next++
	d["id"] = num(c.next)
	c.docs[c.next] = d
	c.ids = append(c.ids, c.next)
	return c.next
}

// remove deletes the record with this id.
func (c *collection) remove(id int64) {
	if _, ok := c.docs[id]; !ok {
		return
	}
	delete(c.docs, id)
	if i, found := slices.BinarySearch(c.ids, id); found {
		c.ids = slices.Delete(c.ids, i, i+1)
	}
}

func (c *collection) get(id int64) (doc, bool) {
	d, ok := c.docs[id]
	return d, ok
}

// all returns the records in id order.
func (c *collection) all() []doc { return c.where(nil) }

// where returns the records matching pred in id order.
func (c *collection) where(pred func(doc) bool) []doc {
	// Never nil: an empty list renders as [] on the wire.
	capacity := 0
	if pred == nil {
		capacity = len(c.ids)
	}
	out := make([]doc, 0, capacity)
	for _, id := range c.ids {
		if d := c.docs[id]; pred == nil || pred(d) {
			out = append(out, d)
		}
	}
	return out
}

func num(i int64) json.Number            { return json.Number(strconv.FormatInt(i, 10)) }
func dnum(d decimal.Decimal) json.Number { return json.Number(d.String()) }

func getInt(d doc, k string) int64 {
	id, _ := asInt(d[k])
	return id
}

func asInt(v any) (int64, bool) {
	switch v := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(string(v), 10, 64)
		return i, err == nil
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return i, err == nil
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int64(v), true
		}
	case int64:
		return v, true
	case int:
		return int64(v), true
	}
	return 0, false
}

func getDec(d doc, k string) decimal.Decimal {
	v, _ := asDec(d[k])
	return v
}

func asDec(v any) (decimal.Decimal, bool) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = string(v)
	case string:
		s = strings.TrimSpace(v)
	case float64:
		return decimal.NewFromFloat(v), true
	case int64:
		return decimal.NewFromInt(v), true
	case int:
		return decimal.NewFromInt(int64(v)), true
	default:
		return decimal.Zero, false
	}
	if s == "" || len(s) > 40 || strings.ContainsAny(s, "eE") {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}

func getStr(d doc, k string) string {
	switch v := d[k].(type) {
	case string:
		return v
	case json.Number:
		return string(v)
	}
	return ""
}

func getBool(d doc, k string) bool {
	b, _ := toBool(d[k])
	return b
}

// optInt returns the id stored at k, or nil (JSON null) when absent.
func optInt(d doc, k string) any {
	if v, ok := asInt(d[k]); ok && v != 0 {
		return num(v)
	}
	return nil
}

// copyDoc deep-copies a record so callers never alias stored state.
func copyDoc(d doc) doc {
	b, _ := json.Marshal(d)
	var out doc
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}

// wire renders a record the way Heartland prints it: booleans as "name?",
// recursively through embedded records, but not inside the free-form
// custom and metadata bags.
func wire(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if k == "custom" || k == "metadata" {
				out[k] = x
				continue
			}
			if b, ok := x.(bool); ok {
				out[k+"?"] = b
				continue
			}
			out[k] = wire(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = wire(x)
		}
		return out
	case []doc:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = wire(x)
		}
		return out
	}
	return v
}

// apiError is Heartland's error body.
type apiError struct {
	status  int
	code    string
	message string
	details map[string]any
}

func (e *apiError) Error() string { return e.message }

func errValidation(msg string, details map[string]any) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: "validation_error", message: msg, details: details}
}

func errField(field, problem string) *apiError {
	return errValidation(humanField(field)+" "+problem, map[string]any{field: []string{problem}})
}

func errNotFound(what string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "not_found", message: what + " not found"}
}

func errBadRequest(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "bad_request", message: msg}
}

func humanField(f string) string {
	f = strings.TrimPrefix(f, "custom@")
	f = strings.ReplaceAll(f, "_", " ")
	if f == "" {
		return f
	}
	return strings.ToUpper(f[:1]) + f[1:]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{status: http.StatusInternalServerError, code: "internal_error", message: err.Error()}
	}
	body := map[string]any{"error": ae.code, "message": ae.message}
	if len(ae.details) > 0 {
		body["details"] = ae.details
	}
	writeJSON(w, ae.status, body)
}

// readBody decodes a write body into bare-name form: "name?" keys lose the
// "?", and flat "custom@key" values move into the "custom" bag, so both
// spellings seen in real clients are accepted.
func readBody(r *http.Request) (doc, error) {
	dec := json.NewDecoder(io.LimitReader(r.Body, 4<<20))
	dec.UseNumber()
	var d doc
	if err := dec.Decode(&d); err != nil {
		if errors.Is(err, io.EOF) {
			return doc{}, nil
		}
		return nil, errBadRequest("request body is not a JSON object: " + err.Error())
	}
	return normalize(d), nil
}

func normalize(d doc) doc {
	out := doc{}
	var custom map[string]any
	if c, ok := d["custom"].(map[string]any); ok {
		custom = c
	}
	for k, v := range d {
		switch {
		case k == "custom":
		case strings.HasPrefix(k, "custom@"):
			if custom == nil {
				custom = map[string]any{}
			}
			custom[strings.TrimPrefix(k, "custom@")] = v
		default:
			out[strings.TrimSuffix(k, "?")] = v
		}
	}
	if custom != nil {
		out["custom"] = custom
	}
	return out
}

// listParams are the collection conventions parsed from a query string.
type listParams struct {
	filters []any
	sorts   []string
	only    []string
	include []string
	page    int
	perPage int // -1 = all
}

var reservedParams = map[string]bool{
	"page": true, "per_page": true, "sort": true, "sort[]": true, "_filter": true, "_filter[]": true,
	"_only[]": true, "select[]": true, "_include[]": true, "group[]": true, "exclude_empty_locations": true, "query": true,
}

// DefaultMaxPerPage is the largest page the fake serves unless
// WithMaxPerPage says otherwise: Heartland's own importer asks for 5000
// rows a page, so a real account takes at least that (its true limit is
// UNCONFIRMED).
const DefaultMaxPerPage = 5000

// pageLimit is how a Server limits page sizes; it travels to parseList in
// the request context.
type pageLimit struct {
	max   int
	clamp bool // answer fewer rows instead of refusing a larger page
}

type pageLimitKey struct{}

func limitOf(r *http.Request) pageLimit {
	if l, ok := r.Context().Value(pageLimitKey{}).(pageLimit); ok && l.max > 0 {
		return l
	}
	return pageLimit{max: DefaultMaxPerPage}
}

// bracketFilter matches the nested filter spellings seen in real clients:
// "~[public_id]", "~[created_at][$gte]" and "_filter[created_at][$gte]".
var bracketFilter = regexp.MustCompile(`^(~|_filter)\[([^\[\]]+)\](?:\[(\$[a-z]+)\])?$`)

func parseList(r *http.Request) (listParams, error) {
	q := r.URL.Query()
	p := listParams{page: 1, perPage: 20}
	for _, key := range []string{"_filter", "_filter[]"} {
		for _, raw := range q[key] {
			f, err := parseFilterJSON(raw)
			if err != nil {
				return p, errBadRequest(err.Error())
			}
			p.filters = append(p.filters, f)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if reservedParams[k] {
			continue
		}
		if m := bracketFilter.FindStringSubmatch(k); m != nil {
			for _, v := range q[k] {
				if m[3] == "" {
					p.filters = append(p.filters, map[string]any{m[2]: v})
					continue
				}
				var arg any = v
				if m[3] == "$in" || m[3] == "$nin" {
					arg = splitList(v)
				}
				p.filters = append(p.filters, map[string]any{m[2]: map[string]any{m[3]: arg}})
			}
			continue
		}
		if strings.ContainsAny(k, "[]~$") {
			// A spelling the fake does not understand is refused, never
			// ignored: ignoring it would answer unfiltered rows.
			return p, errBadRequest("unsupported parameter " + strconv.Quote(trunc(k)))
		}
		for _, v := range q[k] {
			p.filters = append(p.filters, map[string]any{k: v})
		}
	}
	p.sorts = append(append(p.sorts, q["sort[]"]...), q["sort"]...)
	p.only = append(append(p.only, q["_only[]"]...), q["select[]"]...)
	p.include = q["_include[]"]
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, errBadRequest("page must be a positive integer")
		}
		p.page = n
	}
	if s := q.Get("per_page"); s != "" {
		if s == "all" {
			p.perPage = -1
		} else {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return p, errBadRequest("per_page must be a positive integer or \"all\"")
			}
			lim := limitOf(r)
			if n > lim.max && !lim.clamp {
				return p, &apiError{status: http.StatusBadRequest, code: "bad_request",
					message: "per_page must be less than or equal to " + strconv.Itoa(lim.max),
					details: map[string]any{"per_page": []string{"must be less than or equal to " + strconv.Itoa(lim.max)}}}
			}
			p.perPage = min(n, lim.max)
		}
	}
	return p, nil
}

// splitList reads the value of a bracketed $in filter: a JSON array or a
// comma-separated list.
func splitList(v string) []any {
	if f, err := parseFilterJSON(v); err == nil {
		if list, ok := f.([]any); ok {
			return list
		}
	}
	var out []any
	for _, s := range strings.Split(v, ",") {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// filterRows keeps the rows matching every filter.
func filterRows(rows []doc, filters []any) ([]doc, error) {
	out := make([]doc, 0, len(rows))
	for _, d := range rows {
		keep := true
		for _, f := range filters {
			ok, err := matchFilter(f, d)
			if err != nil {
				return nil, errBadRequest("invalid _filter: " + err.Error())
			}
			if !ok {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, d)
		}
	}
	return out, nil
}

// sortRows orders rows by "field[,desc]" keys; missing values sort last.
func sortRows(rows []doc, sorts []string) {
	if len(sorts) == 0 {
		return
	}
	sort.SliceStable(rows, func(i, j int) bool {
		for _, s := range sorts {
			field, dir, _ := strings.Cut(s, ",")
			desc := strings.EqualFold(strings.TrimSpace(dir), "desc")
			a, aok := lookupField(rows[i], strings.TrimSpace(field))
			b, bok := lookupField(rows[j], strings.TrimSpace(field))
			aok, bok = aok && a != nil, bok && b != nil
			switch {
			case !aok && !bok:
				continue
			case !aok:
				return false
			case !bok:
				return true
			}
			c, ok := compare(a, b)
			if !ok || c == 0 {
				continue
			}
			if desc {
				return c > 0
			}
			return c < 0
		}
		return false
	})
}

// includer embeds a related record for _include[]; ok=false ignores the relation.
type includer func(d doc, rel string) (any, bool)

// renderList filters, sorts, pages, projects and prints rows as
// {total, pages, results}.
func renderList(w http.ResponseWriter, r *http.Request, rows []doc, inc includer) {
	p, err := parseList(r)
	if err != nil {
		writeError(w, err)
		return
	}
	rows, err = filterRows(rows, p.filters)
	if err != nil {
		writeError(w, err)
		return
	}
	sortRows(rows, p.sorts)
	total := len(rows)
	per := p.perPage
	if per < 0 {
		per = max(total, 1)
	}
	pages := (total + per - 1) / per
	start := (p.page - 1) * per
	var pageRows []doc
	if start < total {
		pageRows = rows[start:min(start+per, total)]
	}
	results := make([]any, 0, len(pageRows))
	for _, d := range pageRows {
		results = append(results, render(d, p.only, p.include, inc))
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "pages": pages, "results": results})
}

// render prints one record with includes and projection applied.
func render(d doc, only, include []string, inc includer) any {
	out := wire(d).(map[string]any)
	for _, rel := range include {
		if inc == nil {
			break
		}
		if v, ok := inc(d, rel); ok {
			out[rel] = wire(v)
		}
	}
	if len(only) > 0 {
		keep := map[string]bool{}
		for _, f := range only {
			keep[f] = true
		}
		proj := map[string]any{}
		for k, v := range out {
			if keep[k] || keep[strings.TrimSuffix(k, "?")] {
				proj[k] = v
			}
		}
		for _, rel := range include {
			if v, ok := out[rel]; ok {
				proj[rel] = v
			}
		}
		return proj
	}
	return out
}
