package workflows

import (
	"time"

	"github.com/hrbc/hrbc/activities"
)

// Message names of the InventorySync workflow.
const (
	// InventorySettingsSignal carries new connection Settings: a change of
	// the contributing locations starts a full resync, InventorySync off
	// ends the workflow cleanly.
	InventorySettingsSignal = "settings"
	// InventoryChangedSignal carries an InventoryChanged: recompute now.
	InventoryChangedSignal = "changed"
	// InventoryFullSyncSignal carries an InventoryFullSyncRequest: run a full
	// sync now (after the one running, if any).
	InventoryFullSyncSignal = "fullSync"
	// InventoryProgressQuery returns an InventoryProgress.
	InventoryProgressQuery = "progress"
	// InventoryUnmatchedQuery returns an InventoryUnmatched.
	InventoryUnmatchedQuery = "unmatched"
)

// Stages of an inventory sync, also written to the HrbcStage search attribute.
const (
	// StageFullSync is a full sync in progress (or waiting to retry).
	StageFullSync = "full_sync"
	// StageIncremental is the steady state: Heartland changes are followed.
	StageIncremental = "incremental"
	// StageReconcile is a reconciliation pass in progress.
	StageReconcile = "reconcile"
	// StageStopped is an inventory sync that was turned off.
	StageStopped = "stopped"
)

// Defaults of InventoryOptions.
const (
	// DefaultInventoryPollInterval is how often Heartland is polled for changes.
	DefaultInventoryPollInterval = 2 * time.Second
	// DefaultInventoryReconcileInterval is how often every SKU is compared.
	DefaultInventoryReconcileInterval = 15 * time.Minute
	// DefaultInventoryRetryInterval is the wait before a failed pass is retried.
	DefaultInventoryRetryInterval = time.Minute
	// DefaultInventoryRunRounds bounds the rounds of one run before it
	// continues as new even if the server has not suggested it yet.
	DefaultInventoryRunRounds = 2000
)

// InventoryOptions tune an inventory sync; zero values pick the defaults.
type InventoryOptions struct {
	// PollInterval is how often Heartland is polled (default 2 s).
	PollInterval time.Duration `json:"poll_interval,omitempty"`
	// ReconcileInterval is how often every linked SKU is compared on both
	// sides and drift corrected (default 15 min).
	ReconcileInterval time.Duration `json:"reconcile_interval,omitempty"`
	// RetryInterval is the wait before a failed pass is retried (default 1 min).
	RetryInterval time.Duration `json:"retry_interval,omitempty"`
	// SafetyBuffer units are held back per SKU (default 0). Levels are
	// floored at zero whatever the buffer.
	SafetyBuffer int `json:"safety_buffer,omitempty"`
	// BigCommerceLocationID receives the quantities (default 0: the store's
	// default inventory location, the one the storefront sells from).
	BigCommerceLocationID int `json:"bigcommerce_location_id,omitempty"`
	// ChunkItems is how many Heartland items one pass activity reads
	// (default activities.DefaultPassChunkItems).
	ChunkItems int `json:"chunk_items,omitempty"`
	// RunRounds bounds the rounds of one run before continue-as-new
	// (default DefaultInventoryRunRounds).
	RunRounds int `json:"run_rounds,omitempty"`
	// GuardZeroPercent holds back a full sync or reconciliation that would
	// set more than this share of the store's in-stock SKUs to 0 (default
	// 20; 100: no limit).
	GuardZeroPercent int `json:"guard_zero_percent,omitempty"`
	// GuardDropPercent holds back one that would lower the store's total
	// quantity by more than this share (default 50; 100: no limit).
	GuardDropPercent int `json:"guard_drop_percent,omitempty"`
}

