package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/starter"
)

func TestHeartlandWebhookChecksSecretFirst(t *testing.T) {
	// No Temporal client: any path that reached a workflow would panic.
	in := New(nil, slog.New(slog.DiscardHandler), func(id string, _ Platform) ([]string, bool) {
		return []string{"s3cret"}, id == "shop"
	})
	item := `{"id":1,"public_id":"MUG","description":"Mug","active?":true}`
	for _, tc := range []struct {
		path, body string
		want       int
	}{
		{"/webhooks/heartland/shop", item, http.StatusUnauthorized},
		{"/webhooks/heartland/shop?secret=s3cre", item, http.StatusUnauthorized},
		{"/webhooks/heartland/shop?secret=s3cret2", item, http.StatusUnauthorized},
		{"/webhooks/heartland/other?secret=s3cret", item, http.StatusUnauthorized},
		{"/webhooks/heartland/shop?secret=s3cret", "not json", http.StatusBadRequest},
		// An item update is accepted and ignored by the inventory sync.
		{"/webhooks/heartland/shop?secret=s3cret", item, http.StatusAccepted},
		{"/webhooks/heartland/shop?secret=s3cret", `{"unknown":true}`, http.StatusAccepted},
	} {
		rec := httptest.NewRecorder()
		in.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, tc.path, strings.NewReader(tc.body)))
		if rec.Code != tc.want {
			t.Errorf("POST %s %.20q = %d, want %d", tc.path, tc.body, rec.Code, tc.want)
		}
	}
	rec := httptest.NewRecorder()
	in.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhooks/heartland/shop?secret=s3cret", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET = %d, want 405", rec.Code)
	}
}

func TestTransactionRefs(t *testing.T) {
	body := `{"type":"Ticket","lines":[{"item_id":4},{"item_id":9},{"item_id":4},{"type":"TaxLine"}]}`
	if got := transactionRefs([]byte(body)); !slices.Equal(got.itemIDs(), []int64{4, 9}) || got.OrderID != 0 {
		t.Errorf("ticket refs = %+v", got)
	}
	if got := transactionRefs([]byte(`{"type":"Invoice","order_id":12}`)); got.itemIDs() != nil || got.OrderID != 12 {
		t.Errorf("invoice refs = %+v", got)
	}
}

// hlHook posts a Heartland delivery for "shop" with the right secret and
// waits for the nudge it starts, if any, by shutting the intake down.
func hlHook(t *testing.T, wf *fakeWorkflows, body string) (int, []string) {
	t.Helper()
	in, srv := newTestIntake(t, wf)
	code, _ := post(t, srv, "/webhooks/heartland/shop?secret="+testSecret, body, nil)
	if err := in.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	return code, wf.Calls()
}

func TestHeartlandSaleNudgesTheInventorySync(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"ticket with lines", `{"id":5,"type":"Ticket","lines":[{"item_id":4},{"item_id":9},{"item_id":4}]}`, "SignalInventoryChanged shop sales_transaction_completed [4 9]"},
		{"ticket without lines", `{"id":5,"type":"Ticket"}`, "SignalInventoryChanged shop sales_transaction_completed []"},
		{"return", `{"id":6,"type":"Return","lines":[{"item_id":2}]}`, "SignalInventoryChanged shop sales_transaction_completed [2]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, calls := hlHook(t, &fakeWorkflows{}, tc.body)
			if code != http.StatusAccepted || !slices.Equal(calls, []string{tc.want}) {
				t.Errorf("answer %d, calls %v; want 202 and [%s]", code, calls, tc.want)
			}
		})
	}
}

func TestHeartlandInvoiceNudgesItsOrderToo(t *testing.T) {
	code, calls := hlHook(t, &fakeWorkflows{}, `{"id":8,"type":"Invoice","order_id":12,"lines":[{"item_id":4}]}`)
	want := []string{"SignalInventoryChanged shop sales_transaction_completed [4]", "HeartlandOrderChanged shop 12"}
	if code != http.StatusAccepted || !slices.Equal(calls, want) {
		t.Errorf("answer %d, calls %v; want 202 and %v", code, calls, want)
	}
}

