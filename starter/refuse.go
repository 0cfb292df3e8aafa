package starter

import (
	"errors"

	"github.com/hrbc/hrbc/workflows"
)

// refuseInvalid turns a workflows validation error into the RejectedError
// the workflow's own validator would have answered, so a caller sees one
// kind of refusal whether it was caught here (before anything starts) or
// by the workflow.
func refuseInvalid(err error) error {
	if err == nil {
		return nil
	}
	rej := &RejectedError{Kind: ErrInvalidSettings, Message: err.Error()}
	var se *workflows.SettingsError
	if errors.As(err, &se) {
		rej.Field = se.Field
	}
	return rej
}
