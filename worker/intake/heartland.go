package intake

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/workflows"
)

// heartlandWebhook receives Heartland's bare resource JSON. Heartland signs
// nothing, so the registered URL carries ?secret=, checked in constant
// time; a wrong or missing secret gets 401 and starts nothing. A completed
// sales transaction nudges the connection's inventory sync, if it runs, and
// a completed invoice also the order workflow carrying its sales order.
// The answer (202) does not wait for the workflows: Heartland retries slow
// receivers, and both syncs poll on their own, so a lost nudge only delays.
// Duplicate deliveries only cause one more round.
func (in *Intake) heartlandWebhook(w http.ResponseWriter, r *http.Request) {
	connectionID := r.PathValue("connection")
	if !in.authorize(w, r, Heartland, connectionID, r.URL.Query().Get("secret")) {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	if !json.Valid(body) {
		http.Error(w, "malformed body", http.StatusBadRequest)
		return
	}
	// Other resources (items, customers) are for other syncs; a body this
	// intake cannot read is acknowledged, not retried forever.
	payload, err := heartland.DecodeWebhook("", body)
	w.WriteHeader(http.StatusAccepted)
	if err != nil || payload.Event != heartland.EventSalesTransactionCompleted {
		in.logger.Debug("Heartland webhook ignored", "connection", connectionID, "event", payload.Event)
		return
	}
	refs := transactionRefs(body)
	changed := workflows.InventoryChanged{Source: workflows.InventorySourceSale, ItemIDs: refs.itemIDs()}
	in.goNudge(func(ctx context.Context) { in.nudge(ctx, connectionID, changed, refs.OrderID) })
}

// nudge signals the workflows a completed transaction concerns.
func (in *Intake) nudge(ctx context.Context, connectionID string, changed workflows.InventoryChanged, heartlandOrderID int64) {
	ctx, cancel := context.WithTimeout(ctx, signalTimeout)
	defer cancel()
	err := in.workflows.SignalInventoryChanged(ctx, connectionID, changed)
	switch {
	case errors.Is(err, starter.ErrInventoryNotRunning):
		in.logger.Debug("Heartland sale ignored: inventory sync not running", "connection", connectionID)
	case err != nil:
		in.logger.Warn("Heartland sale not signalled", "connection", connectionID, "error", err)
	}
	if heartlandOrderID > 0 {
		if err := in.workflows.HeartlandOrderChanged(ctx, connectionID, heartlandOrderID); err != nil {
			in.logger.Warn("Heartland invoice not signalled", "connection", connectionID, "order", heartlandOrderID, "error", err)
		}
	}
}

// txRefs are the references a transaction body may carry besides what
// heartland.Transaction decodes: its lines' items (when embedded) and, for
// an invoice, its sales order.
type txRefs struct {
	OrderID int64 `json:"order_id"`
	Lines   []struct {
		ItemID int64 `json:"item_id"`
	} `json:"lines"`
}

// transactionRefs reads the references of a transaction body.
func transactionRefs(body []byte) txRefs {
	var t txRefs
	_ = json.Unmarshal(body, &t)
	return t
}

// itemIDs lists the distinct items of the embedded lines (usually none:
// the sync then learns the items from its movement feed).
func (t txRefs) itemIDs() []int64 {
	var ids []int64
	for _, l := range t.Lines {
		if l.ItemID > 0 && !slices.Contains(ids, l.ItemID) {
			ids = append(ids, l.ItemID)
		}
	}
	return ids
}
