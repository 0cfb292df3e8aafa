package heartlandtest

import (
	"encoding/json"
	"strings"
	"testing"
)

func mustDoc(t testing.TB, s string) doc {
	d, err := parseFilterJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	return d.(map[string]any)
}

func TestMatchFilter(t *testing.T) {
	rec := mustDoc(t, `{"id":12,"public_id":"0123","price":"19.99","active":true,"grid_id":null,
		"created_at":"2026-01-04T20:24:15+00:00","custom":{"color":"Black","size":"M"}}`)
	cases := []struct {
		filter string
		want   bool
	}{
		{`{"public_id":"0123"}`, true},
		{`{"public_id":"123"}`, false}, // SKUs compare as text, never as numbers
		{`{"id":"12"}`, true},          // plain query params arrive as text
		{`{"id":{"$gt":11}}`, true},
		{`{"id":{"$gt":12}}`, false},
		{`{"id":{"$gte":12,"$lte":12}}`, true},
		{`{"id":{"$lt":12}}`, false},
		{`{"id":{"$in":[1,12]}}`, true},
		{`{"id":{"$nin":[1,12]}}`, false},
		{`{"price":{"$gte":19.99}}`, true},
		{`{"active":true}`, true},
		{`{"active?":"true"}`, true},
		{`{"active":false}`, false},
		{`{"grid_id":null}`, true},
		{`{"missing":null}`, true},
		{`{"grid_id":{"$eq":null}}`, true},
		{`{"grid_id":{"$ne":null}}`, false},
		{`{"custom@color":"Black"}`, true},
		{`{"custom@color":{"$in":["Red","Black"]}}`, true},
		{`{"custom@size":"L"}`, false},
		{`{"created_at":{"$gte":"2026-01-04T20:24:15Z"}}`, true},
		{`{"created_at":{"$gt":"2026-01-04T21:00:00+00:00"}}`, false},
		{`[{"id":12},{"custom@size":"M"}]`, true},
		{`[{"id":12},{"custom@size":"L"}]`, false},
		{`{"$or":[{"public_id":"x"},{"custom@color":"Black"}]}`, true},
		{`{"$or":[{"public_id":"x"},{"custom@color":"Red"}]}`, false},
		{`{"$and":[{"id":12},{"active":true}]}`, true},
		{`{"description":{"$like":"%cha%"}}`, false},
		{`{}`, true},
	}
	for _, c := range cases {
		f, err := parseFilterJSON(c.filter)
		if err != nil {
			t.Fatal(err)
		}
		got, err := matchFilter(f, rec)
		if err != nil || got != c.want {
			t.Errorf("%s: got %v, %v; want %v", c.filter, got, err, c.want)
		}
	}
	for _, bad := range []string{`{"id":{"$regex":"x"}}`, `{"$or":{"a":1}}`, `"text"`, `{"id":{"$in":3}}`, `{"$where":1}`} {
		f, err := parseFilterJSON(bad)
		if err != nil {
			continue
		}
		if _, err := matchFilter(f, rec); err == nil {
			t.Errorf("%s: want error", bad)
		}
	}
	deep := strings.Repeat(`{"$and":[`, 40) + `{}` + strings.Repeat(`]}`, 40)
	f, _ := parseFilterJSON(deep)
	if _, err := matchFilter(f, rec); err == nil {
		t.Error("deep nesting accepted")
	}
}

func FuzzFilter(f *testing.F) {
	f.Add(`{"public_id":{"$in":["A","B"]}}`, `{"public_id":"A","id":3}`)
	f.Add(`[{"$or":[{"custom@color":"Red"},{"id":{"$gt":"2"}}]},{"active":true}]`, `{"id":3,"active":true,"custom":{"color":"Red"}}`)
	f.Add(`{"created_at":{"$gte":"2026-01-04"}}`, `{"created_at":"2026-01-04T20:24:15+00:00"}`)
	f.Add(`{"n":{"$lte":1e400}}`, `{"n":1e-400}`)
	f.Fuzz(func(t *testing.T, filter, record string) {
		fv, err := parseFilterJSON(filter)
		if err != nil {
			return
		}
		dec := json.NewDecoder(strings.NewReader(record))
		dec.UseNumber()
		var d map[string]any
		if dec.Decode(&d) != nil {
			d = map[string]any{}
		}
		_, _ = matchFilter(fv, d)
		rows := []doc{d, {"id": num(1)}}
		sortRows(rows, []string{"n", "id,desc", "custom@color"})
	})
}
