package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/hrbc/hrbc/workflows"
)

func TestBigCommerceStatusNames(t *testing.T) {
	for id, want := range map[int]string{11: "Awaiting Fulfillment (11)", 2: "Shipped (2)", 5: "Cancelled (5)", 99: "unknown status (99)"} {
		if got := describeBigCommerceStatus(id); got != want {
			t.Errorf("describe(%d) = %q, want %q", id, got, want)
		}
	}
	for in, want := range map[string]int{"5": 5, "cancelled": 5, "Awaiting Fulfillment": 11, "awaiting-fulfillment": 11, "0": 0} {
		if got, err := parseBigCommerceStatus(in); err != nil || got != want {
			t.Errorf("parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	var usage *usageError
	if _, err := parseBigCommerceStatus("15"); !errors.As(err, &usage) || !strings.Contains(err.Error(), `"15" is not a BigCommerce status`) {
		t.Errorf("parse(15): %v", err)
	}
}

// TestOrdersListRefusesUnknownStage: a misspelt stage used to list nothing.
func TestOrdersListRefusesUnknownStage(t *testing.T) {
	_, _, err := runCLI("orders", "list", "--stage", "bogus")
	var usage *usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), `--stage "bogus" is not an order stage: give one of waiting_status, importing, awaiting_distribution`) {
		t.Errorf("orders list --stage bogus: %v", err)
	}
}

func TestDistributeLocationsByIDOrName(t *testing.T) {
	o := workflows.OrderState{OrderID: 7, Stage: workflows.OrderStageAwaitingDistribution,
		Locations: []workflows.LocationRef{{ID: 1, Name: "Main Street"}, {ID: 2, Name: "Warehouse"}}}
	req, err := distributeRequest(o, "main street", []string{"71=Warehouse", "72=1"})
	if err != nil {
		t.Fatal(err)
	}
	if req.LocationID != 1 || len(req.Lines) != 2 || req.Lines[0] != (workflows.LineAssignment{LineID: 71, LocationID: 2}) ||
		req.Lines[1] != (workflows.LineAssignment{LineID: 72, LocationID: 1}) {
		t.Errorf("request = %+v", req)
	}
	var usage *usageError
	if _, err := distributeRequest(o, "Mall", nil); !errors.As(err, &usage) ||
		!strings.Contains(err.Error(), `--location "Mall" is not a location of order 7: give one of 1 "Main Street", 2 "Warehouse"`) {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := distributeRequest(o, "", []string{"x=1"}); !errors.As(err, &usage) {
		t.Errorf("bad --line: %v", err)
	}
	if _, err := distributeRequest(o, "", nil); !errors.As(err, &usage) {
		t.Errorf("nothing given: %v", err)
	}
	importing := workflows.OrderState{OrderID: 8, Stage: workflows.OrderStageImporting}
	if _, err := distributeRequest(importing, "Main Street", nil); err == nil || errors.As(err, &usage) ||
		!strings.Contains(err.Error(), "run it again once the order is awaiting_distribution") {
		t.Errorf("name before the order lists locations: %v, want a retryable refusal", err)
	}
}
