package main

import (
	"slices"
	"testing"
)

// A sample spreads over the whole phase, keeps the keys' order and never
// names a key twice; a short list is taken whole.
func TestSampleKeys(t *testing.T) {
	keys := make([]int, 1000)
	for i := range keys {
		keys[i] = storeKey(i%100, 1+i/100)
	}
	got := sampleKeys(keys, 200)
	if len(got) != 200 || got[0] != keys[0] || got[199] != keys[995] {
		t.Fatalf("sample of 1000: %d keys, first %d, last %d", len(got), got[0], got[len(got)-1])
	}
	seen := map[int]bool{}
	for i, k := range got {
		if seen[k] || (i > 0 && slices.Index(keys, k) <= slices.Index(keys, got[i-1])) {
			t.Fatalf("key %d repeated or out of order at %d", k, i)
		}
		seen[k] = true
	}
	if s, o := splitStoreKey(storeKey(42, 7)); s != 42 || o != 7 {
		t.Errorf("splitStoreKey(storeKey(42, 7)) = %d, %d", s, o)
	}
	if short := sampleKeys(keys[:3], 200); !slices.Equal(short, keys[:3]) {
		t.Errorf("sample of 3 = %v", short)
	}
}
