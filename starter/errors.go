package starter

import (
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/workflows"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrConnectionNotFound: no running workflow holds that connection.
	ErrConnectionNotFound = errors.New("connection not found")
	// ErrConnectionExists: create was asked for a connection that has settings.
	ErrConnectionExists = errors.New("connection already exists")
	// ErrInvalidSettings: the workflow's validator rejected the settings.
	ErrInvalidSettings = errors.New("invalid settings")
	// ErrVersionConflict: the connection changed since it was read.
	ErrVersionConflict = errors.New("connection changed since it was read")
)

// RejectedError is an update the workflow refused. Field names the
// offending setting when the refusal is about one.
type RejectedError struct {
	// Kind is one of the sentinel errors above.
	Kind error
	// Field is the JSON name of the offending setting, if any.
	Field string
	// Message is the workflow's explanation.
	Message string
}

func (e *RejectedError) Error() string { return e.Message }

// Unwrap lets errors.Is match the sentinel.
func (e *RejectedError) Unwrap() error { return e.Kind }

// translate turns the Temporal errors of connection calls into the
// package's typed errors, keeping the original as context.
func translate(connectionID string, err error) error {
	if err == nil {
		return nil
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return fmt.Errorf("%w: %q", ErrConnectionNotFound, connectionID)
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		kind := map[string]error{
			workflows.ErrTypeInvalidSettings:  ErrInvalidSettings,
			workflows.ErrTypeConnectionExists: ErrConnectionExists,
			workflows.ErrTypeVersionConflict:  ErrVersionConflict,
		}[appErr.Type()]
		if kind != nil {
			rej := &RejectedError{Kind: kind, Message: appErr.Message()}
			if appErr.HasDetails() {
				_ = appErr.Details(&rej.Field)
			}
			return rej
		}
	}
	return fmt.Errorf("connection %q: %w", connectionID, err)
}
