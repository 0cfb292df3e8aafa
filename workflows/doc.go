// Package workflows holds hrbc's Temporal workflows: the business processes
// that keep a Heartland Retail account and a BigCommerce store in step.
//
// # Files
//
// Every workflow is laid out alike, <name> being its function's name in
// snake case (OrderSweep: order_sweep): <name>.go is the workflow body,
// <name>_messages.go its types (input, result, signal, update and query
// payloads, status structs, stages, error types and the names of its
// signals, updates and queries), and <name>_<part>.go a helper of that
// workflow (order_import.go, inventory_sync_rounds.go). Shared by all:
// ids.go (every workflow ID), searchattributes.go, connection_settings.go
// (the Settings every follower receives) and failure.go.
//
// # Workflows
//
// Every workflow sets HrbcConnection; the other search attributes are named
// where a workflow sets them. Names in parentheses are the Go constants.
//
// Connection (connection.go), ID connection/<connection>: the entity that
// holds a connection's Settings. Started by starter with update-with-start.
//   - update configure (ConfigureUpdate): ConfigureRequest → ConnectionStatus;
//     a validator rejects bad settings, a stale ExpectedVersion or a second
//     create without a trace in history; the handler then checks the
//     locations against the live Heartland account (CheckConnection,
//     settings only) and refuses, changing nothing, a location it lacks
//   - signal checked (ConnectionCheckedSignal): a CheckReport a client's
//     ConnectionCheck ran; it becomes the status's Check
//   - after each change of settings runs the full CheckConnection; its
//     report is the status's Check, its failures HrbcAttention
//   - query settings (SettingsQuery) → *Settings
//   - query status (StatusQuery) → ConnectionStatus
//   - update credentials (CredentialsUpdate, connection_credentials.go):
//     CredentialsRequest → CredentialsSummary; a runtime connection's API
//     credentials (the app install, the app page's Heartland form), checked
//     by ValidateCredentials, verified by VerifyCredentials (one call per
//     API) and saved in the state (encrypted by the payload codec)
//   - query credentials (CredentialsQuery) → *Credentials, secrets
//     included: workers build their clients from it
//   - update uninstall (UninstallUpdate): UninstallRequest → ConnectionStatus;
//     every sync off, credentials deleted, orders untouched
//   - search attributes: HrbcStage (unconfigured, configured), HrbcAttention
//     (webhooks not registered, checks that failed)
//   - starts OrderSweep, HeartlandSweep, CatalogFollow and InventorySync as abandoned
//     children when the settings turn them on, and signals the new settings
//     to those running (a follower turned off ends itself)
//
// ConnectionCheck (connection_check.go), ID
// connection-check/<connection>/<random id>: one run of the checks of a
// connection against both live accounts (CheckConnection); its result is
// the CheckReport. Started by starter (`connection check`, and before
// `connection create` and `configure` with the proposed settings).
//
// Order (order.go), ID order/<connection>/<order number>: one BigCommerce
// order from import into Heartland to closed. Started by starter (the
// webhook intake and `orders import`: signal-with-start of bcOrderChanged;
// the intake's store/order/created: a plain start, eager where it can) and
// by OrderSweep (child).
//   - signal bcOrderChanged (OrderBigCommerceChangedSignal): optional
//     OrderChange; the order is read again unless it has read that state
//   - signal heartlandChanged (OrderHeartlandChangedSignal): no payload;
//     something changed in Heartland (sent by HeartlandSweep): read the
//     Heartland order (lines distributed, cancelled or closed by staff in
//     Heartland's screens) and look for new invoices now
//   - signal settings (OrderSettingsSignal): Settings, sent by OrderSweep
//     when auto-distribute is turned on; only the auto-distribute location
//     is taken, and a waiting order is distributed at once
//   - update distribute (OrderDistributeUpdate): DistributeOrderRequest →
//     OrderState
//   - update retry (OrderRetryUpdate): no argument → OrderState; rejected
//     unless the order needs attention
//   - signal distribute (OrderDistributeSignal) and signal retry
//     (OrderRetrySignal): the same commands for tools that only signal,
//     checked when handled; a refused one is OrderState.LastRejected
//   - query status (OrderStatusQuery) → OrderState
//   - search attributes: HrbcStage (waiting_status, importing,
//     awaiting_distribution, fulfilling, closed, cancelled, attention),
//     HrbcBigCommerceOrderID, HrbcHeartlandOrderID (once imported),
//     HrbcAttention
//
// OrderSweep (order_sweep.go), ID order-sweep/<connection>: lists orders
// modified since its watermark every Settings.OrderSweepSeconds (default
// DefaultOrderSweepInterval) and starts or signals their Order workflows;
// between rounds, an order is handed over at the second listing that finds
// it unread (activities.Orders.WaitModifiedOrders).
//   - signal settings (SweepSettingsSignal): Settings; order sync off ends it
//   - signal sweepNow (SweepNowSignal): no payload; sweep at once
//   - turning auto-distribute on signals settings to every order Awaiting
//     Fulfillment, so those already waiting are distributed
//   - query status (SweepStatusQuery) → SweepStatus
//   - search attributes: HrbcStage (sweeping)
//
// HeartlandSweep (heartland_sweep.go), ID heartland-sweep/<connection>:
// OrderSweep's twin on the Heartland side: every
// Settings.HeartlandSweepSeconds (default DefaultHeartlandSweepInterval)
// lists the web orders whose sales order or invoices changed in Heartland
// since its watermark and signals their Order workflows heartlandChanged.
// Started by Connection (child) with OrderSweep.
//   - signal settings (HeartlandSweepSettingsSignal): Settings; order sync
//     off ends it
//   - signal sweepNow (HeartlandSweepNowSignal): no payload; sweep at once
//   - query status (HeartlandSweepStatusQuery) → HeartlandSweepStatus
//   - search attributes: HrbcStage (sweeping), HrbcAttention (rounds failing)
//
// InventorySync (inventory_sync.go), ID inventory/<connection>: Heartland
// quantities to BigCommerce: full sync, incremental rounds, reconciliation.
// Started by Connection (child) or by starter (signal-with-start of
// fullSync).
//   - signal settings (InventorySettingsSignal): Settings; changed locations
//     start a full sync, inventory sync off ends it
//   - signal changed (InventoryChangedSignal): InventoryChanged; recompute now
//     (also sent by CatalogSync and CatalogFollow for the items a page
//     linked, so that their web stock is written at once)
//   - signal fullSync (InventoryFullSyncSignal): InventoryFullSyncRequest;
//     with Confirm the next full sync writes whatever the guard says
//   - every full sync and reconciliation runs first as a dry run; one that
//     would zero more than GuardZeroPercent of the in-stock SKUs, lower the
//     store's stock by more than GuardDropPercent, or (a first full sync)
//     zero any SKU writes nothing and is held (InventoryProgress.Hold,
//     stage attention) until confirmed or the settings change
//   - query progress (InventoryProgressQuery) → InventoryProgress
//   - query unmatched (InventoryUnmatchedQuery) → InventoryUnmatched
//   - search attributes: HrbcStage (full_sync, incremental, reconcile,
//     attention, stopped), HrbcAttention
//
// CatalogSync (catalog_sync.go), ID catalog/<connection>/push or
// catalog/<connection>/pull (CatalogWorkflowID with CatalogKindPush or
// CatalogKindPull): one push or pull of the catalog, a page per activity.
// Started by starter; its result is the final CatalogProgress.
//   - query progress (CatalogProgressQuery) → CatalogProgress
//   - search attributes: HrbcStage (catalog_running, catalog_done,
//     catalog_failed), HrbcAttention
//   - a pull signals pullStarted to the connection's CatalogFollow
//
// CatalogFollow (catalog_follow.go), ID catalog/<connection>/follow: in pull
// mode, pulls every product created in BigCommerce afterwards. Started by
// Connection (child) or by starter (signal-with-start of settings).
//   - signal settings (CatalogSettingsSignal): Settings; a mode other than
//     pull ends it
//   - signal productCreated (CatalogProductCreatedSignal): ProductCreated
//   - signal pullStarted (CatalogPullStartedSignal): PullStarted
//   - query status (CatalogFollowStatusQuery) → CatalogFollowStatus
//   - search attributes: HrbcStage (catalog_following, catalog_stopped),
//     HrbcAttention
//
// CatalogLinkReport (catalog_link_report.go), ID catalog/<connection>/links:
// which SKUs are linked, on one side only, or cannot be linked; writes
// nothing. Started by starter; no signals, updates or queries; its result
// is a CatalogLinksReport.
//   - search attributes: HrbcStage (catalog_running, catalog_done),
//     HrbcAttention (SKUs that cannot be linked)
//
// # Rules
//
// Workflow code here is deterministic: it reads time through workflow.Now,
// never ranges over maps where order matters and starts no goroutines. The
// workflowcheck analyzer enforces this in CI. Changes to a workflow's
// command sequence are versioned with workflow.GetVersion; the replay test
// in worker/ holds them to that.
//
// This package imports activities (for activity payloads and method-value
// handles) but never the API clients (activities/bigcommerce,
// activities/heartland), worker, starter or cmd; imports_test.go checks
// these and the other layering rules of the module.
package workflows
