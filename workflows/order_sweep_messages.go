package workflows

import "time"

// Message names of the OrderSweep workflow.
const (
	// SweepSettingsSignal hands the sweep new connection settings; with
	// order sync off the sweep ends.
	SweepSettingsSignal = "settings"
	// SweepNowSignal runs a sweep at once instead of at the next tick.
	SweepNowSignal = "sweepNow"
	// SweepStatusQuery returns the SweepStatus.
	SweepStatusQuery = "status"
)

// DefaultOrderSweepInterval is the sweep's period when the connection's
// settings do not name one.
const DefaultOrderSweepInterval = time.Minute

// OrderSweepInput starts or continues an OrderSweep.
type OrderSweepInput struct {
	ConnectionID string   `json:"connection_id"`
	Settings     Settings `json:"settings"`
	// Watermark is the newest date_modified already swept (RFC 3339).
	Watermark string `json:"watermark,omitempty"`
	// Swept counts orders handed to Order workflows over all runs.
	Swept int `json:"swept"`
	// Rounds counts the listings the sweep has acted on over all runs.
	Rounds int `json:"rounds,omitempty"`
	// Attention is why the last round failed, empty when it did not.
	Attention string `json:"attention,omitempty"`
	// Failures counts failed rounds in a row; the pause grows with it.
	Failures int `json:"failures,omitempty"`
	// HooksNote says which deactivated webhooks the sweep re-enabled; it
	// is shown as attention until HooksNoteUntil.
	HooksNote      string    `json:"hooks_note,omitempty"`
	HooksNoteUntil time.Time `json:"hooks_note_until,omitzero"`
}

// SweepStatus is what the sweep's status query returns.
type SweepStatus struct {
	Watermark string `json:"watermark,omitempty"`
	Swept     int    `json:"swept"`
	// Rounds counts the listings the sweep has acted on.
	Rounds int `json:"rounds,omitempty"`
	// Attention is why the sweep needs a person; empty when it does not.
	Attention string `json:"attention,omitempty"`
	// Failures counts failed rounds in a row.
	Failures int `json:"failures,omitempty"`
}
