package main

import (
	"encoding/json"
	"time"
)

// IntakeSplit cuts orders' intake latency at the moment hrbc's intake
// answered the order's creation webhook, so a slow intake shows where its
// time went: the delivery and the hand-over to Temporal, or the order's
// workflow (Temporal's queues, the API calls, the Heartland pacing).
type IntakeSplit struct {
	// Webhook runs from the order's creation to the intake's 2xx answer.
	Webhook Latencies `json:"created_to_webhook_answered"`
	// Workflow runs from that answer to the order seen open in Heartland.
	Workflow Latencies `json:"webhook_answered_to_open"`
}

// webhooksAnswered is, by order key, when an intake first answered 2xx to
// the order's store/order/created webhook.
func webhooksAnswered(stores []store) map[int]time.Time {
	out := map[int]time.Time{}
	for i, s := range stores {
		for _, d := range s.fakes.BC.Deliveries() {
			if !d.OK() || d.Scope != "store/order/created" {
				continue
			}
			var env struct {
				Data struct {
					ID int `json:"id"`
				} `json:"data"`
			}
			if json.Unmarshal(d.Body, &env) != nil || env.Data.ID == 0 {
				continue
			}
			key := storeKey(i, env.Data.ID)
			if t, ok := out[key]; !ok || d.At.Before(t) {
				out[key] = d.At
			}
		}
	}
	return out
}

// splitAtWebhook splits the intake of the keys that both opened and had
// their webhook answered; the others (an order the sweep brought in after
// its webhook was lost, one never opened) are left out.
func splitAtWebhook(open *Watch, answered map[int]time.Time, keys []int) IntakeSplit {
	var webhook, workflow []time.Duration
	for _, k := range keys {
		at, ok := answered[k]
		started, done, opened := open.Times(k)
		if !ok || !opened {
			continue
		}
		webhook = append(webhook, max(at.Sub(started), 0))
		workflow = append(workflow, max(done.Sub(at), 0))
	}
	return IntakeSplit{Webhook: Summarise(webhook), Workflow: Summarise(workflow)}
}
