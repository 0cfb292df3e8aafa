package workflows

import (
	"time"

	"github.com/hrbc/hrbc/activities"
)

// Message names of the Connection workflow.
const (
	// ConfigureUpdate replaces a connection's settings.
	ConfigureUpdate = "configure"
	// SettingsQuery returns a connection's current Settings.
	SettingsQuery = "settings"
	// StatusQuery returns a connection's ConnectionStatus.
	StatusQuery = "status"
)

// Stages of a connection, also written to the HrbcStage search attribute.
const (
	// StageUnconfigured is a connection that was started without settings.
	StageUnconfigured = "unconfigured"
	// StageConfigured is a connection with valid settings.
	StageConfigured = "configured"
)

// Error types carried by rejected configure updates, so callers can branch
// on them through temporal.ApplicationError.Type.
const (
	// ErrTypeInvalidSettings marks settings that failed Settings.Validate.
	ErrTypeInvalidSettings = "InvalidSettings"
	// ErrTypeConnectionExists marks a create of a connection that already
	// has settings.
	ErrTypeConnectionExists = "ConnectionExists"
	// ErrTypeVersionConflict marks a configure whose ExpectedVersion is stale.
	ErrTypeVersionConflict = "VersionConflict"
)

// ConnectionInput starts, or continues as new, a Connection workflow.
type ConnectionInput struct {
	// ConnectionID names the connection; it is also in the workflow ID.
	ConnectionID string `json:"connection_id"`
	// Settings are nil until the first configure.
	Settings *Settings `json:"settings,omitempty"`
	// Version counts accepted configure updates.
	Version int `json:"version"`
	// ConfiguredAt is when the last configure was accepted.
	ConfiguredAt time.Time `json:"configured_at,omitzero"`
	// Generation counts runs of this entity (continue-as-new increments it).
	Generation int `json:"generation"`
	// Attention is why the connection needs a person (webhooks not
	// registered), empty when fine.
	Attention string `json:"attention,omitempty"`
	// Check is the last connection check's report, nil before the first.
	Check *activities.CheckReport `json:"check,omitempty"`
	// Credentials are a runtime connection's API credentials (nil for a
	// connection configured in the workers' environment). They are part
	// of the state the payload codec encrypts; never a search attribute.
	Credentials *Credentials `json:"credentials,omitempty"`
	// UninstalledAt is when the BigCommerce app was last uninstalled.
	UninstalledAt time.Time `json:"uninstalled_at,omitzero"`
}

// ConfigureRequest is the argument of the configure update.
type ConfigureRequest struct {
	// Settings replace the current settings whole.
	Settings Settings `json:"settings"`
	// CreateOnly rejects the request when the connection already has
	// settings; "connection create" uses it with update-with-start.
	CreateOnly bool `json:"create_only,omitempty"`
	// ExpectedVersion, when positive, rejects the request unless it matches
	// the current version, so a read-modify-write client cannot overwrite a
	// change it has not seen.
	ExpectedVersion int `json:"expected_version,omitempty"`
}

// ConnectionStatus is the answer of the status query and of configure.
type ConnectionStatus struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Stage is StageUnconfigured or StageConfigured.
	Stage string `json:"stage"`
	// Version counts accepted configure updates.
	Version int `json:"version"`
	// ConfiguredAt is when the last configure was accepted.
	ConfiguredAt time.Time `json:"configured_at,omitzero"`
	// Generation counts runs of this entity workflow.
	Generation int `json:"generation"`
	// Settings are the current settings, nil when unconfigured.
	Settings *Settings `json:"settings,omitempty"`
	// Attention is why the connection needs a person, empty when fine:
	// webhooks not registered, checks that failed.
	Attention string `json:"attention,omitempty"`
	// Check is the last connection check's report, nil before the first.
	Check *activities.CheckReport `json:"check,omitempty"`
	// Credentials says what runtime credentials the connection holds
	// (never a secret); nil for a connection from the environment.
	Credentials *CredentialsSummary `json:"credentials,omitempty"`
}
