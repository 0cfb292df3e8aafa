package apierror

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrNoTimeToWrite is the refusal CheckWrite gives a write that ctx's
// write margin leaves no time for. Nothing was sent: repeating the write
// under a later deadline is safe.
var ErrNoTimeToWrite = errors.New("too little time left before the deadline to send a write")

type writeMarginKey struct{}

// WithWriteMargin returns a copy of ctx under which a client sends no
// write (a call with any method but GET or HEAD) with less than margin
// left before ctx's deadline.
//
// A call cut off by its deadline may still reach the API after the caller
// gave up; when the caller is a short attempt that a longer one takes
// over, the longer one looks for what the first wrote, finds nothing yet,
// and writes it again. Refusing the write that starts too late closes that
// window.
func WithWriteMargin(ctx context.Context, margin time.Duration) context.Context {
	return context.WithValue(ctx, writeMarginKey{}, margin)
}

// CheckWrite returns an error wrapping ErrNoTimeToWrite when a call with
// method is a write and ctx's write margin (WithWriteMargin) is more than
// the time left before its deadline; nil otherwise.
func CheckWrite(ctx context.Context, method string) error {
	if method == http.MethodGet || method == http.MethodHead {
		return nil
	}
	margin, ok := ctx.Value(writeMarginKey{}).(time.Duration)
	if !ok {
		return nil
	}
	dl, ok := ctx.Deadline()
	if !ok {
		return nil
	}
	if left := time.Until(dl); left < margin {
		return fmt.Errorf("%w (%v left, %v needed)", ErrNoTimeToWrite, left.Round(time.Millisecond), margin)
	}
	return nil
}
