package heartlandtest

import (
	"slices"
	"testing"
)

// idsOf lists the ids where returns, in its order.
func idsOf(docs []doc) []int64 {
	var out []int64
	for _, d := range docs {
		out = append(out, getInt(d, "id"))
	}
	return out
}

func TestCollectionScansInIDOrderAfterInsertRemoveAndLoad(t *testing.T) {
	c := newCollection()
	for range 4 {
		c.insert(doc{})
	}
	c.remove(2)
	c.remove(9) // not there: nothing happens
	if got := idsOf(c.all()); !slices.Equal(got, []int64{1, 3, 4}) {
		t.Fatalf("after removing 2: ids %v, want [1 3 4]", got)
	}
	if got := c.where(func(d doc) bool { return getInt(d, "id") > 10 }); got == nil || len(got) != 0 {
		t.Fatalf("no match: %#v, want an empty, non-nil list (it renders as [])", got)
	}
	// A saved table lists its records in any order; the loaded one scans
	// them in id order and keeps appending after the counter.
	loaded, err := collectionState{Next: 7, Docs: []doc{{"id": num(7)}, {"id": num(2)}, {"id": num(5)}}}.build()
	if err != nil {
		t.Fatal(err)
	}
	loaded.insert(doc{})
	if got := idsOf(loaded.all()); !slices.Equal(got, []int64{2, 5, 7, 8}) {
		t.Fatalf("loaded then inserted: ids %v, want [2 5 7 8]", got)
	}
}
