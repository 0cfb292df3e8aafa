package workflows

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

func TestSearchableAttention(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// What must go.
		{`heartland: POST /customers: 422 {"errors":{"email":["ada.lovelace+shop@example.co.uk has already been taken"]}}`,
			`heartland: POST /customers: 422 {"errors":{"email":["[email] has already been taken"]}}`},
		{`bigcommerce: 400 customer "first_name":"Ada","last_name":"Lovelace","phone":"+44 20 7946 0018"`,
			`bigcommerce: 400 customer "first_name":[redacted],"last_name":[redacted],"phone":[redacted]`},
		{`invalid address: street_1='12 Analytical Row', city=London, zip: EC1A`,
			`invalid address: street_1=[redacted], city=[redacted], zip: [redacted]`},
		{"call (555) 123-4567 or 555.123.4567 or +1 555 123 4567 or 5551234567",
			"call [phone] or [phone] or [phone] or [phone]"},
		{"Email: grace@navy.mil", "Email: [redacted]"},
		// What must stay: ids, SKUs, amounts, statuses, dates, addresses of hosts.
		{"order 102: line \"Mug\" (HR-MUG-01): unknown SKU", "order 102: line \"Mug\" (HR-MUG-01): unknown SKU"},
		{"partially refunded: 12.50 of 30.00; Heartland order 1234567", "partially refunded: 12.50 of 30.00; Heartland order 1234567"},
		{"OrderSweep failed 2 time(s) in a row, next try in 2m0s: bigcommerce: GET /v2/orders: 401 Unauthorized",
			"OrderSweep failed 2 time(s) in a row, next try in 2m0s: bigcommerce: GET /v2/orders: 401 Unauthorized"},
		{"modified since 2026-11-27T10:00:00Z", "modified since 2026-11-27T10:00:00Z"},
		{"dial tcp 192.168.100.200:443: connection refused", "dial tcp 192.168.100.200:443: connection refused"},
		{`{"errors":{"email":["is invalid"]}}`, `{"errors":{"email":["is invalid"]}}`},
		{"", ""},
	} {
		if got := SearchableAttention(tc.in); got != tc.want {
			t.Errorf("SearchableAttention(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// attentionWriter sets HrbcAttention the ways workflows do: with other
// keys in one typed upsert, alone, and untyped; it returns the reason it
// keeps in its state.
func attentionWriter(ctx workflow.Context, reason string) (string, error) {
	if err := workflow.UpsertTypedSearchAttributes(ctx, ConnectionAttr.ValueSet("shop"), AttentionAttr.ValueSet(reason),
		StageAttr.ValueSet("attention")); err != nil {
		return "", err
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, temporal.NewSearchAttributes(AttentionAttr.ValueSet(reason)).Copy()); err != nil {
		return "", err
	}
	//lint:ignore SA1019 the untyped form is what an older call site would use
	if err := workflow.UpsertSearchAttributes(ctx, map[string]any{AttentionAttr.GetName(): reason}); err != nil {
		return "", err
	}
	return reason, nil
}

// TestAttentionInterceptorRedactsEveryUpsert: whatever way a workflow
// writes HrbcAttention, the server is handed the searchable copy, and the
// other keys of the same upsert are kept.
func TestAttentionInterceptorRedactsEveryUpsert(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(attentionWriter)
	var typed []temporal.SearchAttributes
	env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		typed = append(typed, args.Get(0).(temporal.SearchAttributes))
	}).Return(nil)
	var untyped []map[string]any
	env.OnUpsertSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		untyped = append(untyped, args.Get(0).(map[string]any))
	}).Return(nil)
	reason := "heartland: 422 customer ada@example.com, phone +1 555 123 4567"
	env.ExecuteWorkflow(attentionWriter, reason)
	var kept string
	if err := env.GetWorkflowResult(&kept); err != nil || kept != reason {
		t.Fatalf("state kept %q (%v), want the full reason", kept, err)
	}
	want := "heartland: 422 customer [email], phone [phone]"
	if len(typed) != 2 {
		t.Fatalf("%d typed upserts, want 2", len(typed))
	}
	for i, sa := range typed {
		if got, _ := sa.GetKeyword(AttentionAttr); got != want {
			t.Errorf("typed upsert %d: HrbcAttention %q, want %q", i, got, want)
		}
	}
	if conn, _ := typed[0].GetKeyword(ConnectionAttr); conn != "shop" {
		t.Errorf("HrbcConnection of the same upsert lost: %q", conn)
	}
	if stage, _ := typed[0].GetKeyword(StageAttr); stage != "attention" {
		t.Errorf("HrbcStage of the same upsert lost: %q", stage)
	}
	if len(untyped) != 1 || untyped[0][AttentionAttr.GetName()] != want {
		t.Errorf("untyped upserts %v, want HrbcAttention %q", untyped, want)
	}
}

// TestAPIErrorQuotingACustomerStaysOutOfHrbcAttention: a sweep whose API
// error quotes a customer shows the whole text in its (encrypted) status
// query, and only the searchable copy in HrbcAttention.
func TestAPIErrorQuotingACustomerStaysOutOfHrbcAttention(t *testing.T) {
	env := newTestEnv(&testsuite.WorkflowTestSuite{})
	env.RegisterWorkflow(OrderSweep)
	env.RegisterActivity(&activities.Orders{})
	apiText := `bigcommerce: GET /v2/orders: 400 {"title":"customer grace.hopper@example.com (+1 202-555-0143) is not valid"}`
	env.OnActivity(orderActivities.ListModifiedOrders, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.ModifiedOrdersRequest) (activities.ModifiedOrdersResult, error) {
			return activities.ModifiedOrdersResult{}, temporal.NewNonRetryableApplicationError(apiText, activities.ErrTypeBigCommerceRejected, nil)
		})
	attention := recordAttention(env)
	var failing SweepStatus
	env.RegisterDelayedCallback(func() {
		failing = querySweep(t, env)
		off := orderSettings()
		off.OrderSync = false
		env.SignalWorkflow(SweepSettingsSignal, off)
	}, 3*time.Minute)
	s := orderSettings()
	s.OrderSweepSeconds = 60
	env.ExecuteWorkflow(OrderSweep, OrderSweepInput{ConnectionID: "shop", Settings: s})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(failing.Attention, "grace.hopper@example.com") {
		t.Errorf("status query %q, want the API's whole text", failing.Attention)
	}
	if len(*attention) == 0 {
		t.Fatal("no HrbcAttention set")
	}
	for _, a := range *attention {
		if strings.Contains(a, "grace") || strings.Contains(a, "555") {
			t.Errorf("HrbcAttention %q quotes the customer", a)
		}
	}
	if first := (*attention)[0]; !strings.Contains(first, "[email] ([phone]) is not valid") || !strings.Contains(first, "400") {
		t.Errorf("HrbcAttention %q, want the reason with placeholders", first)
	}
}
