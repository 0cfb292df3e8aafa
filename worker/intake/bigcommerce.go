package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/starter"
)

// BigCommerceSecretHeader carries a connection's webhook secret; hrbc sets
// it as a custom header when it registers hooks, and BigCommerce sends it
// with every delivery.
const BigCommerceSecretHeader = activities.BigCommerceSecretHeader

// bigCommerceEnvelope is the body of every BigCommerce webhook delivery.
type bigCommerceEnvelope struct {
	Scope     string `json:"scope"`
	StoreID   string `json:"store_id"`
	Hash      string `json:"hash"`
	CreatedAt int64  `json:"created_at"`
	Producer  string `json:"producer"`
	Data      struct {
		Type string      `json:"type"`
		ID   json.Number `json:"id"`
	} `json:"data"`
}

// bigCommerceWebhook authenticates a delivery and hands the order it names
// to its workflow. A 204 means hrbc has the event durably (the signal is
// in Temporal); a 202 that the intake holds it for a later hand-over, with
// the order sweep behind it (deferred.go); anything else makes BigCommerce
// deliver it again.
func (in *Intake) bigCommerceWebhook(w http.ResponseWriter, r *http.Request) {
	conn := r.PathValue("connection")
	if !in.authorize(w, r, BigCommerce, conn, r.Header.Get(BigCommerceSecretHeader)) {
		return
	}
	var env bigCommerceEnvelope
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&env); err != nil {
		in.logger.Warn("BigCommerce webhook refused: unreadable body", "connection", conn, "error", err)
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	var orderID json.Number
	switch {
	case strings.HasPrefix(env.Scope, "store/order/"):
		orderID = env.Data.ID
	case env.Scope == "store/product/created":
		in.productCreated(w, r, conn, env.Data.ID)
		return
	default:
		// Other scopes are acknowledged, not acted on: store/shipment/*
		// among them, which stores registered by earlier versions still
		// send (activities.BigCommerceHookScopes says why it is not needed).
		w.WriteHeader(http.StatusNoContent)
		return
	}
	id, err := orderID.Int64()
	if err != nil || id <= 0 {
		in.logger.Warn("BigCommerce webhook refused: no order id", "connection", conn, "scope", env.Scope)
		http.Error(w, "no order id in data", http.StatusBadRequest)
		return
	}
	created := env.Scope == "store/order/created"
	kind := "changed"
	if created {
		kind = "created"
	}
	key := fmt.Sprintf("%s order %d %s", conn, id, kind)
	mayHold := func() bool { return in.statuses.knownOn(conn) }
	in.handOrHold(w, r, key, mayHold, func(ctx context.Context) error {
		return in.handOverOrder(ctx, conn, int(id), created)
	})
}

// handOverOrder hands a BigCommerce order to its workflow: started for a
// created one, told (and started if need be) for any other change. An
// order of a connection without order sync, or one hrbc finished with,
// needs nothing and is not an error.
func (in *Intake) handOverOrder(ctx context.Context, conn string, id int, created bool) error {
	// Shared and briefly remembered (connection_status.go): one workflow
	// query per delivery starved the workers at fleet scale.
	status, err := in.statuses.get(ctx, conn)
	if err != nil {
		return fmt.Errorf("connection unavailable: %w", err)
	}
	if status.Settings == nil || !status.Settings.OrderSync {
		return nil
	}
	handOver := in.workflows.OrderChanged
	if created {
		handOver = in.workflows.OrderCreated
	}
	err = handOver(ctx, conn, id, *status.Settings)
	if errors.Is(err, starter.ErrOrderFinished) {
		// A late webhook for an order hrbc finished with: nothing to do.
		in.logger.Debug("BigCommerce webhook for a finished order", "connection", conn, "order", id)
		return nil
	}
	if err != nil {
		return fmt.Errorf("order %d not handed over: %w", id, err)
	}
	in.logger.Debug("BigCommerce webhook handed over", "connection", conn, "order", id, "created", created)
	return nil
}

// handOrHold answers a BigCommerce delivery: 204 once hand has handed it
// over; 202 when it is held for a later hand-over (deferred.go), because
// hand failed or the intake already waits for defaultHandOversInFlight
// hand-overs; 503, for BigCommerce to deliver again, only when it can be
// neither. mayHold says whether the delivery may be held
// (its order sweep would find what a lost one carried); it is asked after
// hand failed too, since hand may have just learned the connection's
// status.
func (in *Intake) handOrHold(w http.ResponseWriter, r *http.Request, key string, mayHold func() bool, hand func(ctx context.Context) error) {
	select {
	case in.inFlight <- struct{}{}:
		defer func() { <-in.inFlight }()
	default:
		if mayHold() && in.deferred.add(key, hand) {
			in.logger.Debug("BigCommerce webhook held: hand-overs are queued", "delivery", key)
			w.WriteHeader(http.StatusAccepted)
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), signalTimeout)
	defer cancel()
	err := hand(ctx)
	if err == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if mayHold() && in.deferred.add(key, hand) {
		in.logger.Warn("BigCommerce webhook held for a later hand-over", "delivery", key, "error", err)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	in.logger.Error("BigCommerce webhook not handed over", "delivery", key, "error", err)
	http.Error(w, "try again", http.StatusServiceUnavailable)
}

// productCreated hands a new product to the connection's catalog follower;
// with the connection not in pull mode there is none and nothing to do.
func (in *Intake) productCreated(w http.ResponseWriter, r *http.Request, conn string, productID json.Number) {
	id, err := productID.Int64()
	if err != nil || id <= 0 {
		http.Error(w, "no product id in data", http.StatusBadRequest)
		return
	}
	// The catalog follower's own sweep finds a product whose delivery is
	// lost, so any product delivery may be held.
	key := fmt.Sprintf("%s product %d created", conn, id)
	in.handOrHold(w, r, key, func() bool { return true }, func(ctx context.Context) error {
		return in.workflows.ProductCreated(ctx, conn, int(id))
	})
}
