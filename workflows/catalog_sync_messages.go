package workflows

import (
	"encoding/json"
	"time"

	"github.com/hrbc/hrbc/activities"
)

// Message names of the catalog workflows.
const (
	// CatalogProgressQuery returns a run's CatalogProgress (also its result).
	CatalogProgressQuery = "progress"
	// CatalogSettingsSignal hands CatalogFollow new connection Settings; it
	// ends when the catalog mode is no longer pull.
	CatalogSettingsSignal = "settings"
	// CatalogProductCreatedSignal carries a ProductCreated: pull it now.
	CatalogProductCreatedSignal = "productCreated"
	// CatalogPullStartedSignal carries a PullStarted from a full pull to
	// CatalogFollow, whose sweeps then leave the pull's products to it.
	CatalogPullStartedSignal = "pullStarted"
	// CatalogFollowStatusQuery returns a CatalogFollowStatus.
	CatalogFollowStatusQuery = "status"
)

// Stages of catalog workflows, also written to HrbcStage.
const (
	// CatalogStageRunning is a push or pull going through pages.
	CatalogStageRunning = "catalog_running"
	// CatalogStageDone is a finished run (see HrbcAttention for failures).
	CatalogStageDone = "catalog_done"
	// CatalogStageFailed is a run stopped by an error it could not retry.
	CatalogStageFailed = "catalog_failed"
	// CatalogStageFollowing is the follower waiting for new products.
	CatalogStageFollowing = "catalog_following"
	// CatalogStageStopped is a follower ended because pull mode is off.
	CatalogStageStopped = "catalog_stopped"
)

// Defaults of catalog runs.
const (
	// DefaultCatalogPullPageSize is the BigCommerce products per pull page:
	// BigCommerce's largest, so a pull reads as few pages (and looks their
	// SKUs up in as few Heartland calls) as the API allows. A page that
	// takes long to write is split by the activity's time budget.
	DefaultCatalogPullPageSize = 250
	// DefaultCatalogPushPageSize is the Heartland items per push page.
	DefaultCatalogPushPageSize = activities.DefaultPushPageSize
	// DefaultCatalogPagesPerRun bounds the pages of one run before it
	// continues as new, even if the server has not suggested it yet.
	DefaultCatalogPagesPerRun = 200
	// DefaultCatalogSweepInterval is how often CatalogFollow looks for
	// products a webhook did not bring.
	DefaultCatalogSweepInterval = time.Minute
	// catalogSweepOverlap is how far before its start a new follower looks,
	// for clock skew between the worker and BigCommerce (a product seen
	// twice is skipped: its Item # exists).
	catalogSweepOverlap = time.Minute
)

// Aliases of the activity payloads the starter and CLI read.
type (
	// CatalogCounts tally a run.
	CatalogCounts = activities.CatalogCounts
	// CatalogProblem names one record that needs a person.
	CatalogProblem = activities.CatalogProblem
	// CatalogPlanned is one change of a dry run.
	CatalogPlanned = activities.CatalogPlanned
	// CatalogLinksReport is the answer of `catalog links`.
	CatalogLinksReport = activities.CatalogLinksReport
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

// ProductCreated is the payload of CatalogProductCreatedSignal.
type ProductCreated struct {
	// ProductID is the BigCommerce product id.
	ProductID int `json:"product_id"`
}

// PullStarted is the payload of CatalogPullStartedSignal.
type PullStarted struct {
	// At is when the full pull started: it reads every product created
	// before, so the follower's sweeps need only look at products created
	// since.
	At time.Time `json:"at"`
}

// CatalogFollowInput starts, or continues as new, a CatalogFollow.
type CatalogFollowInput struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Settings are the connection's settings; the follower runs while the
	// catalog mode is pull.
	Settings Settings `json:"settings"`
	// SweepInterval is how often products created since the watermark are
	// looked for (0: DefaultCatalogSweepInterval).
	SweepInterval time.Duration `json:"sweep_interval,omitempty"`
	// Defaults fill required Heartland item custom fields (see CatalogRunOptions).
	Defaults map[string]string `json:"defaults,omitempty"`
	// Watermark is the newest date_created swept; zero on a first start
	// (the follower then starts a minute before now).
	Watermark time.Time `json:"watermark,omitzero"`
	// Pending are product ids signalled and not yet pulled.
	Pending []int `json:"pending,omitempty"`
	// Status is carried across continue-as-new.
	Status CatalogFollowStatus `json:"status"`
}

// CatalogFollowStatus is the answer of the follower's status query.
type CatalogFollowStatus struct {
	// Watermark is the newest date_created swept.
	Watermark time.Time `json:"watermark,omitzero"`
	// Sweeps counts sweeps; Signals counts productCreated signals.
	Sweeps  int `json:"sweeps"`
	Signals int `json:"signals"`
	// Counts tally what the follower pulled.
	Counts CatalogCounts `json:"counts"`
	// Problems name products that could not be pulled (bounded).
	Problems []CatalogProblem `json:"problems,omitempty"`
	// Attention is why the follower needs a person, empty when fine.
	Attention string `json:"attention,omitempty"`
	// LastError is the last failure of an activity (retried next sweep).
	LastError string `json:"last_error,omitempty"`
}

// CatalogLinksInput starts a CatalogLinkReport.
type CatalogLinksInput struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// MaxNames bounds each list of SKUs (0: 200).
	MaxNames int `json:"max_names,omitempty"`
}
