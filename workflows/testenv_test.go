package workflows

import (
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/activities"
	"github.com/hrbc/hrbc/activities/testclock"
)

// newTestEnv is the only way these tests make a workflow environment: its
// clock starts at the test clock's present (testclock.Now), so CI's run
// with HRBC_TEST_CLOCK a year ahead catches a test that relates a fixed
// calendar date to the workflow's now. Tests take their times from
// env.Now() or from the inputs they give, never from a calendar. The
// workflows run with the interceptor the worker installs
// (AttentionInterceptor, so HrbcAttention is what the server would store,
// and the in-place writes' margin).
func newTestEnv(suite *testsuite.WorkflowTestSuite) *testsuite.TestWorkflowEnvironment {
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(testclock.Now())
	env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{NewAttentionInterceptor(), activities.NewInPlaceWritesInterceptor()}})
	return env
}