// withDefaults fills the zero options.
func (o InventoryOptions) withDefaults() InventoryOptions {
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultInventoryPollInterval
	}
	if o.ReconcileInterval <= 0 {
		o.ReconcileInterval = DefaultInventoryReconcileInterval
	}
	if o.RetryInterval <= 0 {
		o.RetryInterval = DefaultInventoryRetryInterval
	}
	if o.ChunkItems <= 0 {
		o.ChunkItems = activities.DefaultPassChunkItems
	}
	if o.RunRounds <= 0 {
		o.RunRounds = DefaultInventoryRunRounds
	}
	o.SafetyBuffer = max(o.SafetyBuffer, 0)
	return o
}

// InventorySyncInput starts, or continues as new, an InventorySync.
type InventorySyncInput struct {
	// ConnectionID names the connection; it is also in the workflow ID.
	ConnectionID string `json:"connection_id"`
	// Settings are the connection's settings (locations, InventorySync).
	Settings Settings `json:"settings"`
	// Options tune the sync.
	Options InventoryOptions `json:"options,omitzero"`
	// State is carried across continue-as-new; nil on a first start, which
	// begins with a full sync.
	State *InventoryState `json:"state,omitempty"`
}

// InventoryChanged is the payload of the changed signal (activities send
// it too, hence its home there).
type InventoryChanged = activities.InventoryChanged

// InventorySourceSale is the Source of the changed signal Heartland's
// sales_transaction_completed webhook sends: a sale at a register, which
// the movement feed logs (see tellAlongside).
const InventorySourceSale = "sales_transaction_completed"

// InventoryFullSyncRequest is the payload of the fullSync signal.
type InventoryFullSyncRequest struct {
	// Reason is logged ("cli", "settings", ...).
	Reason string `json:"reason,omitempty"`
	// Options, when set, replace the running sync's options from this full
	// sync on (an operator's `sync inventory --safety-buffer 2`).
	Options *InventoryOptions `json:"options,omitempty"`
	// Confirm lets the next full sync write even if the guard would hold
	// it back (`sync inventory --confirm`), once.
	Confirm bool `json:"confirm,omitempty"`
}

// InventoryPassProgress describes the last (or running) full sync or
// reconciliation.
type InventoryPassProgress struct {
	// Running is set while the pass runs.
	Running bool `json:"running"`
	// StartedAt is when the pass started.
	StartedAt time.Time `json:"started_at,omitzero"`
	// FinishedAt is when the pass last completed.
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// Total is the number of Heartland items to read.
	Total int `json:"total"`
	// Counts are the tallies so far (read, written, skipped, unmatched, untracked).
	activities.InventoryPassCounts
	// BigCommerceOnly counts BigCommerce SKUs no Heartland item matched.
	BigCommerceOnly int `json:"bigcommerce_only"`
	// Writes counts adjustment requests sent.
	Writes int `json:"writes"`
}

// InventoryProgress is the answer of the progress query.
type InventoryProgress struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Stage is full_sync, incremental, reconcile or stopped.
	Stage string `json:"stage"`
	// Attention is why a person should look, empty when fine.
	Attention string `json:"attention,omitempty"`
	// LastError is the last activity failure, cleared by the next success.
	LastError string `json:"last_error,omitempty"`
	// RejectedCount counts SKU levels BigCommerce refused in the last pass
	// and the rounds since (see Rejected); zero when everything works.
	RejectedCount int `json:"rejected_count"`
	// Rejected is a sample of them, as "SKU: reason".
	Rejected []string `json:"rejected,omitempty"`
	// FullSync describes the last or running full sync.
	FullSync InventoryPassProgress `json:"full_sync"`
	// FullSyncPending is set while a full sync waits to run.
	FullSyncPending bool `json:"full_sync_pending"`
	// FullSyncs counts completed full syncs.
	FullSyncs int `json:"full_syncs"`
	// Reconcile describes the last or running reconciliation.
	Reconcile InventoryPassProgress `json:"reconcile"`
	// Reconciles counts completed reconciliations.
	Reconciles int `json:"reconciles"`
	// LastCorrections is how many SKUs the last reconciliation corrected
	// (zero when everything works).
	LastCorrections int `json:"last_corrections"`
	// TotalCorrections sums the corrections of every reconciliation.
	TotalCorrections int `json:"total_corrections"`
	// NextReconcileAt is when the next reconciliation is due.
	NextReconcileAt time.Time `json:"next_reconcile_at,omitzero"`
	// Watermark is the time Heartland changes are read from.
	Watermark time.Time `json:"watermark,omitzero"`
	// Polls counts incremental rounds.
	Polls int `json:"polls"`
	// Movements counts the Heartland stock movements the rounds read.
	Movements int `json:"movements"`
	// IncrementalWrites counts the SKU levels the rounds wrote.
	IncrementalWrites int `json:"incremental_writes"`
	// LastWriteAt is when an incremental round last wrote a level.
	LastWriteAt time.Time `json:"last_write_at,omitzero"`
	// Generation counts runs of this entity (continue-as-new increments it).
	Generation int `json:"generation"`
	// Hold is the full sync or reconciliation held back by the guard,
	// nil when none is.
	Hold *InventoryHold `json:"hold,omitempty"`
	// Holds counts the passes held back so far.
	Holds int `json:"holds"`
	// LastBlast is what the last guarded pass would write (or wrote), as
	// worked out before it: the blast radius of a first full sync.
	LastBlast *activities.InventoryBlast `json:"last_blast,omitempty"`
	// Settings are the settings in force.
	Settings Settings `json:"settings"`
	// SafetyBuffer is the number of units held back per SKU.
	SafetyBuffer int `json:"safety_buffer"`
}

