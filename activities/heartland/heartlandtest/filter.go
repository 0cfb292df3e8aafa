package heartlandtest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file evaluates Heartland's _filter JSON against stored records the
// way the research describes the server: an object ANDs its keys, an array
// ANDs its elements, "$and"/"$or" combine sub-filters, a field maps to a
// literal (equality; null matches a missing or null field) or to an operator
// object ($eq $ne $neq $gt $gte $lt $lte $in $nin $like). Field names may be
// bare ("active") or "custom@<key>". Unknown operators are a 400, as a
// strict server would answer, so client bugs surface in tests.

// maxFilterDepth bounds nesting so hostile filters cannot exhaust the stack.
const maxFilterDepth = 32

// parseFilterJSON decodes one _filter value, keeping numbers exact.
func parseFilterJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid _filter JSON: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("invalid _filter JSON: trailing data")
	}
	return v, nil
}

// matchFilter reports whether record d satisfies filter f.
func matchFilter(f any, d map[string]any) (bool, error) {
	return matchAt(f, d, 0)
}

func matchAt(f any, d map[string]any, depth int) (bool, error) {
	if depth > maxFilterDepth {
		return false, fmt.Errorf("filter nested too deeply")
	}
	switch f := f.(type) {
	case nil:
		return true, nil
	case []any:
		for _, sub := range f {
			ok, err := matchAt(sub, d, depth+1)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case map[string]any:
		// Evaluate every key so errors are deterministic regardless of map order.
		result := true
		for k, v := range f {
			ok, err := matchKey(k, v, d, depth)
			if err != nil {
				return false, err
			}
			result = result && ok
		}
		return result, nil
	}
	return false, fmt.Errorf("filter must be an object or an array, got %s", kindOf(f))
}

func matchKey(k string, v any, d map[string]any, depth int) (bool, error) {
	switch k {
	case "$and", "$or":
		subs, ok := v.([]any)
		if !ok {
			return false, fmt.Errorf("%s takes an array", k)
		}
		any1 := false
		all := true
		for _, sub := range subs {
			ok, err := matchAt(sub, d, depth+1)
			if err != nil {
				return false, err
			}
			any1 = any1 || ok
			all = all && ok
		}
		if k == "$and" {
			return all, nil
		}
		return any1, nil
	}
	if strings.HasPrefix(k, "$") {
		return false, fmt.Errorf("unknown operator %q", trunc(k))
	}
	field, present := lookupField(d, k)
	ops, isOps := v.(map[string]any)
	if !isOps || !allOperators(ops) {
		return equal(field, present, v), nil
	}
	result := true
	for op, arg := range ops {
		ok, err := applyOp(op, field, present, arg)
		if err != nil {
			return false, err
		}
		result = result && ok
	}
	return result, nil
}

func allOperators(m map[string]any) bool {
	if len(m) == 0 {
		return false
	}
	for k := range m {
		if !strings.HasPrefix(k, "$") {
			return false
		}
	}
	return true
}

// lookupField resolves a filter name against a record: "custom@key" reads the
// custom bag, "name?" is the printed spelling of boolean "name".
func lookupField(d map[string]any, name string) (any, bool) {
	if key, ok := strings.CutPrefix(name, "custom@"); ok {
		bag, _ := d["custom"].(map[string]any)
		v, ok := bag[key]
		return v, ok
	}
	name = strings.TrimSuffix(name, "?")
	v, ok := d[name]
	return v, ok
}

func applyOp(op string, field any, present bool, arg any) (bool, error) {
	switch op {
	case "$eq":
		return equal(field, present, arg), nil
	case "$ne", "$neq":
		return !equal(field, present, arg), nil
	case "$gt", "$gte", "$lt", "$lte":
		if !present || field == nil || arg == nil {
			return false, nil
		}
		c, ok := compare(field, arg)
		if !ok {
			return false, nil
		}
		switch op {
		case "$gt":
			return c > 0, nil
		case "$gte":
			return c >= 0, nil
		case "$lt":
			return c < 0, nil
		default:
			return c <= 0, nil
		}
	case "$in", "$nin":
		list, ok := arg.([]any)
		if !ok {
			return false, fmt.Errorf("%s takes an array", op)
		}
		found := slices.ContainsFunc(list, func(want any) bool { return equal(field, present, want) })
		if op == "$in" {
			return found, nil
		}
		return !found, nil
	case "$like":
		pat, ok := arg.(string)
		if !ok {
			return false, fmt.Errorf("$like takes a string")
		}
		s, ok := field.(string)
		if !ok {
			return false, nil
		}
		return strings.Contains(strings.ToLower(s), strings.ToLower(strings.Trim(pat, "%"))), nil
	}
	return false, fmt.Errorf("unknown operator %q", trunc(op))
}

// equal compares a stored field with a filter literal loosely, the way a
// query string is compared by a SQL-backed server: numbers by value, and a
// string literal equal to a number's or boolean's text matches it.
func equal(field any, present bool, want any) bool {
	if want == nil {
		return !present || field == nil
	}
	if !present || field == nil {
		return false
	}
	if c, ok := compare(field, want); ok {
		return c == 0
	}
	return false
}

// compare orders two scalars: numbers numerically, timestamps in time, other
// strings lexically, booleans false<true. ok is false for incomparable kinds.
func compare(a, b any) (int, bool) {
	if isNumber(a) || isNumber(b) {
		// Ids and counts are whole numbers: compare them without building
		// rationals, which made big $in filters slow.
		if x, ok := toInt64(a); ok {
			if y, ok := toInt64(b); ok {
				return cmp.Compare(x, y), true
			}
		}
		x, okx := toRat(a)
		y, oky := toRat(b)
		if okx && oky {
			return x.Cmp(y), true
		}
		return 0, false
	}
	_, aBool := a.(bool)
	_, bBool := b.(bool)
	if aBool || bBool {
		x, okx := toBool(a)
		y, oky := toBool(b)
		if !okx || !oky {
			return 0, false
		}
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	}
	as, aok := a.(string)
	bs, bok := b.(string)
	if !aok || !bok {
		return 0, false
	}
	if ta, ok := parseTime(as); ok {
		if tb, ok := parseTime(bs); ok {
			return ta.Compare(tb), true
		}
	}
	return strings.Compare(as, bs), true
}

func isNumber(v any) bool {
	switch v.(type) {
	case json.Number, float64, int, int64:
		return true
	}
	return false
}

func toBool(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(v)
		return b, err == nil
	}
	return false, false
}

// toInt64 reads whole numbers (and their decimal text) exactly.
func toInt64(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case int64:
		return v, true
	case json.Number:
		n, err := strconv.ParseInt(string(v), 10, 64)
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// toRat converts numbers and numeric strings to exact rationals. Long inputs
// are refused so fuzzed exponents cannot allocate huge numbers.
func toRat(v any) (*big.Rat, bool) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = string(v)
	case string:
		s = v
	case float64:
		r := new(big.Rat)
		if r.SetFloat64(v) == nil {
			return nil, false
		}
		return r, true
	case int:
		return big.NewRat(int64(v), 1), true
	case int64:
		return big.NewRat(v, 1), true
	default:
		return nil, false
	}
	if s == "" || len(s) > 40 || strings.ContainsAny(s, "eE/xXpP_") {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"}

func parseTime(s string) (time.Time, bool) {
	// Every layout starts with a date "2006-01-02": anything else (an
	// Item # such as "TEE-0001") is refused before time.Parse, which is
	// what makes large $in filters over text quick.
	if len(s) < 10 || len(s) > 40 || s[4] != '-' || s[7] != '-' || !isDigits(s[:4]) {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
