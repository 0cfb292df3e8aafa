package heartland

import (
	"errors"
	"net/http"
	"strings"
)

// Heartland publishes no page-size limit. Its own data importer asks for
// 5000 rows a page (springboard-data-migrations, resource_list.rb), so the
// client starts there and learns the account's limit from its answers: a
// refusal that names per_page lowers the size one rung of pageLadder and
// repeats the call; a first page with fewer rows than asked while more
// pages follow means the server capped the size, which is then used.

// DefaultPerPage is the page size a Client starts with.
const DefaultPerPage = 5000

// pageLadder are the sizes tried, largest first, after a refusal.
var pageLadder = []int{5000, 2500, 1000, 500, 250, 100, 50, 20}

// pageSize is the size to ask for when a query names none.
func (c *Client) pageSize() int {
	per := c.cfg.PerPage
	if m := int(c.maxPage.Load()); m > 0 && m < per {
		per = m
	}
	return per
}

// clampPageSize is the size to ask for given a query's own (0: none).
func (c *Client) clampPageSize(asked int) int {
	if asked <= 0 {
		return c.pageSize()
	}
	if m := int(c.maxPage.Load()); m > 0 && m < asked {
		return m
	}
	return asked
}

// refusePageSize records that the account refused per rows a page and
// reports whether a smaller size is left to try.
func (c *Client) refusePageSize(per int) bool {
	for _, n := range pageLadder {
		if n < per {
			c.lowerMaxPage(n)
			return true
		}
	}
	return false
}

// notePageCap learns a silent cap: page 1 with fewer rows than asked
// although more pages follow.
func (c *Client) notePageCap(page, per, rows, pages int) {
	if page <= 1 && pages > 1 && rows > 0 && rows < per {
		c.lowerMaxPage(rows)
	}
}

// lowerMaxPage keeps the smallest limit seen (concurrent calls may learn
// different rungs; the smaller one is safe for both).
func (c *Client) lowerMaxPage(n int) {
	for {
		cur := c.maxPage.Load()
		if cur > 0 && cur <= int64(n) {
			return
		}
		if c.maxPage.CompareAndSwap(cur, int64(n)) {
			return
		}
	}
}

// isPageSizeRefusal reports a 400 or 422 that names per_page.
func isPageSizeRefusal(err error) bool {
	var e *APIError
	if !errors.As(err, &e) || (e.Status != http.StatusBadRequest && e.Status != http.StatusUnprocessableEntity) {
		return false
	}
	if _, ok := e.Details["per_page"]; ok {
		return true
	}
	m := strings.ToLower(e.Message)
	return strings.Contains(m, "per_page") || strings.Contains(m, "per page")
}
