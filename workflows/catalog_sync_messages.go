package workflows

import (
	"encoding/json"
	"time"

	"github.com/hrbc/hrbc/activities"
)

// Message names of the CatalogSync workflow.
const (
	// CatalogProgressQuery returns a run's CatalogProgress (also its result).
	CatalogProgressQuery = "progress"
)

// Stages of a CatalogSync, also written to HrbcStage; CatalogLinkReport
// shows the first two.
const (
	// CatalogStageRunning is a push or pull going through pages.
	CatalogStageRunning = "catalog_running"
	// CatalogStageDone is a finished run (see HrbcAttention for failures).
	CatalogStageDone = "catalog_done"
	// CatalogStageFailed is a run stopped by an error it could not retry.
	CatalogStageFailed = "catalog_failed"
)

// Defaults of catalog runs.
const (
	// DefaultCatalogPullPageSize is the BigCommerce products per pull page:
	// BigCommerce's largest, so a pull reads as few pages (and looks their
	// SKUs up in as few Heartland calls) as the API allows. A page that
	// takes long to write is split by the activity's time budget.
	DefaultCatalogPullPageSize = 250
	// DefaultCatalogPagesPerRun bounds the pages of one run before it
	// continues as new, even if the server has not suggested it yet.
	DefaultCatalogPagesPerRun = 200
)

// ErrTypeCatalogKind marks a catalog run of an unknown kind.
const ErrTypeCatalogKind = "UnknownCatalogKind"

// Aliases of the activity payloads the starter and CLI read.
type (
	// CatalogCounts tally a run.
	CatalogCounts = activities.CatalogCounts
	// CatalogProblem names one record that needs a person.
	CatalogProblem = activities.CatalogProblem
	// CatalogPlanned is one change of a dry run.
	CatalogPlanned = activities.CatalogPlanned
)

// CatalogRunOptions say what one push or pull does.
type CatalogRunOptions struct {
	// Update (push) also updates name, price, weight and visibility of
	// products already linked; otherwise the push only creates.
	Update bool `json:"update,omitempty"`
	// DryRun writes nothing and lists what would change.
	DryRun bool `json:"dry_run,omitempty"`
	// Filter (push) is an extra Heartland item filter, a JSON object as
	// _filter takes it, e.g. {"custom@sold_online":"yes"}.
	Filter json.RawMessage `json:"filter,omitempty"`
	// Defaults (pull) fill required Heartland item custom fields, keyed by
	// field name or key.
	Defaults map[string]string `json:"defaults,omitempty"`
	// PageSize is the records read per activity (0: the kind's default).
	PageSize int `json:"page_size,omitempty"`
	// MaxNames bounds the named problems kept (0: 200).
	MaxNames int `json:"max_names,omitempty"`
	// PagesPerRun bounds pages before continue-as-new (0: 200).
	PagesPerRun int `json:"pages_per_run,omitempty"`
}

// CatalogRunInput starts, or continues as new, a CatalogSync.
type CatalogRunInput struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Kind is CatalogKindPush or CatalogKindPull.
	Kind string `json:"kind"`
	// Options say what the run does.
	Options CatalogRunOptions `json:"options,omitzero"`
	// State is carried across continue-as-new; nil on a first start.
	State *CatalogRunState `json:"state,omitempty"`
}

// CatalogRunState is where a run is: never the catalog, only counts,
// bounded names and a cursor.
type CatalogRunState struct {
	// Progress is what the query shows.
	Progress CatalogProgress `json:"progress"`
	// Page is the next pull page (1-based).
	Page int `json:"page,omitempty"`
	// Resume is how many records of Page are done when the previous
	// activity's time budget cut it.
	Resume int `json:"resume,omitempty"`
	// Keyset pulls read the products after AfterID in id order (runs
	// started before catalogPullKeysetChange page by number).
	Keyset bool `json:"keyset,omitempty"`
	// AfterID is the last product id of the pages done (Keyset).
	AfterID int `json:"after_id,omitempty"`
	// Cursor is the push's position in the Heartland item walk.
	Cursor json.RawMessage `json:"cursor,omitempty"`
	// Fields are the pull's custom-field keys, once ensured.
	Fields *activities.CatalogFieldKeys `json:"fields,omitempty"`
}

// CatalogProgress is the answer of the progress query and the result of a
// run: counts, at most MaxNames named problems (and plans of a dry run).
type CatalogProgress struct {
	// ConnectionID and Kind name the run.
	ConnectionID string `json:"connection_id"`
	Kind         string `json:"kind"`
	// Stage is CatalogStageRunning, CatalogStageDone or CatalogStageFailed.
	Stage string `json:"stage"`
	// DryRun is set when nothing was written.
	DryRun bool `json:"dry_run,omitempty"`
	// Pages counts pages done; TotalPages and Total are the pull's size
	// as BigCommerce reports it (0 when unknown).
	Pages      int `json:"pages"`
	TotalPages int `json:"total_pages,omitempty"`
	Total      int `json:"total,omitempty"`
	// Counts tally records over all pages and runs.
	Counts CatalogCounts `json:"counts"`
	// Problems name failed, partially saved or skipped records.
	Problems []CatalogProblem `json:"problems,omitempty"`
	// Planned lists a dry run's changes.
	Planned []CatalogPlanned `json:"planned,omitempty"`
	// Dropped counts names left out of Problems and Planned.
	Dropped int `json:"dropped,omitempty"`
	// Attention is why the run needs a person, empty when fine.
	Attention string `json:"attention,omitempty"`
	// Error is what stopped a failed run.
	Error string `json:"error,omitempty"`
	// StartedAt and FinishedAt bound the run (all its continuations).
	StartedAt  time.Time `json:"started_at,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// Runs counts continue-as-new generations.
	Runs int `json:"runs"`
}

// Done reports whether the run has finished (well or not).
func (p CatalogProgress) Done() bool {
	return p.Stage == CatalogStageDone || p.Stage == CatalogStageFailed
}
