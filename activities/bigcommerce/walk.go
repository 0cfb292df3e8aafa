package bigcommerce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// maxPages stops a walk if a server keeps claiming more pages.
const maxPages = 100000

// Cursor is a resumable position in a walk: the last page read. It is
// small and JSON-friendly so an activity can carry it between calls, as
// heartland.Cursor is.
type Cursor struct {
	// Page is the last page read (1-based; 0 before the first).
	Page int `json:"page,omitempty"`
	// Done is set once the walk has returned its last page.
	Done bool `json:"done,omitempty"`
}

// Walker reads a collection one page (one HTTP call) per Next, like
// heartland.Walker: WalkX methods return one for callers that checkpoint
// between pages, ListX methods drain one with All.
type Walker[T any] struct {
	c     *Client
	path  string
	q     url.Values
	limit int
	v2    bool // a bare v2 array without pagination meta
	cur   Cursor
	last  Pagination
}

func newWalker[T any](c *Client, path string, q url.Values, limit int, v2 bool, from Cursor) *Walker[T] {
	q = cloneValues(q)
	q.Set("limit", fmt.Sprint(limit))
	return &Walker[T]{c: c, path: path, q: q, limit: limit, v2: v2, cur: from}
}

// Cursor returns the position after the last page returned by Next.
func (w *Walker[T]) Cursor() Cursor { return w.cur }

// Done reports whether the walk has returned its last page.
func (w *Walker[T]) Done() bool { return w.cur.Done }

// Pagination is the v3 meta.pagination of the last page Next read (zero
// for v2 lists and before the first page).
func (w *Walker[T]) Pagination() Pagination { return w.last }

// Next fetches the next page. It returns (nil, nil) once the walk is done;
// on error the cursor is unchanged so Next can simply be called again. A
// v3 walk ends on the last page the server counts (or a short page when it
// counts none), a v2 walk on a short page or a 204.
func (w *Walker[T]) Next(ctx context.Context) ([]T, error) {
	if w.cur.Done {
		return nil, nil
	}
	page := w.cur.Page + 1
	w.q.Set("page", fmt.Sprint(page))
	var items []T
	var p Pagination
	var err error
	if w.v2 {
		items, err = v2Page[T](ctx, w.c, w.path, w.q)
	} else {
		items, p, err = v3Page[T](ctx, w.c, w.path, w.q)
	}
	if err != nil {
		return nil, err
	}
	w.last = p
	w.cur.Page = page
	switch {
	case page >= maxPages:
		w.cur.Done = true
	case p.TotalPages > 0:
		w.cur.Done = page >= p.TotalPages
	default:
		w.cur.Done = len(items) < w.limit
	}
	return items, nil
}

// All drains the walk into one slice. On error it returns what it read
// before the failed page.
func (w *Walker[T]) All(ctx context.Context) ([]T, error) {
	var all []T
	for !w.Done() {
		items, err := w.Next(ctx)
		if err != nil {
			return all, err
		}
		all = append(all, items...)
	}
	return all, nil
}

// v3Page fetches one page of a v3 collection. 204 is an empty page.
func v3Page[T any](ctx context.Context, c *Client, path string, q url.Values) ([]T, Pagination, error) {
	resp, err := c.do(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return nil, Pagination{}, err
	}
	var env Envelope[[]T]
	if resp.status == http.StatusNoContent {
		return nil, Pagination{}, nil
	}
	if err := decodeJSON(http.MethodGet, path, resp, &env); err != nil {
		return nil, Pagination{}, err
	}
	var p Pagination
	if env.Meta.Pagination != nil {
		p = *env.Meta.Pagination
	}
	return env.Data, p, nil
}

// v3Walk pages through a v3 collection until the last page.
func v3Walk[T any](ctx context.Context, c *Client, path string, q url.Values, limit int) ([]T, error) {
	return newWalker[T](c, path, q, limit, false, Cursor{}).All(ctx)
}

// v2Page fetches one page of a v2 list (bare array; 204 means empty).
func v2Page[T any](ctx context.Context, c *Client, path string, q url.Values) ([]T, error) {
	resp, err := c.do(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return nil, err
	}
	if resp.status == http.StatusNoContent {
		return nil, nil
	}
	var out []T
	if err := decodeJSON(http.MethodGet, path, resp, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// v2Walk pages a v2 list until a short page or a 204.
func v2Walk[T any](ctx context.Context, c *Client, path string, q url.Values, limit int) ([]T, error) {
	return newWalker[T](c, path, q, limit, true, Cursor{}).All(ctx)
}