// InventoryUnmatched is the answer of the unmatched query: the SKUs found on
// one side only by the last full sync or reconciliation. Lists are samples
// (at most 50 per chunk of the pass); the counts are exact.
type InventoryUnmatched struct {
	// AsOf is when the pass that found them finished.
	AsOf time.Time `json:"as_of,omitzero"`
	// HeartlandOnly are Item #s no BigCommerce SKU matches (a sample).
	HeartlandOnly []string `json:"heartland_only"`
	// HeartlandOnlyCount counts them all.
	HeartlandOnlyCount int `json:"heartland_only_count"`
	// BigCommerceOnly are BigCommerce SKUs no Heartland item matches (a sample).
	BigCommerceOnly []string `json:"bigcommerce_only"`
	// BigCommerceOnlyCount counts them all.
	BigCommerceOnlyCount int `json:"bigcommerce_only_count"`
	// Untracked are linked SKUs whose product does not track inventory (or
	// variants of a product tracked by product): reported, never written.
	Untracked []string `json:"untracked"`
	// UntrackedCount counts them all.
	UntrackedCount int `json:"untracked_count"`
}

// InventoryState is what an InventorySync carries across continue-as-new.
type InventoryState struct {
	// Progress holds counts, cursors and the watermark.
	Progress InventoryProgress `json:"progress"`
	// SeenIDs are the Heartland movements at the watermark already handled.
	SeenIDs []int64 `json:"seen_ids,omitempty"`
	// AfterID is the newest Heartland movement id handled (0: unknown).
	AfterID int64 `json:"after_id,omitempty"`
	// PendingItemIDs are items named by changed signals not yet recomputed.
	PendingItemIDs []int64 `json:"pending_item_ids,omitempty"`
	// Dirty is set when a changed signal asked for an immediate round.
	Dirty bool `json:"dirty,omitempty"`
	// RetryAt delays a failed full sync.
	RetryAt time.Time `json:"retry_at,omitzero"`
	// Passes numbers the passes, for their IDs.
	Passes int `json:"passes"`
	// Unmatched is the last pass's one-side-only report.
	Unmatched InventoryUnmatched `json:"unmatched"`
	// Hold is the pass the guard holds back, nil when none.
	Hold *InventoryHold `json:"hold,omitempty"`
	// Confirmed lets the next guarded pass write whatever its figures.
	Confirmed bool `json:"confirmed,omitempty"`
	// QuietReconciles counts the reconciliations in a row that corrected
	// nothing with no Heartland movement or signal between them; each
	// doubles the wait before the next (see reconcileWait).
	QuietReconciles int `json:"quiet_reconciles,omitempty"`
}
