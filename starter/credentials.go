package starter

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/workflows"
)

// ErrCredentialsRefused: an API refused credentials when the connection
// verified them, or they were malformed; CredentialsError.Field names
// which.
var ErrCredentialsRefused = errors.New("credentials refused")

// CredentialsError is credentials a connection refused. Field is the
// offending field ("heartland.token", "heartland.subdomain",
// "bigcommerce.access_token", …), for a form to point at.
type CredentialsError struct {
	// Field names the refused field.
	Field string
	// Message is the connection's explanation (never the secret).
	Message string
}

func (e *CredentialsError) Error() string { return e.Message }

// Unwrap lets errors.Is match ErrCredentialsRefused.
func (e *CredentialsError) Unwrap() error { return ErrCredentialsRefused }

// SetCredentials verifies credentials against the APIs and saves them in
// the connection's workflow, starting the workflow (unconfigured) when
// there is none: the app's auth callback creates a connection this way.
// Every worker picks the new credentials up without a restart.
func (c *Client) SetCredentials(ctx context.Context, connectionID string, req workflows.CredentialsRequest) (workflows.CredentialsSummary, error) {
	if err := refuseInvalid(workflows.ValidateConnectionID(connectionID)); err != nil {
		return workflows.CredentialsSummary{}, err
	}
	if err := refuseCredentials(workflows.ValidateCredentials(req)); err != nil {
		return workflows.CredentialsSummary{}, err
	}
	start := c.startConnectionOperation(connectionID)
	handle, err := c.temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			WorkflowID:   workflows.ConnectionWorkflowID(connectionID),
			UpdateName:   workflows.CredentialsUpdate,
			Args:         []any{req},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	if err != nil {
		return workflows.CredentialsSummary{}, translateCredentials(connectionID, err)
	}
	var sum workflows.CredentialsSummary
	return sum, translateCredentials(connectionID, handle.Get(ctx, &sum))
}

// SetHeartlandCredentials verifies a Heartland account's API token with
// one call and saves it on an existing connection (the app page's
// Heartland form). account is the subdomain (NAME of
// NAME.retail.heartland.us) or, for a sandbox or proxy, the API's full
// http(s) URL. A refused token or subdomain is a *CredentialsError naming
// the field; an unknown connection is ErrConnectionNotFound.
func (c *Client) SetHeartlandCredentials(ctx context.Context, connectionID, account, token string) error {
	h := workflows.HeartlandCredentials{Token: strings.TrimSpace(token)}
	account = strings.TrimSpace(account)
	if strings.HasPrefix(account, "http://") || strings.HasPrefix(account, "https://") {
		h.URL = account
	} else {
		h.Subdomain = strings.ToLower(account)
	}
	req := workflows.CredentialsRequest{Heartland: &h}
	if err := refuseCredentials(workflows.ValidateCredentials(req)); err != nil {
		return err
	}
	handle, err := c.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.ConnectionWorkflowID(connectionID),
		UpdateName:   workflows.CredentialsUpdate,
		Args:         []any{req},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return translateCredentials(connectionID, err)
	}
	return translateCredentials(connectionID, handle.Get(ctx, nil))
}

// ConnectionCredentials reads a runtime connection's credentials, secrets
// included (workers build their clients from them); nil when the
// connection has none or does not exist.
func (c *Client) ConnectionCredentials(ctx context.Context, connectionID string) (*workflows.Credentials, error) {
	v, err := c.temporal.QueryWorkflow(ctx, workflows.ConnectionWorkflowID(connectionID), "", workflows.CredentialsQuery)
	if err != nil {
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			return nil, nil
		}
		return nil, fmt.Errorf("read credentials of connection %q: %w", connectionID, err)
	}
	var creds *workflows.Credentials
	if err := v.Get(&creds); err != nil {
		return nil, fmt.Errorf("decode credentials of connection %q: %w", connectionID, err)
	}
	return creds, nil
}

// UninstallConnection stops every sync of a connection and deletes its
// credentials; its orders keep their workflows and history. reason is
// logged by the workflow.
func (c *Client) UninstallConnection(ctx context.Context, connectionID, reason string) (workflows.ConnectionStatus, error) {
	handle, err := c.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.ConnectionWorkflowID(connectionID),
		UpdateName:   workflows.UninstallUpdate,
		Args:         []any{workflows.UninstallRequest{Reason: reason}},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return workflows.ConnectionStatus{}, translate(connectionID, err)
	}
	var status workflows.ConnectionStatus
	return status, translate(connectionID, handle.Get(ctx, &status))
}

// refuseCredentials turns a validation error into the CredentialsError the
// workflow's validator would have answered.
func refuseCredentials(err error) error {
	if err == nil {
		return nil
	}
	ce := &CredentialsError{Message: err.Error()}
	var se *workflows.SettingsError
	if errors.As(err, &se) {
		ce.Field = se.Field
	}
	return ce
}

// translateCredentials is translate for the credentials update: its two
// refusals become a *CredentialsError naming the field.
func translateCredentials(connectionID string, err error) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && (appErr.Type() == workflows.ErrTypeCredentialsRefused || appErr.Type() == workflows.ErrTypeInvalidCredentials) {
		ce := &CredentialsError{Message: appErr.Message()}
		if appErr.HasDetails() {
			_ = appErr.Details(&ce.Field)
		}
		return ce
	}
	return translate(connectionID, err)
}
