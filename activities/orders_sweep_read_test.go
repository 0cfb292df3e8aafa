package activities

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/testsuite"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
)

// readRuns answers OrderRuns from a map, as visibility would.
type readRuns struct {
	reads map[int]OrderRead
	err   error
	asked [][]int
	// afterAsk, when set, runs after each answer with the number of
	// questions so far: a workflow reading its order meanwhile.
	afterAsk func(asked int)
}

func (r *readRuns) LastRead(_ context.Context, connectionID string, ids []int) (map[int]OrderRead, error) {
	r.asked = append(r.asked, ids)
	if connectionID != "shop" {
		return nil, errors.New("unknown connection " + connectionID)
	}
	answer := maps.Clone(r.reads)
	if r.afterAsk != nil {
		r.afterAsk(len(r.asked))
	}
	return answer, r.err
}

// ids lists the order ids of a page part.
func ids(orders []ModifiedOrder) []int {
	out := make([]int, 0, len(orders))
	for _, o := range orders {
		out = append(out, o.OrderID)
	}
	return out
}

// sweepFixture is the order fixture with four orders to list.
func sweepFixture(t *testing.T) (*orderFixture, []ModifiedOrder) {
	t.Helper()
	f := newOrderFixture(t)
	for range 3 {
		f.bc.MustAddOrder(bigcommercetest.OrderSeed{CustomerEmail: "bo@example.com", FirstName: "Bo", LastName: "B",
			ShippingCost: decimal.Zero, Lines: []bigcommercetest.OrderLine{{SKU: "SKU-A", Quantity: 1}}})
	}
	all, err := f.acts.ListModifiedOrders(f.ctx, ModifiedOrdersRequest{ConnectionID: "shop", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Orders) != 4 || len(all.Read) != 0 {
		t.Fatalf("listing without OrderRuns = %+v, want 4 orders to hand over", all)
	}
	return f, all.Orders
}

// The listing sets aside the orders whose workflow read that change or a
// later one, or has finished; an older read, another status or no read at
// all is handed over, and so is everything when the workflows cannot be
// asked.
func TestListModifiedOrdersSetsAsideWhatWorkflowsRead(t *testing.T) {
	f, listed := sweepFixture(t)
	same, older, finished, unknown := listed[0], listed[1], listed[2], listed[3]
	later := func(s string) string {
		at, _ := time.Parse(time.RFC3339, s)
		return at.Add(time.Second).Format(time.RFC3339)
	}
	earlier := func(s string) string {
		at, _ := time.Parse(time.RFC3339, s)
		return at.Add(-time.Second).Format(time.RFC3339)
	}
	runs := &readRuns{reads: map[int]OrderRead{
		same.OrderID:     {DateModified: later(same.DateModified), StatusID: same.StatusID},
		older.OrderID:    {DateModified: earlier(older.DateModified), StatusID: older.StatusID},
		finished.OrderID: {Finished: true},
	}}
	f.acts.Runs = runs
	page, err := f.acts.ListModifiedOrders(f.ctx, ModifiedOrdersRequest{ConnectionID: "shop", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(page.Read), []int{same.OrderID, finished.OrderID}; !slices.Equal(got, want) {
		t.Errorf("set aside %v, want %v", got, want)
	}
	if got, want := ids(page.Orders), []int{older.OrderID, unknown.OrderID}; !slices.Equal(got, want) {
		t.Errorf("to hand over %v, want %v", got, want)
	}
	if page.Listed() != 4 || page.Watermark != unknown.DateModified {
		t.Errorf("listed %d up to %s, want 4 up to %s", page.Listed(), page.Watermark, unknown.DateModified)
	}
	if len(runs.asked) != 1 || len(runs.asked[0]) != 4 {
		t.Errorf("workflows asked %v, want one question on the 4 orders", runs.asked)
	}

	// The merchant cancels the order whose workflow had read it.
	if err := f.bc.SetOrderStatus(same.OrderID, 5); err != nil {
		t.Fatal(err)
	}
	page, err = f.acts.ListModifiedOrders(f.ctx, ModifiedOrdersRequest{ConnectionID: "shop", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids(page.Orders), same.OrderID) {
		t.Errorf("a status the workflow has not read was set aside: %+v", page)
	}

	runs.err = errors.New("visibility unavailable")
	page, err = f.acts.ListModifiedOrders(f.ctx, ModifiedOrdersRequest{ConnectionID: "shop", Limit: 50})
	if err != nil {
		t.Fatalf("a failed question failed the listing: %v", err)
	}
	if len(page.Orders) != 4 || len(page.Read) != 0 {
		t.Errorf("with the workflows unreachable: %+v, want all 4 handed over", page)
	}
}

// waitModified runs one WaitModifiedOrders in an activity environment.
func waitModified(t *testing.T, acts *Orders, in ModifiedOrdersWait) ModifiedOrdersResult {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	in.Request.ConnectionID = "shop"
	if in.Interval == 0 {
		in.Interval = time.Millisecond
	}
	v, err := env.ExecuteActivity(acts.WaitModifiedOrders, in)
	if err != nil {
		t.Fatal(err)
	}
	var res ModifiedOrdersResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

// A long poll does not wake the sweep for orders their workflows read
// already, but it does not let them pin the watermark either: a full page
// of them returns at once, and after MaxWait the last listing returns
// with its watermark. An order to hand over returns at once.
func TestWaitModifiedOrdersMovesPastOrdersTheirWorkflowsRead(t *testing.T) {
	f, listed := sweepFixture(t)
	reads := map[int]OrderRead{}
	for _, o := range listed {
		reads[o.OrderID] = OrderRead{DateModified: o.DateModified, StatusID: o.StatusID}
	}
	newest := listed[len(listed)-1].DateModified

	runs := &readRuns{reads: reads}
	f.acts.Runs = runs
	full := waitModified(t, f.acts, ModifiedOrdersWait{Request: ModifiedOrdersRequest{Limit: len(listed)}, MaxWait: 5 * time.Second})
	if len(full.Orders) != 0 || full.Listed() != len(listed) || full.Watermark != newest || len(runs.asked) != 1 {
		t.Errorf("full page of read orders: %+v after %d listings, want all %d set aside, watermark %s, after one listing",
			full, len(runs.asked), len(listed), newest)
	}

	runs.asked = nil
	quiet := waitModified(t, f.acts, ModifiedOrdersWait{Request: ModifiedOrdersRequest{Limit: 50}, MaxWait: 20 * time.Millisecond})
	if len(quiet.Orders) != 0 || quiet.Listed() != len(listed) || quiet.Watermark != newest {
		t.Errorf("after MaxWait of read orders: %+v, want the last listing with watermark %s", quiet, newest)
	}
	if len(runs.asked) < 2 {
		t.Errorf("%d listings before MaxWait, want the long poll to have kept listing", len(runs.asked))
	}

	idle := waitModified(t, f.acts, ModifiedOrdersWait{Request: ModifiedOrdersRequest{Limit: 50, Since: newest}, Known: listed[len(listed)-1:], MaxWait: 20 * time.Millisecond})
	if idle.Listed() != 0 || idle.Watermark != newest {
		t.Errorf("idle long poll %+v, want an empty page at %s", idle, newest)
	}

	runs.asked = nil
	delete(reads, listed[1].OrderID)
	news := waitModified(t, f.acts, ModifiedOrdersWait{Request: ModifiedOrdersRequest{Limit: 50}, MaxWait: 5 * time.Second})
	if got := ids(news.Orders); !slices.Equal(got, []int{listed[1].OrderID}) || len(runs.asked) != 2 {
		t.Errorf("long poll with one order unread brought %v after %d listings, want [%d] after two (the first leaves it to its webhook)",
			got, len(runs.asked), listed[1].OrderID)
	}
}

// An order unread at one listing and read by the next (its webhook was on
// its way) wakes no sweep: the long poll returns only at MaxWait, with
// nothing to hand over.
func TestWaitModifiedOrdersLeavesAnOrderOnItsWayToItsWebhook(t *testing.T) {
	f, listed := sweepFixture(t)
	late := listed[1]
	reads := map[int]OrderRead{}
	for _, o := range listed {
		if o != late {
			reads[o.OrderID] = OrderRead{DateModified: o.DateModified, StatusID: o.StatusID}
		}
	}
	// The workflow reads the late order between the first listing and the
	// second, as a webhook answered a moment after the first would.
	runs := &readRuns{reads: reads, afterAsk: func(asked int) {
		if asked == 1 {
			reads[late.OrderID] = OrderRead{DateModified: late.DateModified, StatusID: late.StatusID}
		}
	}}
	f.acts.Runs = runs
	res := waitModified(t, f.acts, ModifiedOrdersWait{Request: ModifiedOrdersRequest{Limit: 50}, MaxWait: 300 * time.Millisecond})
	if len(res.Orders) != 0 || len(runs.asked) < 2 {
		t.Errorf("order read after the first listing: %v to hand over after %d listings, want none, after MaxWait", ids(res.Orders), len(runs.asked))
	}
}