// The order's nudge does not depend on the inventory sync running.
func TestHeartlandInvoiceWithoutInventorySync(t *testing.T) {
	wf := &fakeWorkflows{err: fmt.Errorf("%w for connection %q", starter.ErrInventoryNotRunning, "shop")}
	_, calls := hlHook(t, wf, `{"id":8,"type":"Invoice","order_id":12}`)
	if !slices.Contains(calls, "HeartlandOrderChanged shop 12") {
		t.Errorf("calls %v: the invoice's order was not nudged", calls)
	}
}

func TestHeartlandOtherResourcesAreAcknowledged(t *testing.T) {
	for _, body := range []string{
		`{"id":1,"public_id":"MUG","description":"Mug","active?":true}`,
		`{"id":2,"first_name":"Ann","email":"ann@example.com"}`,
		`{"unknown":true}`,
		`[1,2,3]`,
		`"text"`,
	} {
		code, calls := hlHook(t, &fakeWorkflows{}, body)
		if code != http.StatusAccepted || len(calls) != 0 {
			t.Errorf("%s: answer %d, calls %v; want 202 and nothing", body, code, calls)
		}
	}
}

func TestHeartlandRefusesMalformedBodies(t *testing.T) {
	big := `{"type":"Ticket","pad":"` + strings.Repeat("x", maxBody) + `"}`
	for name, body := range map[string]string{
		"not json": "not json", "empty": "", "truncated": `{"type":"Ticket","lines":[`, "over the size cap": big,
	} {
		code, calls := hlHook(t, &fakeWorkflows{}, body)
		if code != http.StatusBadRequest || len(calls) != 0 {
			t.Errorf("%s: answer %d, calls %v; want 400 and nothing", name, code, calls)
		}
	}
}

// The secret header BigCommerce uses does not open the Heartland route.
func TestHeartlandSecretOnlyInTheQuery(t *testing.T) {
	wf := &fakeWorkflows{}
	_, srv := newTestIntake(t, wf)
	code, _ := post(t, srv, "/webhooks/heartland/shop", `{"type":"Ticket"}`, map[string]string{BigCommerceSecretHeader: testSecret})
	if code != http.StatusUnauthorized || len(wf.Calls()) != 0 {
		t.Errorf("answer %d, calls %v; want 401 and nothing", code, wf.Calls())
	}
}

func TestShutdownWaitsForANudgeInFlight(t *testing.T) {
	wf := &fakeWorkflows{block: make(chan struct{}), started: make(chan struct{}, 1)}
	in, srv := newTestIntake(t, wf)
	if code, _ := post(t, srv, "/webhooks/heartland/shop?secret="+testSecret, `{"type":"Ticket","lines":[{"item_id":4}]}`, nil); code != http.StatusAccepted {
		t.Fatalf("answer %d, want 202", code)
	}
	<-wf.started
	stopped := make(chan error, 1)
	go func() { stopped <- in.Shutdown(context.Background()) }()
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned (%v) while a nudge was still running", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(wf.block)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if calls := wf.Calls(); !slices.Equal(calls, []string{"SignalInventoryChanged shop sales_transaction_completed [4]"}) {
		t.Errorf("calls %v: the nudge did not finish", calls)
	}

	// After shutdown a delivery is still acknowledged, but nudges nothing.
	if code, _ := post(t, srv, "/webhooks/heartland/shop?secret="+testSecret, `{"type":"Ticket"}`, nil); code != http.StatusAccepted {
		t.Errorf("answer after shutdown %d, want 202", code)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(wf.Calls()); n != 1 {
		t.Errorf("a nudge started after shutdown: %v", wf.Calls())
	}
}

func TestShutdownCancelsNudgesPastItsDeadline(t *testing.T) {
	wf := &fakeWorkflows{block: make(chan struct{}), started: make(chan struct{}, 1)}
	in, srv := newTestIntake(t, wf)
	post(t, srv, "/webhooks/heartland/shop?secret="+testSecret, `{"type":"Invoice","order_id":12}`, nil)
	<-wf.started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := in.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Shutdown took %s past its deadline", d)
	}
	// The nudge saw its context end and returned before Shutdown did.
	calls := wf.Calls()
	if len(calls) == 0 || calls[0] != "SignalInventoryChanged shop cancelled" {
		t.Errorf("calls %v: the nudge was not cancelled", calls)
	}
}
