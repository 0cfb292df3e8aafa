package workflows

import (
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// connection is the state of one Connection workflow run.
type connection struct {
	ConnectionInput
	// previous are the settings before the last configure, nil at first.
	previous *Settings
	// dirty is set by configure: the workflows that follow the settings
	// (order sweep, inventory sync) must be started or told.
	dirty bool
	// publishedAttention is the HrbcAttention last upserted.
	publishedAttention string
	// settingsMemo is true for runs under connectionSettingsMemoChange.
	settingsMemo bool
}

// Connection is the entity workflow of one connection between a Heartland
// account and a BigCommerce store. It holds the merchant's settings, accepts
// validated changes to them and answers what they are; the sync and order
// workflows read them from here.
func Connection(ctx workflow.Context, input ConnectionInput) error {
	if strings.TrimSpace(input.ConnectionID) == "" {
		return temporal.NewNonRetryableApplicationError("connection_id is empty", ErrTypeInvalidSettings, nil)
	}
	if input.Settings != nil {
		if err := input.Settings.Validate(); err != nil {
			return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalidSettings, err)
		}
	}
	c := &connection{ConnectionInput: input}
	c.publishedAttention = c.attention()
	if err := c.publishStage(ctx); err != nil {
		return err
	}
	// Every run writes the memo once: a run continued from one that
	// predates it has none to carry over.
	c.settingsMemo = workflow.GetVersion(ctx, connectionSettingsMemoChange, workflow.DefaultVersion, 1) >= 1
	c.publishSettings(ctx)
	if err := workflow.SetQueryHandler(ctx, SettingsQuery, func() (*Settings, error) {
		return c.Settings, nil
	}); err != nil {
		return fmt.Errorf("register %s query: %w", SettingsQuery, err)
	}
	if err := workflow.SetQueryHandler(ctx, StatusQuery, func() (ConnectionStatus, error) {
		return c.status(), nil
	}); err != nil {
		return fmt.Errorf("register %s query: %w", StatusQuery, err)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, ConfigureUpdate, c.configure,
		workflow.UpdateHandlerOptions{Validator: c.validateConfigure}); err != nil {
		return fmt.Errorf("register %s update: %w", ConfigureUpdate, err)
	}
	c.listenChecks(ctx)
	if err := c.listenCredentials(ctx); err != nil {
		return err
	}

	// The entity lives until the server suggests a fresh run to keep its
	// history short; accepted updates are finished before handing over.
	for {
		if err := workflow.Await(ctx, func() bool {
			return c.dirty || workflow.GetInfo(ctx).GetContinueAsNewSuggested()
		}); err != nil {
			return err
		}
		if !c.dirty {
			break
		}
		c.dirty = false
		c.ensureFollowers(ctx)
		if c.liveChecks(ctx) {
			c.runCheck(ctx)
		}
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	next := c.ConnectionInput
	next.Generation++
	workflow.GetLogger(ctx).Info("Continuing connection as new", "Generation", next.Generation)
	return workflow.NewContinueAsNewError(ctx, Connection, next)
}

// validateConfigure runs before an update is accepted; a rejection leaves
// no trace in the workflow history.
func (c *connection) validateConfigure(_ workflow.Context, req ConfigureRequest) error {
	if req.CreateOnly && c.Settings != nil {
		return temporal.NewApplicationError(
			fmt.Sprintf("connection %q already exists", c.ConnectionID), ErrTypeConnectionExists)
	}
	if err := ValidateConnectionID(c.ConnectionID); err != nil {
		return temporal.NewApplicationError(err.Error(), ErrTypeInvalidSettings, "connection_id")
	}
	if req.ExpectedVersion > 0 && req.ExpectedVersion != c.Version {
		return temporal.NewApplicationError(
			fmt.Sprintf("connection %q is at version %d, not %d: read it again", c.ConnectionID, c.Version, req.ExpectedVersion),
			ErrTypeVersionConflict)
	}
	if err := req.Settings.Validate(); err != nil {
		var se *SettingsError
		if errors.As(err, &se) {
			return temporal.NewApplicationError(err.Error(), ErrTypeInvalidSettings, se.Field)
		}
		return temporal.NewApplicationError(err.Error(), ErrTypeInvalidSettings)
	}
	return nil
}

func (c *connection) configure(ctx workflow.Context, req ConfigureRequest) (ConnectionStatus, error) {
	if c.liveChecks(ctx) {
		// The validator is pure; the accounts are asked here, before
		// anything changes, so a refusal leaves the settings as they were.
		if err := c.recheckSettings(ctx, req.Settings); err != nil {
			return ConnectionStatus{}, err
		}
		// Another configure may have been applied while the check ran.
		if err := c.validateConfigure(ctx, req); err != nil {
			return ConnectionStatus{}, err
		}
	}
	settings := req.Settings
	settings.LocationIDs = append([]int64(nil), req.Settings.LocationIDs...)
	c.previous, c.Settings = c.Settings, &settings
	c.dirty = true
	c.Version++
	c.ConfiguredAt = workflow.Now(ctx)
	if err := c.publishStage(ctx); err != nil {
		return ConnectionStatus{}, err
	}
	c.publishSettings(ctx)
	workflow.GetLogger(ctx).Info("Connection configured", "Version", c.Version, "CatalogMode", settings.CatalogMode)
	return c.status(), nil
}

func (c *connection) stage() string {
	if c.Settings == nil {
		return StageUnconfigured
	}
	return StageConfigured
}

// publishStage keeps the visibility record in step with the state, so the
// Temporal UI can list connections by ID and stage.
func (c *connection) publishStage(ctx workflow.Context) error {
	return workflow.UpsertTypedSearchAttributes(ctx,
		ConnectionAttr.ValueSet(c.ConnectionID),
		StageAttr.ValueSet(c.stage()),
	)
}

func (c *connection) status() ConnectionStatus {
	return ConnectionStatus{
		ConnectionID: c.ConnectionID,
		Stage:        c.stage(),
		Version:      c.Version,
		ConfiguredAt: c.ConfiguredAt,
		Generation:   c.Generation,
		Settings:     c.Settings,
		Attention:    c.attention(),
		Check:        c.Check,
		Credentials:  c.summaryIfAny(),
	}
}

// summaryIfAny is the credentials summary of a runtime connection, nil
// for one whose credentials live in the workers' environment.
func (c *connection) summaryIfAny() *CredentialsSummary {
	if c.Credentials == nil && c.UninstalledAt.IsZero() {
		return nil
	}
	sum := c.credentialsSummary()
	return &sum
}
