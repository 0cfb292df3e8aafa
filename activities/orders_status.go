package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/heartland"
)

// The Order workflow speaks of a Heartland order as "canceled" or
// "closed"; no public source confirms how a sales order's cancelled status
// is spelled (purchase orders use "canceled"; integrators record a web
// cancellation as a ticket instead), and closed is only seen in help pages.
// So each connection learns its account's words: a configured override
// (HRBC_CONNECTION_<n>_HEARTLAND_CANCEL_STATUS) wins; otherwise the
// account's existing orders are searched for each candidate spelling; and
// when the account refuses a spelling, the others are tried, those its
// answer names first. What worked is kept per connection. Statuses read
// back are translated into the workflow's words.

// ErrTypeHeartlandStatusRefused marks a status change Heartland refused in
// every spelling hrbc knows: the order keeps its stock committed until a
// person acts, so the error carries Heartland's own message.
const ErrTypeHeartlandStatusRefused = "HeartlandStatusRefused"

// statusSpellings are the candidate account spellings of the workflow's
// finished statuses, likeliest first.
var statusSpellings = map[string][]string{
	heartland.OrderCanceled: {"canceled", "cancelled", "void", "voided"},
	heartland.OrderClosed:   {"closed", "complete", "completed"},
}

// statusVocabulary keeps, per connection, the account spelling learned for
// each of the workflow's statuses. The zero value is ready to use.
type statusVocabulary struct {
	mu      sync.Mutex
	entries map[string]*vocabEntry
}

// vocabEntry belongs to the Heartland client that filled it: new
// credentials (another account) start afresh.
type vocabEntry struct {
	client *heartland.Client
	spell  map[string]string // workflow status → account spelling
	probed map[string]bool   // existing orders already searched
}

func (v *statusVocabulary) entry(connectionID string, hl *heartland.Client) *vocabEntry {
	if v.entries == nil {
		v.entries = map[string]*vocabEntry{}
	}
	e := v.entries[connectionID]
	if e == nil || e.client != hl {
		e = &vocabEntry{client: hl, spell: map[string]string{}, probed: map[string]bool{}}
		v.entries[connectionID] = e
	}
	return e
}

func (v *statusVocabulary) learned(connectionID string, hl *heartland.Client, status string) (string, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	s, ok := v.entry(connectionID, hl).spell[status]
	return s, ok
}

func (v *statusVocabulary) learn(connectionID string, hl *heartland.Client, status, spelling string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.entry(connectionID, hl).spell[status] = spelling
}

// probe searches the account's existing orders once per status for a
// spelling in use (one small read per candidate, equality filters only).
func (v *statusVocabulary) probe(ctx context.Context, connectionID string, hl *heartland.Client, status string) (string, error) {
	v.mu.Lock()
	e := v.entry(connectionID, hl)
	done := e.probed[status]
	v.mu.Unlock()
	if done {
		return "", nil
	}
	for _, cand := range statusSpellings[status] {
		pg, err := hl.ListSalesOrders(ctx, heartland.Query{Filters: []heartland.Filter{{"status": cand}}, Only: []string{"id", "status"}, PerPage: 1})
		if err != nil {
			return "", heartlandError("look up Heartland orders in status "+cand, err)
		}
		if pg.Total > 0 || len(pg.Results) > 0 {
			v.learn(connectionID, hl, status, cand)
			return cand, nil
		}
	}
	v.mu.Lock()
	e.probed[status] = true
	v.mu.Unlock()
	return "", nil
}

// accountStatus is the spelling to send for a workflow status, and
// whether it is fixed by configuration (then no other is tried).
func (a *Orders) accountStatus(ctx context.Context, connectionID string, hl *heartland.Client, status string) (string, bool, error) {
	if status == heartland.OrderCanceled {
		if s := hl.CancelStatus(); s != "" {
			return s, true, nil
		}
	}
	if _, known := statusSpellings[status]; !known {
		return status, true, nil
	}
	if s, ok := a.vocab.learned(connectionID, hl, status); ok {
		return s, false, nil
	}
	s, err := a.vocab.probe(ctx, connectionID, hl, status)
	if err != nil || s != "" {
		return s, false, err
	}
	return status, false, nil
}

// hrbcStatus translates an account status into the workflow's words.
func (a *Orders) hrbcStatus(connectionID string, hl *heartland.Client, status string) string {
	if s := hl.CancelStatus(); s != "" && strings.EqualFold(status, s) {
		return heartland.OrderCanceled
	}
	for _, hs := range []string{heartland.OrderCanceled, heartland.OrderClosed} {
		if s, ok := a.vocab.learned(connectionID, hl, hs); ok && strings.EqualFold(status, s) {
			return hs
		}
	}
	low := strings.ToLower(status)
	if slices.Contains(statusSpellings[heartland.OrderCanceled], low) {
		return heartland.OrderCanceled
	}
	return status
}

// setOrderStatus moves a Heartland order to a workflow status in the
// account's own spelling, learning it from a refusal when needed. A status
// refused in every spelling is a non-retryable ErrTypeHeartlandStatusRefused
// carrying Heartland's message.
func (a *Orders) setOrderStatus(ctx context.Context, connectionID string, hl *heartland.Client, orderID int64, status, what string) error {
	first, fixed, err := a.accountStatus(ctx, connectionID, hl, status)
	if err != nil {
		return err
	}
	tries := []string{first}
	var lastErr error
	for i := 0; i < len(tries); i++ {
		err := hl.SetSalesOrderStatus(ctx, orderID, tries[i])
		if err == nil {
			if !fixed {
				a.vocab.learn(connectionID, hl, status, tries[i])
			}
			return nil
		}
		if !statusRefused(err) {
			return heartlandError(fmt.Sprintf("%s (status %q)", what, tries[i]), err)
		}
		lastErr = err
		if i == 0 && !fixed {
			tries = append(tries, nextSpellings(status, tries[0], err)...)
		}
	}
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("%s: Heartland refused the status (tried %s): %v", what, strings.Join(tries, ", "), lastErr),
		ErrTypeHeartlandStatusRefused, lastErr)
}

// statusRefused reports a validation answer about the status itself (not
// a throttle, an outage or a missing order).
func statusRefused(err error) bool {
	var e *heartland.APIError
	if !errors.As(err, &e) || e.Status < 400 || e.Status >= 500 || e.Status == 404 || e.Status == 401 || e.Status == 403 || e.Status == 429 {
		return false
	}
	if _, ok := e.Details["status"]; ok {
		return true
	}
	return strings.Contains(strings.ToLower(e.Message), "status")
}

// nextSpellings orders the candidates after a refusal of tried: those the
// answer names first (an answer that lists the allowed values), then the
// rest.
func nextSpellings(status, tried string, err error) []string {
	var e *heartland.APIError
	text := ""
	if errors.As(err, &e) {
		text = strings.ToLower(e.Message)
		for _, d := range e.Details["status"] {
			text += " " + strings.ToLower(d)
		}
	}
	var named, rest []string
	for _, c := range statusSpellings[status] {
		if c == tried {
			continue
		}
		if containsWord(text, c) {
			named = append(named, c)
		} else {
			rest = append(rest, c)
		}
	}
	return append(named, rest...)
}

// containsWord reports w in text as a whole word ("canceled" is not found
// in "uncanceled").
func containsWord(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isLetter(text[j-1])
		after := j+len(w) == len(text) || !isLetter(text[j+len(w)])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b == '_' }
