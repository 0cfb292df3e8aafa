package starter

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/workflows"
)

// CheckOptions say what a connection check looks at and does.
type CheckOptions struct {
	// Settings are checked instead of the connection's current ones (the
	// settings a create or configure is about to send).
	Settings *workflows.Settings
	// SettingsOnly checks the credentials and the locations only.
	SettingsOnly bool
	// Fix creates what is missing and hrbc may create.
	Fix bool
	// Record makes the report part of the connection's status.
	Record bool
}

// CheckConnection runs the checks of a connection against both live
// accounts, through a short ConnectionCheck workflow whose activity talks
// to them, and returns the report. Without opts.Settings it checks the
// connection's current settings (ErrConnectionNotFound when there is none).
func (c *Client) CheckConnection(ctx context.Context, connectionID string, opts CheckOptions) (workflows.CheckReport, error) {
	if err := refuseInvalid(workflows.ValidateConnectionID(connectionID)); err != nil {
		return workflows.CheckReport{}, err
	}
	settings := opts.Settings
	if settings == nil {
		status, err := c.ConnectionStatus(ctx, connectionID)
		if err != nil {
			return workflows.CheckReport{}, err
		}
		if status.Settings == nil {
			return workflows.CheckReport{}, fmt.Errorf("%w: %q has no settings yet", ErrConnectionNotFound, connectionID)
		}
		settings = status.Settings
	}
	id := workflows.ConnectionCheckWorkflowID(connectionID, uuid.NewString())
	run, err := c.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        id,
		TaskQueue: c.taskQueue,
		Priority:  fairness(connectionID),
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.ConnectionAttr.ValueSet(connectionID)),
	}, workflows.ConnectionCheck, workflows.ConnectionCheckInput{
		ConnectionID: connectionID, Settings: *settings,
		SettingsOnly: opts.SettingsOnly, Fix: opts.Fix, Record: opts.Record,
	})
	if err != nil {
		return workflows.CheckReport{}, fmt.Errorf("start check of connection %q: %w", connectionID, err)
	}
	var rep workflows.CheckReport
	if err := run.Get(ctx, &rep); err != nil {
		return workflows.CheckReport{}, fmt.Errorf("check of connection %q: %w", connectionID, err)
	}
	return rep, nil
}

// SettingsRefusal is the first line of a settings check that refuses the
// settings (a location the account does not have), if any.
func SettingsRefusal(rep workflows.CheckReport) error {
	for _, l := range rep.Lines {
		if l.Status == workflows.CheckFail && l.Field != "" {
			return &RejectedError{Kind: ErrInvalidSettings, Field: l.Field, Message: "invalid setting " + l.Found}
		}
	}
	return nil
}
