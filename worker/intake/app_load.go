package intake

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hrbc/hrbc/starter"
)

// verified checks the request's signed_payload_jwt through the guard (a
// client that fails too often gets 429); a refusal is a bare 401, its
// reason only in the log.
func (a *appCallbacks) verified(w http.ResponseWriter, r *http.Request, what string) (verifiedStore, bool) {
	var store verifiedStore
	var reason error
	ok := a.in.guard.Check(w, r, "BigCommerce "+what, func() bool {
		store, reason = verifySignedPayload(r.URL.Query().Get("signed_payload_jwt"), a.app.ClientID, a.app.ClientSecret, a.app.Now)
		return reason == nil
	})
	if !ok && reason != nil {
		a.in.logger.Debug("BigCommerce "+what+" refused", "reason", reason.Error())
	}
	return store, ok
}

// load is the load callback: the merchant opened the app in the control
// panel. A verified request opens the page of the store's connection.
func (a *appCallbacks) load(w http.ResponseWriter, r *http.Request) {
	store, ok := a.verified(w, r, "load callback")
	if !ok {
		return
	}
	a.open(w, r, a.app.ConnectionID(store.StoreHash), store.UserEmail)
}

// uninstall is the uninstall callback: every sync of the store's
// connection stops and its credentials are deleted; its orders keep their
// workflows and history. Answering 200 for a connection that is already
// gone keeps BigCommerce from retrying.
func (a *appCallbacks) uninstall(w http.ResponseWriter, r *http.Request) {
	store, ok := a.verified(w, r, "uninstall callback")
	if !ok {
		return
	}
	id := a.app.ConnectionID(store.StoreHash)
	ctx, cancel := context.WithTimeout(r.Context(), appCallTimeout)
	defer cancel()
	_, err := a.app.Connector.UninstallConnection(ctx, id, fmt.Sprintf("BigCommerce app uninstalled by user %d", store.UserID))
	switch {
	case errors.Is(err, starter.ErrConnectionNotFound):
		a.in.logger.Info("BigCommerce app uninstalled from a store without a connection", "store", store.StoreHash)
	case err != nil:
		a.in.logger.Error("BigCommerce uninstall callback: connection not uninstalled", "connection", id, "error", err)
		http.Error(w, "uninstall not recorded, try again", http.StatusServiceUnavailable)
		return
	default:
		a.in.logger.Info("BigCommerce app uninstalled: syncs stopped, credentials deleted", "connection", id)
	}
	w.WriteHeader(http.StatusNoContent)
}

// removeUser is the remove_user callback: a control-panel user lost
// access to the app. hrbc keeps nothing per user, so a verified request
// is acknowledged and logged by user id only.
func (a *appCallbacks) removeUser(w http.ResponseWriter, r *http.Request) {
	store, ok := a.verified(w, r, "remove_user callback")
	if !ok {
		return
	}
	a.in.logger.Info("BigCommerce app user removed", "connection", a.app.ConnectionID(store.StoreHash), "userID", store.UserID)
	w.WriteHeader(http.StatusNoContent)
}
