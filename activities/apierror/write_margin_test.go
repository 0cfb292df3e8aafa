package apierror

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestCheckWriteRefusesAWriteTheMarginLeavesNoTimeFor(t *testing.T) {
	soon, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	later, cancelLater := context.WithTimeout(context.Background(), time.Hour)
	defer cancelLater()
	cases := []struct {
		name   string
		ctx    context.Context
		method string
		refuse bool
	}{
		{"write, margin longer than the time left", WithWriteMargin(soon, 2*time.Second), http.MethodPost, true},
		{"PUT counts as a write", WithWriteMargin(soon, 2*time.Second), http.MethodPut, true},
		{"DELETE counts as a write", WithWriteMargin(soon, 2*time.Second), http.MethodDelete, true},
		{"a read is never refused", WithWriteMargin(soon, 2*time.Second), http.MethodGet, false},
		{"write with time to spare", WithWriteMargin(later, 2*time.Second), http.MethodPost, false},
		{"no margin set", soon, http.MethodPost, false},
		{"margin but no deadline", WithWriteMargin(context.Background(), 2*time.Second), http.MethodPost, false},
	}
	for _, c := range cases {
		err := CheckWrite(c.ctx, c.method)
		if got := errors.Is(err, ErrNoTimeToWrite); got != c.refuse {
			t.Errorf("%s: refused = %v (err %v), want %v", c.name, got, err, c.refuse)
		}
	}
}
