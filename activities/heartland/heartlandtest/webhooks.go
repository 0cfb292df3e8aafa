package heartlandtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
)

const (
	eventItemCreated               = "item_created"
	eventItemUpdated               = "item_updated"
	eventCustomerCreated           = "customer_created"
	eventSalesTransactionCompleted = "sales_transaction_completed"
)

// Delivery records one webhook POST made by the fake.
type Delivery struct {
	WebhookID int64
	URL       string // as registered, secret query included
	Event     string
	Body      []byte // the bare resource JSON, as Heartland sends it
	Status    int    // receiver's HTTP status, 0 on transport error
	Err       string // transport error text
}

// emit queues the bare resource JSON of d for every active subscription to
// event. Like Heartland it sends no envelope and no signature. Delivery runs
// in the background; WaitWebhooks waits for it. Called with s.mu held.
func (s *Server) emit(event string, d doc) {
	body, err := json.Marshal(wire(d))
	if err != nil {
		return
	}
	s.hookMu.Lock()
	copies := 1 + s.dupCopies
	s.hookMu.Unlock()
	for _, h := range s.webhooks.all() {
		if !getBool(h, "active") {
			continue
		}
		events, _ := h["events"].([]any)
		if !slices.Contains(events, any(event)) {
			continue
		}
		s.hookWG.Add(1)
		go s.deliver(getInt(h, "id"), getStr(h, "url"), event, body, copies)
	}
}

func (s *Server) deliver(id int64, url, event string, body []byte, copies int) {
	defer s.hookWG.Done()
	for range copies {
		d := Delivery{WebhookID: id, URL: url, Event: event, Body: body}
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("User-Agent", "heartlandtest-webhooks")
			var res *http.Response
			res, err = s.hookClient.Do(req)
			if err == nil {
				d.Status = res.StatusCode
				_ = res.Body.Close()
			}
		}
		if err != nil {
			d.Err = err.Error()
		}
		s.hookMu.Lock()
		s.deliveries = append(s.deliveries, d)
		s.hookMu.Unlock()
	}
}

// WaitWebhooks blocks until every webhook delivery started so far is done,
// so tests can assert on receivers without sleeping.
func (s *Server) WaitWebhooks() { s.hookWG.Wait() }

// Deliveries returns every webhook delivery made so far.
func (s *Server) Deliveries() []Delivery {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	return slices.Clone(s.deliveries)
}

// SetDuplicateDeliveries makes every later event be delivered 1+n times, to
// exercise receivers' de-duplication (Heartland may redeliver).
func (s *Server) SetDuplicateDeliveries(n int) {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	s.dupCopies = max(n, 0)
}
