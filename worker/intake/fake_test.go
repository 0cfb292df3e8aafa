package intake

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hrbc/hrbc/workflows"
)

// testSecret is the webhook secret of the connection "shop".
const testSecret = "s3cret-0123456789"

// fakeWorkflows records every call the intake makes, as one line each, and
// answers with what the test set.
type fakeWorkflows struct {
	mu    sync.Mutex
	calls []string

	status    workflows.ConnectionStatus
	statusErr error
	// err is returned by every call but ConnectionSettings.
	err error
	// block, when set, holds SignalInventoryChanged until it is closed or
	// the call's context ends.
	block chan struct{}
	// started receives one value when SignalInventoryChanged begins.
	started chan struct{}
}

func (f *fakeWorkflows) record(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeWorkflows) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeWorkflows) ConnectionSettings(_ context.Context, conn string) (*workflows.Settings, error) {
	f.record("ConnectionSettings %s", conn)
	return f.status.Settings, f.statusErr
}

func (f *fakeWorkflows) OrderChanged(_ context.Context, conn string, orderID int, settings workflows.Settings) error {
	f.record("OrderChanged %s %d source=%d", conn, orderID, settings.SourceLocationID)
	return f.err
}

func (f *fakeWorkflows) OrderCreated(_ context.Context, conn string, orderID int, settings workflows.Settings) error {
	f.record("OrderCreated %s %d source=%d", conn, orderID, settings.SourceLocationID)
	return f.err
}

func (f *fakeWorkflows) ProductCreated(_ context.Context, conn string, productID int) error {
	f.record("ProductCreated %s %d", conn, productID)
	return f.err
}

func (f *fakeWorkflows) SignalInventoryChanged(ctx context.Context, conn string, changed workflows.InventoryChanged) error {
	if f.started != nil {
		f.started <- struct{}{}
	}
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			f.record("SignalInventoryChanged %s cancelled", conn)
			return ctx.Err()
		}
	}
	f.record("SignalInventoryChanged %s %s %v", conn, changed.Source, changed.ItemIDs)
	return f.err
}

func (f *fakeWorkflows) HeartlandOrderChanged(_ context.Context, conn string, heartlandOrderID int64) error {
	f.record("HeartlandOrderChanged %s %d", conn, heartlandOrderID)
	return f.err
}

// orderSyncOn is the status of a connection that imports orders.
func orderSyncOn() workflows.ConnectionStatus {
	s := workflows.DefaultSettings()
	s.OrderSync = true
	s.SourceLocationID = 3
	return workflows.ConnectionStatus{Stage: workflows.StageConfigured, Settings: &s}
}

// newTestIntake serves an intake for the connection "shop" over a real
// listener, so requests go through net/http as a platform's would.
func newTestIntake(t *testing.T, wf *fakeWorkflows) (*Intake, *httptest.Server) {
	t.Helper()
	in := New(wf, slog.New(slog.DiscardHandler), func(id string, _ Platform) ([]string, bool) {
		return []string{testSecret}, id == "shop"
	})
	srv := httptest.NewServer(in)
	t.Cleanup(func() {
		srv.Close()
		if err := in.Shutdown(context.Background()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return in, srv
}

// post sends body to path with the given headers and returns the status
// and the answer's body.
func post(t *testing.T, srv *httptest.Server, path, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
