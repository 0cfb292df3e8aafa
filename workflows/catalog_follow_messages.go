package workflows

import "time"

// Message names of the CatalogFollow workflow.
const (
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

// Stages of a CatalogFollow, also written to HrbcStage.
const (
	// CatalogStageFollowing is the follower waiting for new products.
	CatalogStageFollowing = "catalog_following"
	// CatalogStageStopped is a follower ended because pull mode is off.
	CatalogStageStopped = "catalog_stopped"
)

// DefaultCatalogSweepInterval is how often CatalogFollow looks for
// products a webhook did not bring.
const DefaultCatalogSweepInterval = time.Minute

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
