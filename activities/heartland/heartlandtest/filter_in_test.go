package heartlandtest

import "testing"

// TestInListMatchesEqual checks the text shortcut of inList against equal()
// over the list, for text, numeric text, timestamps and mixed lists.
func TestInListMatchesEqual(t *testing.T) {
	rec := mustDoc(t, `{"public_id":"PULL-00001","num":"12","n":12,"at":"2026-01-04T20:24:15+00:00","nil":null}`)
	lists := []string{
		`["PULL-00002","PULL-00001"]`, `["pull-00001"]`, `[12,"x"]`, `["12.0"]`, `[12.0]`,
		`["2026-01-04T20:24:15Z"]`, `[null]`, `[]`, `["x",null,12]`,
	}
	for _, field := range []string{"public_id", "num", "n", "at", "nil", "missing"} {
		for _, l := range lists {
			parsed, err := parseFilterJSON(l)
			if err != nil {
				t.Fatal(err)
			}
			list := parsed.([]any)
			v, present := lookupField(rec, field)
			want := false
			for _, w := range list {
				want = want || equal(v, present, w)
			}
			if got := inList(v, present, list); got != want {
				t.Errorf("%s $in %s = %v, equal() says %v", field, l, got, want)
			}
		}
	}
}
