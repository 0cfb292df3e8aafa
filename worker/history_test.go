package worker_test

import (
	"os"
	"path/filepath"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hrbc/hrbc/starter/codec"
	"github.com/hrbc/hrbc/worker"
	"github.com/hrbc/hrbc/worker/workertest"
)

// updateHistoriesEnv, when set to 1, makes e2e scenarios write the
// histories they produce to testdata/histories, which TestReplayHistories
// replays on every test run: a change to a running workflow's command
// sequence that lacks workflow.GetVersion fails there.
const updateHistoriesEnv = "HRBC_UPDATE_HISTORIES"

// history reads a workflow run's full history.
func (s *stack) history(workflowID, runID string) *historypb.History {
	s.t.Helper()
	hist := &historypb.History{}
	iter := s.Temporal.GetWorkflowHistory(s.ctx(), workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			s.t.Fatal(err)
		}
		hist.Events = append(hist.Events, ev)
	}
	return hist
}

// keepHistory replays a finished run on today's code and, when asked to,
// stores it as testdata for the replay test of the workflows package.
func (s *stack) keepHistory(name, workflowID string) {
	s.t.Helper()
	hist := s.history(workflowID, "")
	replayer := newReplayer(s.t)
	if err := replayer.ReplayWorkflowHistory(nil, hist); err != nil {
		s.t.Fatalf("replay of %s (%d events): %v", workflowID, len(hist.Events), err)
	}
	if os.Getenv(updateHistoriesEnv) != "1" {
		return
	}
	b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
	if err != nil {
		s.t.Fatal(err)
	}
	path := filepath.Join("testdata", "histories", name+".json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// TestReplayHistories replays every committed history on today's code.
func TestReplayHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no committed histories: run the e2e tests with " + updateHistoriesEnv + "=1")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			replayer := newReplayer(t)
			if err := replayer.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay: %v", err)
			}
		})
	}
}

// newReplayer replays with the stack's payload codec: histories recorded
// with encryption on decrypt with workertest's fixed key, and the older
// ones, recorded in clear, pass through the codec unchanged.
func newReplayer(t *testing.T) sdkworker.WorkflowReplayer {
	t.Helper()
	opts := codec.ClientOptions(workertest.TestKeyRing(), client.Options{})
	replayer, err := sdkworker.NewWorkflowReplayerWithOptions(sdkworker.WorkflowReplayerOptions{
		DataConverter: opts.DataConverter, FailureConverter: opts.FailureConverter,
	})
	if err != nil {
		t.Fatal(err)
	}
	worker.RegisterWorkflows(replayer)
	return replayer
}

// versionMarkers counts the version markers (workflow.GetVersion's) in a
// history.
func versionMarkers(hist *historypb.History) int {
	n := 0
	for _, e := range hist.Events {
		if e.GetEventType() == enumspb.EVENT_TYPE_MARKER_RECORDED && e.GetMarkerRecordedEventAttributes().GetMarkerName() == "Version" {
			n++
		}
	}
	return n
}
