package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"
)

// failureReason is the text a person reads for a failed activity (in
// HrbcAttention, a status's LastError or a catalog run's Error): the API's
// own words, without the SDK's wrapping by activity type and event IDs,
// which tell an operator nothing.
func failureReason(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) {
		return timeout.Error()
	}
	var actErr *temporal.ActivityError
	if errors.As(err, &actErr) && actErr.Unwrap() != nil {
		return actErr.Unwrap().Error()
	}
	return err.Error()
}
