package activities

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities/apierror"
)

// probeWrite answers whether a client would send a write under ctx.
func probeWrite(ctx context.Context) (string, error) {
	if err := apierror.CheckWrite(ctx, "POST"); err != nil {
		if errors.Is(err, apierror.ErrNoTimeToWrite) {
			return "refused", nil
		}
		return "", err
	}
	return "sent", nil
}

// probeBoth runs probeWrite as a local activity and as an activity, each
// with one second to run, less than the write margin.
func probeBoth(ctx workflow.Context) ([2]string, error) {
	var out [2]string
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		ScheduleToCloseTimeout: time.Second, RetryPolicy: &temporal.RetryPolicy{MaximumAttempts: 1}})
	if err := workflow.ExecuteLocalActivity(lctx, probeWrite).Get(ctx, &out[0]); err != nil {
		return out, err
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Second})
	err := workflow.ExecuteActivity(actx, probeWrite).Get(ctx, &out[1])
	return out, err
}

// The worker's interceptor refuses a local activity's writes in their last
// inPlaceWriteMargin and leaves a regular activity's alone: the regular
// activity is the one that takes over, and nothing comes after it.
func TestInPlaceWritesInterceptorGivesLocalActivitiesTheMargin(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{NewInPlaceWritesInterceptor()}})
	env.RegisterWorkflow(probeBoth)
	env.RegisterActivity(probeWrite)
	env.ExecuteWorkflow(probeBoth)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var got [2]string
	if err := env.GetWorkflowResult(&got); err != nil {
		t.Fatal(err)
	}
	if got != [2]string{"refused", "sent"} {
		t.Errorf("a write with 1 s left: local activity %q, activity %q; want refused, sent", got[0], got[1])
	}
}
