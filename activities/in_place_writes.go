package activities

import (
	"context"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"

	"github.com/hrbc/hrbc/activities/apierror"
)

// NewInPlaceWritesInterceptor returns the worker interceptor that gives
// every local activity the write margin (inPlaceWriteMargin): its clients
// send no write with less than that left before its deadline.
//
// The workflows run an activity in place (a local activity, tried once
// under a short deadline) and, when that fails, run it again as a regular
// activity, which looks up what the first attempt wrote before it writes.
// A write the first attempt sent just before its deadline could reach the
// API after that look-up and be written twice; refused before it is sent,
// it is simply left to the regular activity.
func NewInPlaceWritesInterceptor() interceptor.WorkerInterceptor {
	return &inPlaceWrites{}
}

type inPlaceWrites struct {
	interceptor.WorkerInterceptorBase
}

// InterceptActivity wraps every activity the worker runs, local or not.
func (*inPlaceWrites) InterceptActivity(_ context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &inPlaceWritesActivity{}
	i.Next = next
	return i
}

type inPlaceWritesActivity struct {
	interceptor.ActivityInboundInterceptorBase
}

// ExecuteActivity sets the write margin on a local activity's context.
func (a *inPlaceWritesActivity) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	if activity.GetInfo(ctx).IsLocalActivity {
		ctx = apierror.WithWriteMargin(ctx, inPlaceWriteMargin)
	}
	return a.Next.ExecuteActivity(ctx, in)
}
