package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/apierror"
)

// Application error types activities return, for workflows to branch on.
const (
	// ErrTypeRateLimited is a 429; the error carries the server's delay.
	ErrTypeRateLimited = "RateLimited"
	// ErrTypeBigCommerceRejected is a permanent BigCommerce answer (4xx).
	ErrTypeBigCommerceRejected = "BigCommerceRejected"
	// ErrTypeHeartlandRejected is a permanent Heartland answer (4xx).
	ErrTypeHeartlandRejected = "HeartlandRejected"
	// ErrTypeImportBusy is an import asked to start at once
	// (ImportSalesOrderRequest.InPlace) that would have had to wait.
	ErrTypeImportBusy = "ImportBusy"
)

// bigCommerceError classifies a BigCommerce client error for Temporal.
func bigCommerceError(what string, err error) error {
	return classify(what, err, ErrTypeBigCommerceRejected)
}

// heartlandError classifies a Heartland client error for Temporal.
func heartlandError(what string, err error) error {
	return classify(what, err, ErrTypeHeartlandRejected)
}

// classify reads both clients' errors the same way (apierror): the client
// only decides the type name a permanent rejection is reported under.
func classify(what string, err error, rejected string) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The activity was cancelled or timed out (a worker shutting down,
		// say): not the API's verdict, so Temporal may run it again.
		return fmt.Errorf("%s: %w", what, err)
	}
	msg := fmt.Sprintf("%s: %v", what, err)
	if d, ok := apierror.RetryDelay(err); ok {
		// The server said when to come back; Temporal waits exactly that long
		// instead of its own backoff.
		return temporal.NewApplicationErrorWithOptions(msg, ErrTypeRateLimited, temporal.ApplicationErrorOptions{
			NextRetryDelay: d,
			Cause:          err,
		})
	}
	if apierror.IsRetryable(err) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return temporal.NewNonRetryableApplicationError(msg, rejected, err)
}
