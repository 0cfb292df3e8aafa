package intake

import (
	"context"
	"encoding/json"
	"errors"
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
// to its workflow. A 2xx means hrbc has the event durably (the signal is
// in Temporal); anything else makes BigCommerce deliver it again.
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
	ctx, cancel := context.WithTimeout(r.Context(), signalTimeout)
	defer cancel()
	// Shared and briefly remembered (connection_status.go): one workflow
	// query per delivery starved the workers at fleet scale.
	status, err := in.statuses.get(ctx, conn)
	if err != nil {
		in.logger.Error("BigCommerce webhook: connection unavailable", "connection", conn, "error", err)
		http.Error(w, "connection unavailable", http.StatusServiceUnavailable)
		return
	}
	if status.Settings == nil || !status.Settings.OrderSync {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	handOver := in.workflows.OrderChanged
	if env.Scope == "store/order/created" {
		handOver = in.workflows.OrderCreated
	}
	err = handOver(ctx, conn, int(id), *status.Settings)
	if errors.Is(err, starter.ErrOrderFinished) {
		// A late webhook for an order hrbc finished with: nothing to do.
		in.logger.Debug("BigCommerce webhook for a finished order", "connection", conn, "order", id)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err != nil {
		in.logger.Error("BigCommerce webhook: order not handed over", "connection", conn, "order", id, "error", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	in.logger.Debug("BigCommerce webhook", "connection", conn, "scope", env.Scope, "order", id)
	w.WriteHeader(http.StatusNoContent)
}

// productCreated hands a new product to the connection's catalog follower;
// with the connection not in pull mode there is none and nothing to do.
func (in *Intake) productCreated(w http.ResponseWriter, r *http.Request, conn string, productID json.Number) {
	id, err := productID.Int64()
	if err != nil || id <= 0 {
		http.Error(w, "no product id in data", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), signalTimeout)
	defer cancel()
	if err := in.workflows.ProductCreated(ctx, conn, int(id)); err != nil {
		in.logger.Error("BigCommerce webhook: product not handed over", "connection", conn, "product", id, "error", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
