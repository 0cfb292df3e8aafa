package worker_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/starter"
	"github.com/hrbc/hrbc/worker/sandbox"
	"github.com/hrbc/hrbc/worker/workertest"
	"github.com/hrbc/hrbc/workflows"
)

// TestEmbeddedSandboxSurvivesRestart is the README's "Try it" with a
// restart in the middle: the order placed before it is still in both fakes
// afterwards, its workflow carries on to shipment, and the next order gets
// a new number instead of one an existing workflow already has.
func TestEmbeddedSandboxSurvivesRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded server twice")
	}
	sp := newSandboxProcess(t)
	dir, environ, bcURL, hlURL := filepath.Dir(sp.db), sp.environ, sp.bcURL, sp.hlURL
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dial := func() (*starter.Client, func()) { return sp.dial(t) }
	waitStage := func(st *starter.Client, order int, stage string) workflows.OrderState {
		t.Helper()
		var s workflows.OrderState
		waitFor(t, fmt.Sprintf("order %d in stage %s", order, stage), func() bool {
			var err error
			s, err = st.OrderStatus(ctx, sandbox.DemoConnectionID, order)
			return err == nil && s.Stage == stage
		})
		return s
	}

	stop, banner := runProcess(t, environ)
	if want := filepath.Join(dir, "sandbox-*.json"); !strings.Contains(banner.String(), want) {
		t.Errorf("banner does not say where the sandbox state is (%s):\n%s", want, banner)
	}
	var placed struct{ ID int }
	workertest.FakeControl(t, "POST", bcURL+"/__fake/orders", `{"customer_email":"shopper@example.com","lines":[{"sku":"HR-MUG-01","quantity":2}]}`, &placed)
	st, closeClient := dial()
	waitStage(st, placed.ID, workflows.OrderStageAwaitingDistribution)
	closeClient()
	stop()
	for _, f := range []string{sandbox.BigCommerceStateFile, sandbox.HeartlandStateFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("no state file after a clean stop: %v", err)
		}
	}

	stop, _ = runProcess(t, environ)
	defer stop()
	st, closeClient = dial()
	defer closeClient()
	if o := storeOrder(t, bcURL, placed.ID); o.ID != placed.ID || o.StatusID != bigcommerce.StatusAwaitingFulfillment {
		t.Fatalf("order %d in the store after restart: %+v", placed.ID, o)
	}
	var hl struct {
		Total   int
		Results []heartland.SalesOrder
	}
	heartlandGet(t, hlURL, "/api/sales/orders?public_id="+workflows.HeartlandOrderPublicID(placed.ID), &hl)
	if hl.Total != 1 || hl.Results[0].Status != "open" {
		t.Fatalf("Heartland order %s after restart: %+v", workflows.HeartlandOrderPublicID(placed.ID), hl)
	}

	state := waitStage(st, placed.ID, workflows.OrderStageAwaitingDistribution)
	if state.HeartlandOrderID != hl.Results[0].ID {
		t.Errorf("workflow points at Heartland order %d, the account has %d", state.HeartlandOrderID, hl.Results[0].ID)
	}
	var mainStreet int64
	for _, l := range state.Locations {
		if l.Name == "Main Street" {
			mainStreet = l.ID
		}
	}
	if _, err := st.DistributeOrder(ctx, sandbox.DemoConnectionID, placed.ID, workflows.DistributeOrderRequest{LocationID: mainStreet}); err != nil {
		t.Fatal(err)
	}
	waitStage(st, placed.ID, workflows.OrderStageFulfilling)
	workertest.FakeControl(t, "POST", hlURL+"/__fake/invoice", `{"order":"`+workflows.HeartlandOrderPublicID(placed.ID)+`","location":"Main Street"}`, nil)
	waitStage(st, placed.ID, workflows.OrderStageClosed)
	if o := storeOrder(t, bcURL, placed.ID); o.StatusID != bigcommerce.StatusShipped || o.PaymentStatus != bigcommerce.PaymentCaptured {
		t.Errorf("store order after fulfilment: status %d, payment %q; want shipped and captured", o.StatusID, o.PaymentStatus)
	}

	var next struct{ ID int }
	workertest.FakeControl(t, "POST", bcURL+"/__fake/orders", `{"customer_email":"shopper@example.com","lines":[{"sku":"HR-CAP-01","quantity":1}]}`, &next)
	if next.ID != placed.ID+1 {
		t.Errorf("the order after the restart is %d, want %d", next.ID, placed.ID+1)
	}
	waitStage(st, next.ID, workflows.OrderStageAwaitingDistribution)
}

// storeOrder reads an order from the sandbox store's v2 API.
func storeOrder(t *testing.T, bcURL string, id int) bigcommerce.Order {
	t.Helper()
	c, err := bigcommerce.New(bigcommerce.Config{StoreHash: bigcommercetest.DefaultStoreHash,
		AccessToken: bigcommerce.Secret(bigcommercetest.DefaultToken), BaseURL: bcURL + "/stores/" + bigcommercetest.DefaultStoreHash})
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.GetOrder(context.Background(), id)
	if err != nil {
		t.Fatalf("order %d: %v", id, err)
	}
	return o
}

// heartlandGet reads the sandbox account's API with its token.
func heartlandGet(t *testing.T, hlURL, path string, out any) {
	t.Helper()
	req, err := http.NewRequest("GET", hlURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+sandbox.HeartlandToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}
